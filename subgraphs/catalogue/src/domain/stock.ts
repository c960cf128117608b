import { isValidObjectId } from 'mongoose';
import { badInput, isDuplicateKey, notFound, ShopError } from '@shop/kernel';
import type { ProductModel } from '../data/product-model';
import type { ReservationModel } from '../data/reservation-model';

export interface StockLine {
  productId: string;
  quantity: number;
}

export interface ReservedLine extends StockLine {
  unitPriceCents: number;
  currency: string;
  name: string;
}

/** Merges repeated products and checks every line before anything is touched. */
export function normaliseLines(lines: StockLine[]): StockLine[] {
  if (!lines.length) throw badInput('An order needs at least one item', { field: 'items' });
  const merged = new Map<string, number>();
  for (const { productId, quantity } of lines) {
    if (!Number.isInteger(quantity) || quantity < 1) throw badInput('Quantity must be at least 1', { field: 'quantity', productId });
    if (!isValidObjectId(productId)) throw notFound(`Product ${productId}`);
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  }
  // A fixed order of updates keeps concurrent multi-line reservations from livelocking.
  return [...merged].sort(([a], [b]) => a.localeCompare(b)).map(([productId, quantity]) => ({ productId, quantity }));
}

export function stockKeeper(products: ProductModel, reservations: ReservationModel, onChange: () => Promise<void>) {
  /** Each line is one atomic conditional update: the stock is decremented only if enough is left. */
  async function take(line: StockLine): Promise<ReservedLine> {
    const product = await products.findOneAndUpdate(
      { _id: line.productId, stock: { $gte: line.quantity } },
      { $inc: { stock: -line.quantity, unitsSold: line.quantity } },
      // No projection: FerretDB's findAndModify does not take one.
      { new: true },
    ).lean();
    if (product) return { ...line, unitPriceCents: product.priceCents, currency: product.currency, name: product.name };
    const current = await products.findById(line.productId, { stock: 1 }).lean();
    if (!current) throw notFound(`Product ${line.productId}`);
    throw new ShopError('OUT_OF_STOCK', `Only ${current.stock} left in stock`, {
      productId: line.productId,
      available: current.stock,
    });
  }

  async function giveBack(lines: StockLine[]) {
    for (const line of lines)
      await products.updateOne({ _id: line.productId }, { $inc: { stock: line.quantity, unitsSold: -line.quantity } });
  }

  return {
    /** All lines or none; a second call for the same order returns the first result. */
    async reserve(orderId: string, requested: StockLine[]): Promise<ReservedLine[]> {
      const lines = normaliseLines(requested);
      try {
        await reservations.create({ orderId, status: 'PENDING', lines: [] });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await reservations.findOne({ orderId }).lean();
        if (existing?.status === 'RESERVED') return existing.lines as ReservedLine[];
        throw badInput(`Order ${orderId} already has a ${existing?.status.toLowerCase()} reservation`);
      }
      const taken: ReservedLine[] = [];
      try {
        for (const line of lines) taken.push(await take(line));
      } catch (err) {
        await giveBack(taken);
        await reservations.updateOne({ orderId }, { $set: { status: 'FAILED' } });
        if (taken.length) await onChange();
        throw err;
      }
      await reservations.updateOne({ orderId }, { $set: { status: 'RESERVED', lines: taken } });
      await onChange();
      return taken;
    },

    /** Gives back what the order took, exactly once however often it is called. */
    async release(orderId: string): Promise<boolean> {
      const reservation = await reservations.findOneAndUpdate(
        { orderId, status: 'RESERVED' },
        { $set: { status: 'RELEASED' } },
      ).lean();
      if (!reservation) return false;
      await giveBack(reservation.lines as StockLine[]);
      await onChange();
      return true;
    },

    async adjust(productId: string, delta: number) {
      if (!Number.isInteger(delta)) throw badInput('delta must be an integer');
      if (!isValidObjectId(productId)) throw notFound(`Product ${productId}`);
      const product = await products.findOneAndUpdate(
        { _id: productId, stock: { $gte: -delta } },
        { $inc: { stock: delta } },
        { new: true },
      ).lean();
      if (!product) {
        if (!(await products.exists({ _id: productId }))) throw notFound(`Product ${productId}`);
        throw badInput('Stock cannot go below zero', { field: 'delta' });
      }
      await onChange();
      return product;
    },
  };
}

export type StockKeeper = ReturnType<typeof stockKeeper>;
