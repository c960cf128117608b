import type DataLoader from 'dataloader';
import type { AuthContext } from '@shop/kernel';
import type { ProductDoc, ProductModel } from './data/product-model';
import type { ProductCache } from './data/cache';
import type { StockKeeper } from './domain/stock';

export interface Context extends AuthContext {
  products: ProductModel;
  cache: ProductCache;
  stock: StockKeeper;
  /** Per request: every Product reference of one request costs one query. */
  productById: DataLoader<string, ProductDoc | null>;
}
