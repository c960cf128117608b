import { Schema, Types, type Connection } from 'mongoose';

const productSchema = new Schema({
  sku: { type: String, required: true, unique: true },
  name: { type: String, required: true },
  description: { type: String, required: true },
  category: { type: String, required: true },
  priceCents: { type: Number, required: true, min: 0 },
  currency: { type: String, required: true, default: 'EUR' },
  stock: { type: Number, required: true, min: 0 },
  /**
   * Units held by reservations: taken with the stock when an order reserves them, given back with
   * it when the order is cancelled or its checkout fails. What POPULAR sorts by.
   */
  unitsSold: { type: Number, required: true, default: 0 },
  /**
   * Stock operations applied to this product and not yet settled (`<orderId>:take`,
   * `<orderId>:give`): the mark and the stock change are one atomic write, so a retried or
   * recovered operation never applies twice. Marks are pulled once their reservation settles.
   */
  marks: { type: [String], default: [] },
  /**
   * Incremented by every write to the product: a copy with a higher rev is newer, so the
   * in-memory listing never lets an older copy replace a newer one, whatever order they arrive in.
   */
  rev: { type: Number, required: true, default: 0 },
  createdAt: { type: Date, required: true, default: () => new Date() },
});

// One index per sort (with _id as the tie-breaker that makes cursors stable), and per filter.
productSchema.index({ createdAt: -1, _id: -1 });
productSchema.index({ priceCents: 1, _id: 1 });
productSchema.index({ name: 1, _id: 1 });
productSchema.index({ unitsSold: -1, _id: -1 });
productSchema.index({ category: 1, createdAt: -1, _id: -1 });
productSchema.index({ stock: 1 });

/** A product as read with `lean()` or from the cache: plain data, no mongoose methods. */
export interface ProductDoc {
  _id: Types.ObjectId | string;
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  stock: number;
  unitsSold: number;
  marks?: string[];
  rev?: number;
  createdAt: Date | string;
}

export const productModel = (db: Connection) => db.model('Product', productSchema, 'products');
export type ProductModel = ReturnType<typeof productModel>;
