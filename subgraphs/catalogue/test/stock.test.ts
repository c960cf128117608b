/** Stock reservations against the real database: all or nothing, idempotent, crash-safe. */
import type { Connection } from 'mongoose';
import { productModel, type ProductModel } from '../src/data/product-model';
import { reservationModel, type ReservationModel } from '../src/data/reservation-model';
import { STALE_AFTER_MS, stockKeeper, type StockKeeper } from '../src/domain/stock';
import { op } from '@shop/kernel';
import { testDatabase } from '../../../test/support/database';
import { eventually } from '../../../test/support/graphql';

let db: Connection;
let drop: () => Promise<void>;
let products: ProductModel;
let reservations: ReservationModel;
let stock: StockKeeper;
const changed: string[][] = [];

beforeAll(async () => {
  ({ db, drop } = await testDatabase('stock'));
  products = productModel(db);
  reservations = reservationModel(db);
  await Promise.all([products.createIndexes(), reservations.createIndexes()]);
  stock = stockKeeper(products, reservations, async (docs) => void changed.push(docs.map((doc) => String(doc._id))));
});
afterAll(() => drop());

let n = 0;
async function product(stockLevel: number) {
  const p = await products.create({ sku: `S-${++n}`, name: `P${n}`, description: 'd', category: 'c', priceCents: 100 * n, stock: stockLevel });
  return p.id as string;
}
const stockOf = async (id: string) => (await products.findById(id).lean())!.stock;
const soldOf = async (id: string) => (await products.findById(id).lean())!.unitsSold;
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e) => e.extensions?.code ?? e.message);

it('reserves every line at its current price, or none of them', async () => {
  const [a, b] = [await product(5), await product(1)];
  const lines = await stock.reserve('order-1', [{ productId: a, quantity: 2 }, { productId: b, quantity: 1 }]);
  expect(lines.map((l) => [l.productId, l.quantity, l.unitPriceCents])).toEqual(
    expect.arrayContaining([[a, 2, expect.any(Number)], [b, 1, expect.any(Number)]]),
  );
  expect([await stockOf(a), await stockOf(b)]).toEqual([3, 0]);
  // Units sold (what POPULAR sorts by) move with the stock, in the same write.
  expect([await soldOf(a), await soldOf(b)]).toEqual([2, 1]);
  expect(await codeOf(stock.reserve('order-2', [{ productId: a, quantity: 1 }, { productId: b, quantity: 1 }]))).toBe('OUT_OF_STOCK');
  expect([await stockOf(a), await stockOf(b)]).toEqual([3, 0]);
  expect([await soldOf(a), await soldOf(b)]).toEqual([2, 1]);
  // Once settled, recovery pulls the marks the reservation left.
  await stock.recover(Date.now() + STALE_AFTER_MS + 1000);
  expect((await products.findById(a).lean())!.marks).toEqual([]);
});

it('a retried or concurrent reserve for the same order takes the stock once', async () => {
  const a = await product(10);
  const results = await Promise.all(Array.from({ length: 8 }, () => stock.reserve('order-3', [{ productId: a, quantity: 3 }])));
  expect(results.every((r) => r[0].quantity === 3)).toBe(true);
  expect(await stockOf(a)).toBe(7);
  expect(await stock.reserve('order-3', [{ productId: a, quantity: 3 }])).toHaveLength(1);
  expect(await stockOf(a)).toBe(7);
  expect(await soldOf(a)).toBe(3);
});

it('release gives back once however often, however concurrently it is called, and names the products changed', async () => {
  const a = await product(4);
  await stock.reserve('order-4', [{ productId: a, quantity: 4 }]);
  changed.length = 0;
  expect(await soldOf(a)).toBe(4);
  await Promise.all([stock.release('order-4'), stock.release('order-4'), stock.release('order-4')]);
  expect(await stockOf(a)).toBe(4);
  expect(await soldOf(a)).toBe(0);
  expect(new Set(changed.flat())).toEqual(new Set([a]));
  expect(await stock.release('order-4')).toBe(false);
  expect(await stockOf(a)).toBe(4);
  // Long after, recovery pulls the marks the release left.
  await stock.recover(Date.now() + STALE_AFTER_MS + 1000);
  expect((await products.findById(a).lean())!.marks).toEqual([]);
});

it('a released or failed reservation can be tried again for the same order', async () => {
  const a = await product(2);
  expect(await codeOf(stock.reserve('order-5', [{ productId: a, quantity: 3 }]))).toBe('OUT_OF_STOCK');
  await products.updateOne({ _id: a }, { $inc: { stock: 1 } });
  await stock.reserve('order-5', [{ productId: a, quantity: 3 }]);
  expect(await stockOf(a)).toBe(0);
});

it('recovery undoes what a crash left half-done: a stale PENDING reservation gives back what it took', async () => {
  const [a, b] = [await product(5), await product(5)];
  // A crash after taking line a, before line b and before the reservation was marked RESERVED:
  const old = new Date(Date.now() - STALE_AFTER_MS - 1000);
  await reservations.create({ orderId: 'order-6', status: 'PENDING', attempt: 1, requested: [{ productId: a, quantity: 2 }, { productId: b, quantity: 1 }], updatedAt: old });
  await products.updateOne({ _id: a }, { $inc: { stock: -2 }, $push: { marks: 'order-6:1:take' } });
  expect(await stock.recover()).toBe(1);
  expect([await stockOf(a), await stockOf(b)]).toEqual([5, 5]);
  expect((await reservations.findOne({ orderId: 'order-6' }).lean())!.status).toBe('FAILED');
  expect(await stock.recover()).toBe(0);
  expect([await stockOf(a), await stockOf(b)]).toEqual([5, 5]);
});

it('recovery finishes a release a crash interrupted, without giving back twice', async () => {
  const [a, b] = [await product(5), await product(5)];
  await stock.reserve('order-7', [{ productId: a, quantity: 2 }, { productId: b, quantity: 2 }]);
  // A crash after giving back line a only:
  await reservations.updateOne({ orderId: 'order-7' }, { $set: { status: 'RELEASING', updatedAt: new Date(Date.now() - STALE_AFTER_MS - 1000) } });
  await products.updateOne({ _id: a }, { $inc: { stock: 2 }, $push: { marks: 'order-7:1:give' } });
  await stock.recover();
  expect([await stockOf(a), await stockOf(b)]).toEqual([5, 5]);
  expect((await reservations.findOne({ orderId: 'order-7' }).lean())!.status).toBe('RELEASED');
});

it('adjustStock never takes the stock below zero', async () => {
  const a = await product(3);
  expect(await codeOf(stock.adjust(a, -4))).toBe('BAD_USER_INPUT');
  expect((await stock.adjust(a, -3)).stock).toBe(0);
  expect((await stock.adjust(a, 7)).stock).toBe(7);
});

it('a stock figure in memory that is too high spares the read but never oversells; an unknown product is still read', async () => {
  const a = await product(3);
  const reads: string[] = [];
  db.set('debug', (collection: string, method: string) => void (collection === 'products' && method === 'findOne' && reads.push(method)));
  try {
    // The listing believes 100 are left (another replica sold them meanwhile, say).
    const optimistic = stockKeeper(products, reservations, async () => undefined, (id) => (id === a ? 100 : undefined));
    await optimistic.reserve('order-hint-1', [{ productId: a, quantity: 2 }]);
    expect(reads).toEqual([]);
    expect(await codeOf(optimistic.reserve('order-hint-2', [{ productId: a, quantity: 2 }]))).toBe('OUT_OF_STOCK');
    expect(await stockOf(a)).toBe(1);
    expect((await reservations.findById('order-hint-2').lean())!.status).toBe('FAILED');
    const b = await product(1);
    expect(await codeOf(optimistic.reserve('order-hint-3', [{ productId: b, quantity: 2 }]))).toBe('OUT_OF_STOCK');
    expect(reads.length).toBeGreaterThan(0); // b is not in the listing: read before writing anything
    expect(await reservations.findById('order-hint-3').lean()).toBeNull();
  } finally {
    db.set('debug', false);
  }
});

it('recovery pulls the marks of every settled reservation of a product in one write, released ones included', async () => {
  const a = await product(10);
  await stock.reserve('order-settle-1', [{ productId: a, quantity: 1 }]);
  await stock.reserve('order-settle-2', [{ productId: a, quantity: 2 }]);
  await stock.release('order-settle-2');
  expect((await products.findById(a).lean())!.marks).toHaveLength(3); // two takes, one give
  const writes: string[] = [];
  db.set('debug', (collection: string, method: string) => void (collection === 'products' && method === 'updateOne' && writes.push(method)));
  try {
    await stock.recover(Date.now() + STALE_AFTER_MS + 1000);
  } finally {
    db.set('debug', false);
  }
  expect((await products.findById(a).lean())!.marks).toEqual([]);
  expect(await stockOf(a)).toBe(9);
  const settled = await reservations.find({ _id: op({ $in: ['order-settle-1', 'order-settle-2'] }) }).lean();
  expect(settled.map((r) => r.settled)).toEqual([true, true]);
  // Other tests' settled reservations may share this pass; this product took one write.
  expect(writes.length).toBeLessThanOrEqual(new Set((await reservations.find({ settled: true }).lean()).flatMap((r) => r.lines!.map((l) => l.productId))).size);
});

it('caps a reservation at 20 of one product (its lines together) and 100 units, after the stock check: BAD_USER_INPUT, nothing taken', async () => {
  const plenty = await product(1000);
  const few = await product(5);
  expect((await stock.reserve('cap-1', [{ productId: plenty, quantity: 20 }]))[0].quantity).toBe(20);
  const refused = await stock.reserve('cap-2', [{ productId: plenty, quantity: 11 }, { productId: plenty, quantity: 10 }]).catch((e) => e);
  expect({ code: refused.extensions?.code, max: refused.extensions?.max, productId: refused.extensions?.productId }).toEqual({ code: 'BAD_USER_INPUT', max: 20, productId: plenty });
  const others = await Promise.all(Array.from({ length: 6 }, () => product(1000)));
  expect(await codeOf(stock.reserve('cap-3', others.map((productId) => ({ productId, quantity: 17 }))))).toBe('BAD_USER_INPUT');
  // More than there is stays OUT_OF_STOCK, whatever the quantity.
  expect(await codeOf(stock.reserve('cap-4', [{ productId: few, quantity: 21 }]))).toBe('OUT_OF_STOCK');
  expect(await codeOf(stock.reserve('cap-5', [{ productId: few, quantity: 2 ** 31 - 1 }]))).toBe('OUT_OF_STOCK');
  expect([await stockOf(plenty), await stockOf(few), ...(await Promise.all(others.map(stockOf)))]).toEqual([980, 5, 1000, 1000, 1000, 1000, 1000, 1000]);
  expect(await reservations.countDocuments({ _id: op({ $in: ['cap-2', 'cap-3', 'cap-4', 'cap-5'] }) })).toBe(0);
});

it("pulls the marks of this process's settled reservations without reading the reservations", async () => {
  const a = await product(10);
  await stock.reserve('order-own-1', [{ productId: a, quantity: 1 }]);
  await stock.reserve('order-own-2', [{ productId: a, quantity: 2 }]);
  await stock.release('order-own-2');
  expect((await products.findById(a).lean())!.marks).toHaveLength(3);
  const reads: string[] = [];
  db.set('debug', (collection: string, method: string) => void (collection === 'reservations' && method.startsWith('find') && reads.push(method)));
  try {
    // Not yet old enough: the marks stay (a late finisher may still need them).
    await stock.settleOwn(Date.now() + 1000);
    expect((await products.findById(a).lean())!.marks).toHaveLength(3);
    await stock.settleOwn(Date.now() + STALE_AFTER_MS + 1000);
  } finally {
    db.set('debug', false);
  }
  expect(reads).toEqual([]);
  expect((await products.findById(a).lean())!.marks).toEqual([]);
  expect(await stockOf(a)).toBe(9);
  const settled = await Promise.all(['order-own-1', 'order-own-2'].map(async (id) => (await reservations.findById(id).lean())!.settled));
  expect(settled).toEqual([true, true]);
});

it('a reservation given up while it took stock gives it back, though its status write shared a command with others that keep theirs', async () => {
  const ids = [await product(5), await product(5), await product(5), await product(5), await product(5)];
  const orders = ids.map((_, i) => `order-grouped-${i}`);
  // Every take waits at a gate, so that all five reach their status write together.
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const findOneAndUpdate = products.findOneAndUpdate.bind(products);
  const takes = jest.spyOn(products, 'findOneAndUpdate').mockImplementation(((filter: { _id: string }, update: object, options: object) => ({
    lean: async () => {
      if (ids.includes(filter._id)) await gate;
      return findOneAndUpdate(filter, update, options).lean();
    },
  })) as never);
  const bulk = jest.spyOn(reservations, 'bulkWrite');
  let batches: number[] = [];
  try {
    const outcomes = orders.map((id, i) => codeOf(stock.reserve(id, [{ productId: ids[i], quantity: 2 }])));
    await eventually(async () => ((await reservations.countDocuments({ _id: op({ $in: orders }) })) === 5 ? true : undefined));
    // Recovery gives up on the last one meanwhile (as after a stall longer than STALE_AFTER_MS).
    await reservations.updateOne({ _id: orders[4] }, { $set: { status: 'FAILED' } });
    takes.mockRestore();
    open();
    expect(await Promise.all(outcomes)).toEqual(['ok', 'ok', 'ok', 'ok', 'SERVICE_UNAVAILABLE']);
    batches = bulk.mock.calls.map(([writes]) => writes.length);
  } finally {
    takes.mockRestore();
    bulk.mockRestore();
  }
  // The first status write went alone, the four behind it in one command with the given-up one.
  expect(batches).toContain(4);
  expect(await Promise.all(ids.map(stockOf))).toEqual([3, 3, 3, 3, 5]);
  const stored = await reservations.find({ _id: op({ $in: orders }) }).sort({ _id: 1 }).lean();
  expect(stored.map((r) => [r.status, r.reservedAttempts])).toEqual([...Array(4).fill(['RESERVED', [1]]), ['FAILED', []]]);
});

it('settles a burst of 120 reservations in commands of 50 writes at most (MAX_WRITES_PER_COMMAND)', async () => {
  const id = await product(500);
  const orders = Array.from({ length: 120 }, (_, i) => `order-burst-${i}`);
  for (const order of orders) await stock.reserve(order, [{ productId: id, quantity: 1 }]);
  const [bulkReservations, bulkProducts] = [jest.spyOn(reservations, 'bulkWrite'), jest.spyOn(products, 'bulkWrite')];
  let sizes: number[] = [];
  try {
    expect(await stock.settleOwn(Date.now() + STALE_AFTER_MS + 1000)).toBeGreaterThanOrEqual(120);
    sizes = [...bulkReservations.mock.calls, ...bulkProducts.mock.calls].map(([writes]) => writes.length);
  } finally {
    bulkReservations.mockRestore();
    bulkProducts.mockRestore();
  }
  expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
  expect(await reservations.countDocuments({ _id: op({ $in: orders }), settled: true })).toBe(120);
  expect((await products.findById(id).lean())!.marks).toEqual([]);
});
