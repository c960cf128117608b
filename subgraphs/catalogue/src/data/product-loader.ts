import DataLoader from 'dataloader';
import { isValidObjectId } from 'mongoose';
import type { ProductDoc, ProductModel } from './product-model';

export const productLoader = (products: ProductModel) =>
  new DataLoader<string, ProductDoc | null>(async (ids) => {
    const valid = ids.filter((id) => isValidObjectId(id));
    const found = await products.find({ _id: { $in: valid } }).lean<ProductDoc[]>();
    const byId = new Map(found.map((p) => [String(p._id), p]));
    return ids.map((id) => byId.get(id) ?? null);
  });
