import DataLoader from 'dataloader';
import { op } from '@shop/kernel';
import type { LearningModels } from './models';

/** Another item and how many orders held both (the domain's Neighbour). */
type Pairing = { productId: string; together: number };

/** Per request: neighbours of any number of items in one query, their order counts in one more. */
export function learningLoaders({ pairs, items }: LearningModels) {
  return {
    neighbours: new DataLoader<string, Pairing[]>(async (ids) => {
      const found = await pairs.find({ a: op({ $in: ids }), together: op({ $gt: 0 }) }).lean();
      const byItem = new Map<string, Pairing[]>(ids.map((id) => [id, []]));
      for (const p of found) byItem.get(p.a as string)?.push({ productId: p.b as string, together: p.together as number });
      return ids.map((id) => byItem.get(id)!);
    }),
    ordersWith: new DataLoader<string, number>(async (ids) => {
      const found = await items.find({ _id: op({ $in: ids }) }).lean();
      const counts = new Map(found.map((i) => [String(i._id), Number(i.orders ?? 0)]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
  };
}
export type LearningLoaders = ReturnType<typeof learningLoaders>;
