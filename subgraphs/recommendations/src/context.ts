import type DataLoader from 'dataloader';
import type { AuthContext } from '@shop/kernel';

export interface Context extends AuthContext {
  /** Per request: in-stock product ids of a category, best sellers first; one call per category. */
  topOfCategory: DataLoader<string, string[]>;
  /** Best-selling product ids. */
  popular(first: number): Promise<string[]>;
}
