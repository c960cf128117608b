import { isDuplicateKey, ShopError, type ErrorCode } from '@shop/kernel';
import type { CheckoutModel, OrderDoc, OrderModel } from '../data/order-model';

/** A claim older than this belongs to a checkout that died: another request may take it over. */
const ABANDONED_AFTER_MS = 60_000;
const WAIT_MS = 45_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Outcome = { claimed: true } | { claimed: false; order: OrderDoc };

/**
 * Makes concurrent requests with one idempotency key run one checkout: the first claims it,
 * the others wait and return its order, or its error. A request arriving after a failed
 * checkout claims it again (a retry), and so does one finding a claim abandoned by a crash.
 */
export function checkoutClaims(checkouts: CheckoutModel, orders: OrderModel) {
  async function takeOver(orderId: string, filter: Record<string, unknown>): Promise<boolean> {
    const taken = await checkouts.findOneAndUpdate(
      { _id: orderId, ...filter },
      { $set: { state: 'PLACING', failure: null, claimedAt: new Date() } },
    );
    return !!taken;
  }

  return {
    async claim(orderId: string): Promise<Outcome> {
      try {
        await checkouts.create({ _id: orderId, state: 'PLACING', claimedAt: new Date() });
        return { claimed: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      if (await takeOver(orderId, { state: 'FAILED' })) return { claimed: true };
      for (let waited = 0; waited < WAIT_MS; waited += 100) {
        const order = await orders.findById(orderId);
        if (order) return { claimed: false, order };
        const checkout = await checkouts.findById(orderId).lean();
        if (checkout?.state === 'FAILED') {
          const f = checkout.failure as { code: ErrorCode; message: string; extensions: Record<string, unknown> } | null;
          throw f ? new ShopError(f.code, f.message, f.extensions) : new ShopError('SERVICE_UNAVAILABLE', 'Checkout failed, please retry');
        }
        const abandoned = checkout && Date.now() - checkout.claimedAt.getTime() > ABANDONED_AFTER_MS;
        if (abandoned && (await takeOver(orderId, { state: 'PLACING', claimedAt: checkout.claimedAt }))) return { claimed: true };
        await sleep(100);
      }
      throw new ShopError('SERVICE_UNAVAILABLE', 'This order is still being placed, please retry');
    },

    /** Records why the checkout failed, for the requests waiting on it. */
    async failed(orderId: string, err: unknown): Promise<void> {
      const failure =
        err instanceof ShopError ? { code: err.extensions.code, message: err.message, extensions: err.extensions } : null;
      await checkouts.updateOne({ _id: orderId }, { $set: { state: 'FAILED', failure } });
    },
  };
}

export type CheckoutClaims = ReturnType<typeof checkoutClaims>;
