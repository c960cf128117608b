import DataLoader from 'dataloader';
import { isValidObjectId } from 'mongoose';
import type { ProductDoc, ProductModel } from './product-model';

/** Products by id in one query, in the order asked, skipping unknown ids. */
export async function findByIds(products: ProductModel, ids: readonly string[]): Promise<ProductDoc[]> {
  const found = await products.find({ _id: { $in: ids.filter((id) => isValidObjectId(id)) } }).lean<ProductDoc[]>();
  const byId = new Map(found.map((p) => [String(p._id), p]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Per request: every Product reference of one request costs one query. */
export const productLoader = (products: ProductModel) =>
  new DataLoader<string, ProductDoc | null>(async (ids) => {
    const byId = new Map((await findByIds(products, ids)).map((p) => [String(p._id), p]));
    return ids.map((id) => byId.get(id) ?? null);
  });
