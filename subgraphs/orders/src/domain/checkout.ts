import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { createEvent, groupedWrites, isDuplicateKey, op, type DomainEvent, type EventData, notFound, ShopError, type Identity, type Logger, type OutboxRelay } from '@shop/kernel';
import type { CatalogueClient } from '../clients/catalogue';
import type { PromotionsClient } from '../clients/promotions';
import type { CompensationModel, CounterModel, OrderDoc, OrderModel } from '../data/order-model';
import type { CheckoutClaims } from './checkout-claims';
import { orderNumbers } from './order-numbers';
import { checkItems, subtotalOf } from './pricing';
import { assertTransition, type OrderStatus } from './status';

export interface PlaceOrderInput {
  items: { productId: string; quantity: number }[];
  promoCode?: string | null;
  idempotencyKey?: string | null;
}

/**
 * A checkout stores its order before this deadline or not at all: its two calls take two
 * minutes at worst, and the order is stored only while half a minute is left, so when the
 * journal's entry falls due no checkout can still store that order. CHECKOUT_DEADLINE_SECONDS
 * shortens it (the resilience test waits for the journal; checkouts slower than the deadline
 * less the margin then fail cleanly and are undone).
 */
export const CHECKOUT_DEADLINE_MS = 3 * 60_000;
const STORE_MARGIN_MS = 30_000;
/** A cancel writes its status change right after its journal entry. */
const CANCEL_DUE_MS = 30_000;

/** The same customer and key always name the same order id, so every step is idempotent. */
export function orderIdFor(customerId: string, idempotencyKey?: string | null): Types.ObjectId {
  if (!idempotencyKey) return new Types.ObjectId();
  return new Types.ObjectId(createHash('sha256').update(`${customerId}\n${idempotencyKey}`).digest('hex').slice(0, 24));
}

export interface CheckoutDeps {
  orders: OrderModel;
  counters: CounterModel;
  catalogue: CatalogueClient;
  promotions: PromotionsClient;
  claims: CheckoutClaims;
  compensations: CompensationModel;
  relay: OutboxRelay;
  /** After a write to one of this customer's orders (their cached list is out of date). */
  customerChanged: (customerId: string) => Promise<unknown>;
  logger: Logger;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  deadlineMs?: number;
}

export function orderDesk({ orders, counters, catalogue, promotions, claims, compensations, relay, customerChanged, logger, now = Date.now, deadlineMs = CHECKOUT_DEADLINE_MS }: CheckoutDeps) {
  const nextNumber = orderNumbers(counters);

  // Every checkout writes its order and writes and deletes its journal entry: under a burst,
  // many share a command. Inserts sharing a command share FerretDB's transaction too (one
  // commit for all), where each update of a batch still commits alone: so the journal entry is
  // inserted, and updated only when one is there already (a retried or cancelled order's).
  const orderWrite = groupedWrites(orders);
  const journalWrite = groupedWrites(compensations);
  // The entries of stored orders, deleted together each second (dropSettled): one command and
  // one commit for many, off the checkout's path. Should the process die first, they are
  // dropped when due, as the entry of any stored order is.
  const settled = new Set<string>();
  let dropping: Promise<unknown> = Promise.resolve();
  /** Notes in the journal what to undo for this order if the step now starting never settles. */
  async function journal(orderId: string, redeemed: boolean, dueInMs: number) {
    // The order's last entry may be on its way out (a cancel right after the checkout): this one goes after it.
    settled.delete(orderId);
    await dropping;
    const entry = { releaseStock: true, releaseRedemption: redeemed, dueAt: new Date(now() + dueInMs) };
    try {
      await journalWrite({ insertOne: { document: { _id: orderId, ...entry } } });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await journalWrite({ updateOne: { filter: { _id: orderId }, update: { $set: entry }, upsert: true } });
    }
  }

  /**
   * Undo what the saga did (both undo calls are idempotent). An undo that fails now stays in
   * the journal, due at once, and is retried by retryCompensations(); it never hides the
   * original error.
   */
  async function compensate(orderId: string, redeemed: boolean) {
    const [stock, redemption] = await Promise.allSettled([
      catalogue.releaseStock(orderId),
      redeemed ? promotions.release(orderId) : Promise.resolve(),
    ]);
    const pending = { releaseStock: stock.status === 'rejected', releaseRedemption: redemption.status === 'rejected' };
    if (!pending.releaseStock && !pending.releaseRedemption) return void (await compensations.deleteOne({ _id: orderId }));
    logger.warn({ orderId, ...pending }, 'compensation postponed: a service is unavailable');
    await compensations.updateOne({ _id: orderId }, { $set: { ...pending, dueAt: new Date(now()) } }, { upsert: true });
  }

  return {
    /**
     * The checkout saga: reserve stock, redeem the promo code, store the order with its
     * order.created event in one write. Any failure undoes the earlier steps.
     */
    async place(customer: Identity, input: PlaceOrderInput): Promise<OrderDoc> {
      checkItems(input.items);
      const key = input.idempotencyKey?.trim() || null;
      const orderId = orderIdFor(customer.userId, key).toHexString();
      if (key) {
        // The key names the order id, so the first order is found by _id alone.
        const previous = await orders.findById(orderId);
        if (previous) return previous;
        const outcome = await claims.claim(orderId);
        if (!outcome.claimed) return outcome.order;
      }
      let redeemed = false;
      const deadline = now() + deadlineMs;
      // If this process dies mid-saga, the journal undoes what it did once the deadline passes.
      await journal(orderId, !!input.promoCode?.trim(), deadlineMs);
      try {
        const lines = await catalogue.reserveStock(orderId, input.items.map(({ productId, quantity }) => ({ productId, quantity })));
        const { subtotalCents, currency } = subtotalOf(lines);
        let discountCents = 0;
        let promoCode: string | null = null;
        if (input.promoCode?.trim()) {
          const redeemPromotion = await promotions.redeem({ code: input.promoCode, orderId, customerId: customer.userId, subtotalCents, currency });
          redeemed = true;
          discountCents = redeemPromotion.discountCents;
          promoCode = redeemPromotion.code;
        }
        const placedAt = new Date();
        const order = new orders({
          _id: orderId,
          number: await nextNumber(),
          customerId: customer.userId,
          idempotencyKey: key ?? orderId,
          status: 'CONFIRMED',
          statusHistory: [{ status: 'CONFIRMED', at: placedAt }],
          promoCode,
          items: lines.map(({ productId, name, quantity, unitPriceCents }) => ({ productId, name, quantity, unitPriceCents })),
          currency,
          subtotalCents,
          discountCents,
          totalCents: subtotalCents - discountCents,
          createdAt: placedAt,
        });
        const created = createEvent('order.created', orderEventData(order));
        order.outbox.push(created);
        if (now() > deadline - STORE_MARGIN_MS) throw new ShopError('SERVICE_UNAVAILABLE', 'Checkout took too long, please retry');
        await orderWrite({ insertOne: { document: order.toObject() } });
        // Stored: the event goes out at once, and nothing may be undone now.
        void relay.flush(order._id, [created]);
        settled.add(orderId);
        await customerChanged(customer.userId);
        return order;
      } catch (err) {
        // A concurrent request with the same key stored the order first, or this one's insert
        // was stored and its answer lost (the grouped write, tried again, met it): the order is the answer.
        if (isDuplicateKey(err)) {
          const first = await orders.findById(orderId);
          if (first) return first;
        }
        await compensate(orderId, redeemed);
        if (key) await claims.failed(orderId, err);
        throw err;
      }
    },

    /** Deletes the journal entries of orders stored since the last call (every second); an entry left behind is dropped when due. */
    async dropSettled(): Promise<void> {
      const ids = [...settled].slice(0, 1000);
      if (!ids.length) return;
      ids.forEach((id) => settled.delete(id));
      // A small collection (checkouts in flight, and the last second's): FerretDB's scan for $in is cheap.
      dropping = compensations.deleteMany({ _id: op({ $in: ids }) }).catch((err) => logger.warn({ err, entries: ids.length }, 'journal entries left behind; dropped when due'));
      await dropping;
    },

    /**
     * Runs the journal's entries that fell due: each undoes what no order keeps (none was
     * stored, or it was cancelled); an order that was stored and stands just drops its entry.
     * Undo steps are idempotent, so a retry never gives back twice.
     */
    async retryCompensations(): Promise<void> {
      for (const c of await compensations.find({ dueAt: op({ $lte: new Date(now()) }) }).limit(50).lean()) {
        try {
          const order = await orders.findById(c._id).lean();
          if (order && order.status !== 'CANCELLED') {
            await compensations.deleteOne({ _id: c._id });
            continue;
          }
          if (c.releaseStock) await catalogue.releaseStock(String(c._id));
          if (c.releaseRedemption) await promotions.release(String(c._id));
          await compensations.deleteOne({ _id: c._id });
        } catch (err) {
          await compensations.updateOne({ _id: c._id }, { $inc: { attempts: 1 }, $set: { lastError: String(err) } });
        }
      }
    },

    /**
     * Moves an order to `to` with one conditional update, so concurrent changes cannot both win;
     * the change and its events are stored together.
     */
    async transition(order: OrderDoc, to: OrderStatus): Promise<OrderDoc> {
      assertTransition(order.status as OrderStatus, to);
      // A cancel gives back stock and redemption: noted first, so a crash after the write still does.
      if (to === 'CANCELLED') await journal(order.id, !!order.promoCode, CANCEL_DUE_MS);
      const at = new Date();
      // `history` lists every status so far: a consumer that missed or got a change late can tell.
      const history = [...order.statusHistory.map((change) => change.status as OrderStatus), to];
      const events: DomainEvent<'order.status_changed' | 'order.cancelled'>[] = [
        createEvent('order.status_changed', { ...orderEventData(order), from: order.status, status: to, history }),
      ];
      if (to === 'CANCELLED') events.push(createEvent('order.cancelled', { ...orderEventData(order), status: to }));
      const updated = await orders.findOneAndUpdate(
        { _id: order._id, status: order.status },
        { $set: { status: to }, $push: { statusHistory: { status: to, at }, outbox: { $each: events } } },
        { new: true },
      );
      if (!updated) {
        const current = await orders.findById(order._id);
        if (!current) throw notFound('Order');
        assertTransition(current.status as OrderStatus, to);
        return this.transition(current, to);
      }
      void relay.flush(updated._id, events);
      if (to === 'CANCELLED') await compensate(updated.id, !!updated.promoCode);
      await customerChanged(updated.customerId);
      return updated;
    },
  };
}

/** What consumers of order events need without calling us back. */
function orderEventData(order: OrderDoc): EventData<'order.created'> {
  return {
    orderId: order.id,
    number: order.number,
    customerId: order.customerId,
    status: order.status,
    items: order.items.map(({ productId, name, quantity, unitPriceCents }) => ({ productId, name, quantity, unitPriceCents })),
    currency: order.currency,
    subtotalCents: order.subtotalCents,
    discountCents: order.discountCents,
    totalCents: order.totalCents,
    promoCode: order.promoCode ?? null,
    createdAt: order.createdAt.toISOString(),
  };
}

export type OrderDesk = ReturnType<typeof orderDesk>;
