import DataLoader from 'dataloader';
import { isValidObjectId } from 'mongoose';
import { op } from '@shop/kernel';
import type { ProductCache } from './cache';
import type { ProductDoc, ProductModel } from './product-model';

/** Products by id in one query, in the order asked, skipping unknown ids. */
export async function findByIds(products: ProductModel, ids: readonly string[]): Promise<ProductDoc[]> {
  const valid = ids.filter((id) => isValidObjectId(id));
  if (!valid.length) return [];
  // One id: by _id alone, the only filter FerretDB's SQLite backend answers without a scan.
  const found =
    valid.length === 1
      ? [await products.findById(valid[0]).lean<ProductDoc>()].filter((p): p is ProductDoc => !!p)
      : await products.find({ _id: op({ $in: valid }) }).lean<ProductDoc[]>();
  const byId = new Map(found.map((p) => [String(p._id), p]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Per request: every Product reference of one request costs one query at most, and none for
 * the products in the cache (FerretDB scans the collection for an `$in` on `_id`).
 */
export const productLoader = (products: ProductModel, cache?: ProductCache) =>
  new DataLoader<string, ProductDoc | null>(async (ids) => {
    const load = (missing: readonly string[]) => findByIds(products, missing);
    const found = cache ? await cache.products(ids.filter((id) => isValidObjectId(id)), load) : await load(ids);
    const byId = new Map(found.map((p) => [String(p._id), p]));
    return ids.map((id) => byId.get(id) ?? null);
  });
