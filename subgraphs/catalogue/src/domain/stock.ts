import { isValidObjectId } from 'mongoose';
import { badInput, groupedWrites, inWriteChunks, isDuplicateKey, notFound, op, ShopError, type ErrorCode } from '@shop/kernel';
import type { ProductDoc, ProductModel } from '../data/product-model';
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

/**
 * Bounds on one reservation (one order). The shop takes no payment, so without them one free
 * account could hold a product's whole stock, or every product's. Checked once the stock is
 * known to suffice: asking for more than there is stays OUT_OF_STOCK, as the contract says.
 */
export const RESERVATION_LIMITS = { maxPerProduct: 20, maxUnits: 100 };

/** BAD_USER_INPUT for a reservation beyond RESERVATION_LIMITS (lines already merged per product). */
export function checkReservationLimits(lines: StockLine[], limits = RESERVATION_LIMITS): void {
  for (const { productId, quantity } of lines)
    if (quantity > limits.maxPerProduct)
      throw badInput(`At most ${limits.maxPerProduct} of one product per order`, { field: 'quantity', productId, max: limits.maxPerProduct });
  if (lines.reduce((units, l) => units + l.quantity, 0) > limits.maxUnits)
    throw badInput(`At most ${limits.maxUnits} items per order`, { field: 'items', max: limits.maxUnits });
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

/** A reservation at rest (RESERVED or RELEASED) whose marks on its products may be pulled. */
interface Settled {
  at: number;
  orderId: string;
  status: 'RESERVED' | 'RELEASED';
  marks: string[];
  lines: StockLine[];
}

/** One attempt at reserving for one order: what every mark names. */
interface Attempt {
  orderId: string;
  attempt: number;
}
const takeMark = (a: Attempt) => `${a.orderId}:${a.attempt}:take`;
const giveMark = (a: Attempt) => `${a.orderId}:${a.attempt}:give`;
const ids = (lines: StockLine[]) => lines.map((l) => l.productId);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a reservation may stay PENDING or RELEASING before recovery finishes it. */
export const STALE_AFTER_MS = 30_000;

/**
 * Stock reservations for orders, correct under concurrency, retries and crashes without
 * multi-document transactions: each line is one conditional atomic update that also marks
 * the product with the operation (see ProductDoc.marks), so no operation applies twice, and
 * the reservation document records intent first, so recovery can undo or finish any step.
 */
export function stockKeeper(
  products: ProductModel,
  reservations: ReservationModel,
  /** After stock changed, with the documents the writes returned (newer than any read before). */
  onChange: (written: ProductDoc[]) => Promise<void>,
  /** The stock this process last saw of a product (its listing), if it knows the product. */
  lastSeenStock: (productId: string) => number | undefined = () => undefined,
) {
  // Every reservation starts with an insert and leaves PENDING with an update: under a burst,
  // the inserts of many orders share a command, and so do the updates.
  const [insertReservation, updateReservation] = [groupedWrites(reservations), groupedWrites(reservations)];
  /**
   * Reservations this process brought to RESERVED or RELEASED, oldest first, with the marks
   * they left: settleOwn() pulls those marks once they are STALE_AFTER_MS old, without a scan.
   */
  const ownSettled: Settled[] = [];

  function priced(line: StockLine, p: { priceCents: number; currency: string; name: string }): ReservedLine {
    return { ...line, unitPriceCents: p.priceCents, currency: p.currency, name: p.name };
  }

  /** Takes one line if enough is in stock; taking it again for the same order is a no-op. */
  async function take(a: Attempt, line: StockLine, written: ProductDoc[]): Promise<ReservedLine> {
    const mark = takeMark(a);
    const product = await products
      .findOneAndUpdate(
        { _id: line.productId, stock: op({ $gte: line.quantity }), marks: op({ $ne: mark }) },
        // Units sold move with the stock, in the same write: no event to count them later.
        { $inc: { stock: -line.quantity, unitsSold: line.quantity, rev: 1 }, $push: { marks: mark } },
        { new: true }, // no projection: FerretDB's findAndModify does not take one
      )
      .lean<ProductDoc>();
    if (product) {
      written.push(product);
      return priced(line, product);
    }
    const current = await products.findById(line.productId).lean();
    if (!current) throw notFound(`Product ${line.productId}`);
    if (current.marks?.includes(mark)) return priced(line, current);
    throw new ShopError('OUT_OF_STOCK', `Only ${current.stock} left in stock`, {
      productId: line.productId,
      available: current.stock,
    });
  }

  /**
   * Gives lines back where `filter` still allows it, pushing or pulling `marks` in the same write;
   * the products written (as every product write, it returns what it wrote: the cache stores it).
   */
  async function giveBack(lines: StockLine[], filter: (line: StockLine) => Record<string, unknown>, marks: Record<string, unknown>) {
    const written: ProductDoc[] = [];
    for (const line of lines) {
      const update = { $inc: { stock: line.quantity, unitsSold: -line.quantity, rev: 1 }, ...marks };
      const doc = await products.findOneAndUpdate(filter(line), update, { new: true }).lean<ProductDoc>();
      if (doc) written.push(doc);
    }
    return written;
  }

  /** Gives back lines only if taken and not given back yet. */
  const untake = (a: Attempt, lines: StockLine[]) =>
    giveBack(lines, (line) => ({ _id: line.productId, marks: takeMark(a) }), { $pull: { marks: takeMark(a) } });

  /** Gives back lines once per attempt, however often called. */
  const give = (a: Attempt, lines: StockLine[]) =>
    giveBack(lines, (line) => ({ _id: line.productId, marks: op({ $ne: giveMark(a) }) }), { $push: { marks: giveMark(a) } });

  /**
   * Once reservations have settled, their marks are no longer needed: one $pullAll per product
   * for all of them (by _id: FerretDB scans the collection for an $in), in one command.
   */
  async function settle(settled: Pick<Settled, 'marks' | 'lines'>[]) {
    const byProduct = new Map<string, string[]>();
    for (const { marks, lines } of settled) for (const id of ids(lines)) byProduct.set(id, [...(byProduct.get(id) ?? []), ...marks]);
    await inWriteChunks([...byProduct], (chunk) => products.bulkWrite(chunk.map(([id, marks]) => ({ updateOne: { filter: { _id: id }, update: { $pullAll: { marks } } } }))));
  }

  const setStatus = (orderId: string, from: string, to: string, extra: Record<string, unknown> = {}) =>
    reservations.updateOne({ _id: orderId, status: from }, { $set: { status: to, updatedAt: new Date(), ...extra } });

  /**
   * PENDING -> RESERVED for this attempt; false when recovery or a release gave up on it first.
   * The attempt is noted in the same write: an update grouped with others learns only whether
   * all of its batch matched, so when not, the reservation is read to tell.
   */
  async function markReserved(a: Attempt, taken: ReservedLine[]): Promise<boolean> {
    const { matched } = await updateReservation({
      updateOne: {
        filter: { _id: a.orderId, status: 'PENDING', attempt: a.attempt },
        update: { $set: { status: 'RESERVED', lines: taken, updatedAt: new Date() }, $push: { reservedAttempts: a.attempt } },
      },
    });
    if (matched) return true;
    const r = await reservations.findById(a.orderId, { reservedAttempts: 1 }).lean();
    return !!r?.reservedAttempts?.includes(a.attempt);
  }

  async function undoPending(a: Attempt, lines: StockLine[], failure: ShopError | null) {
    const written = await untake(a, lines);
    const failed = failure && { code: failure.extensions.code, message: failure.message, extensions: failure.extensions };
    await setStatus(a.orderId, 'PENDING', 'FAILED', { failure: failed });
    await onChange(written);
  }

  async function run(a: Attempt, lines: StockLine[]): Promise<ReservedLine[]> {
    const taken: ReservedLine[] = [];
    const written: ProductDoc[] = [];
    try {
      for (const line of lines) taken.push(await take(a, line, written));
    } catch (err) {
      // A refusal is undone at once; anything else stays PENDING for recovery.
      if (err instanceof ShopError) await undoPending(a, lines, err);
      throw err;
    }
    if (!(await markReserved(a, taken))) {
      // Recovery or a release gave up on this reservation meanwhile: give everything back.
      await onChange(await untake(a, lines));
      throw new ShopError('SERVICE_UNAVAILABLE', 'The reservation was abandoned, please retry');
    }
    ownSettled.push({ at: Date.now(), orderId: a.orderId, status: 'RESERVED', marks: [takeMark(a)], lines });
    await onChange(written);
    return taken;
  }

  /**
   * Refuses what plainly cannot succeed (unknown product, not enough stock) before writing
   * anything, which spares a sold-out burst most of its writes. Only a hint: the conditional
   * update in take() is what decides. A line the listing in memory says is in stock costs no
   * read; one it does not know or thinks short is read, as the listing may lag another replica.
   */
  async function refuseEarly(lines: StockLine[]) {
    for (const line of lines) {
      if ((lastSeenStock(line.productId) ?? -1) >= line.quantity) continue;
      // By _id alone: the one filter FerretDB's SQLite backend answers without a scan.
      const available = (await products.findById(line.productId, { stock: 1 }).lean())?.stock;
      if (available === undefined) throw notFound(`Product ${line.productId}`);
      if (available < line.quantity)
        throw new ShopError('OUT_OF_STOCK', `Only ${available} left in stock`, { productId: line.productId, available });
    }
    checkReservationLimits(lines);
  }

  /** The outcome of a reservation another call is making or has made for the same order. */
  async function outcome(orderId: string): Promise<ReservedLine[]> {
    for (let waited = 0; waited < 8000; waited += 200) {
      const r = await reservations.findById(orderId).lean();
      if (r?.status === 'RESERVED' || r?.status === 'RELEASING') return r.lines as ReservedLine[];
      if (r?.status === 'FAILED') {
        const f = r.failure as { code: ErrorCode; message: string; extensions: Record<string, unknown> } | null;
        throw f ? new ShopError(f.code, f.message, f.extensions) : new ShopError('SERVICE_UNAVAILABLE', 'Reservation failed, please retry');
      }
      await sleep(200);
    }
    throw new ShopError('SERVICE_UNAVAILABLE', 'The reservation is still in progress, please retry');
  }

  // Marks stay until the reservation is long settled (see recover): a concurrent finisher that
  // read RELEASING before the release completed must still find them; and pulling them later,
  // in the background, keeps a write off the checkout's path.
  async function finishRelease(a: Attempt, lines: StockLine[]) {
    const written = await give(a, lines);
    await setStatus(a.orderId, 'RELEASING', 'RELEASED');
    ownSettled.push({ at: Date.now(), orderId: a.orderId, status: 'RELEASED', marks: [takeMark(a), giveMark(a)], lines });
    await onChange(written);
  }


  return {
    /** All lines or none; a second call for the same order returns the first outcome. */
    async reserve(orderId: string, requested: StockLine[]): Promise<ReservedLine[]> {
      const lines = normaliseLines(requested);
      await refuseEarly(lines);
      try {
        await insertReservation({ insertOne: { document: { _id: orderId, orderId, status: 'PENDING', requested: lines, attempt: 1 } } });
        return run({ orderId, attempt: 1 }, lines);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      // Nothing is held for a FAILED or RELEASED reservation (no order was kept): try again.
      const again = await reservations
        .findOneAndUpdate(
          { _id: orderId, status: op({ $in: ['FAILED', 'RELEASED'] }) },
          { $set: { status: 'PENDING', requested: lines, lines: [], failure: null, updatedAt: new Date() }, $inc: { attempt: 1 } },
          { new: true },
        )
        .lean();
      return again ? run({ orderId, attempt: again.attempt }, lines) : outcome(orderId);
    },

    /** Gives back what the order took, exactly once however often it is called. */
    async release(orderId: string): Promise<boolean> {
      const r = await reservations
        .findOneAndUpdate({ _id: orderId, status: 'RESERVED' }, { $set: { status: 'RELEASING', updatedAt: new Date() } }, { new: true })
        .lean();
      if (r) {
        await finishRelease(r, r.lines as StockLine[]);
        return true;
      }
      const current = await reservations.findById(orderId).lean();
      if (current?.status === 'PENDING') {
        // The order gave up on a reservation still in flight (its call timed out): undo it.
        await undoPending(current, current.requested as StockLine[], null);
        return true;
      }
      if (current?.status === 'RELEASING') {
        await finishRelease(current, current.lines as StockLine[]);
        return true;
      }
      return false;
    },

    /**
     * Finishes what a crash interrupted: stale PENDING reservations are undone, stale releases
     * completed; and long-released reservations have their give marks pulled.
     */
    async recover(now = Date.now()): Promise<number> {
      const before = new Date(now - STALE_AFTER_MS);
      const stale = await reservations
        .find({ status: op({ $in: ['PENDING', 'RELEASING'] }), updatedAt: op({ $lt: before }) })
        .limit(100)
        .lean();
      for (const r of stale) {
        if (r.status === 'PENDING') await undoPending(r, r.requested as StockLine[], null);
        else await finishRelease(r, r.lines as StockLine[]);
      }
      const settled = await reservations
        .find({ status: op({ $in: ['RESERVED', 'RELEASED'] }), settled: false, updatedAt: op({ $lt: before }) })
        .limit(500)
        .lean();
      await settle(settled.map((r) => ({ marks: r.status === 'RELEASED' ? [takeMark(r), giveMark(r)] : [takeMark(r)], lines: r.lines as StockLine[] })));
      await inWriteChunks(settled, (chunk) => reservations.bulkWrite(chunk.map((r) => ({ updateOne: { filter: { _id: r._id }, update: { $set: { settled: true } } } }))));
      return stale.length;
    },

    /**
     * Pulls the marks of this process's own settled reservations once they are old enough,
     * without reading the reservations, and flags them settled only if their status is still
     * the one they settled in (one released since by another replica is left to recover(),
     * which reads its status).
     */
    async settleOwn(now = Date.now()): Promise<number> {
      let count = 0;
      while (count < ownSettled.length && count < 500 && ownSettled[count].at < now - STALE_AFTER_MS) count++;
      const due = ownSettled.splice(0, count);
      if (!due.length) return 0;
      await settle(due);
      await inWriteChunks(due, (chunk) => reservations.bulkWrite(chunk.map((r) => ({ updateOne: { filter: { _id: r.orderId, status: r.status }, update: { $set: { settled: true } } } }))));
      return due.length;
    },

    async adjust(productId: string, delta: number) {
      if (!Number.isInteger(delta)) throw badInput('delta must be an integer');
      if (!isValidObjectId(productId)) throw notFound(`Product ${productId}`);
      const product = await products
        .findOneAndUpdate({ _id: productId, stock: op({ $gte: -delta }) }, { $inc: { stock: delta, rev: 1 } }, { new: true })
        .lean();
      if (!product) {
        if (!(await products.exists({ _id: productId }))) throw notFound(`Product ${productId}`);
        throw badInput('Stock cannot go below zero', { field: 'delta' });
      }
      await onChange([product as ProductDoc]);
      return product;
    },
  };
}

export type StockKeeper = ReturnType<typeof stockKeeper>;
