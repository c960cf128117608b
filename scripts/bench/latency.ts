/** Scenarios measured as the time until something arrives: an email, a subscription event. */
import { eventually } from '../../test/support/graphql';
import type { emailClock } from './emails';
import { call, type Fixtures } from './fixtures';
import { contract, UPDATE_ORDER_STATUS } from './operations';
import { latencies, type Latencies } from './stats';
import { adminTokens, subscribeAll } from './subscribers';

export interface LatencyResult extends Latencies {
  name: string;
  /** Each latency in ms, in the order measured (notifications: by order number); in the JSON only. */
  samples?: number[];
  /** Emails or events that never came, and events that came with errors. */
  errors: number;
}

/** Orders not measured first, as the load scenarios warm up: after a pause the first emails are slow (~150 ms: connections reopened). */
const WARM_UP_ORDERS = 5;

/** Orders placed one at a time on a quiet shop, each followed by its confirmation email. */
export async function idleNotifications(url: string, fixtures: Fixtures, clock: ReturnType<typeof emailClock>, orders: number): Promise<LatencyResult> {
  const [buyer] = fixtures.buyers;
  for (let i = 0; i < WARM_UP_ORDERS; i++) {
    const { placeOrder } = await call(url, contract.PLACE_ORDER, { items: [{ productId: buyer.productId, quantity: 1 }] }, buyer.token);
    clock.placed(placeOrder.number, Date.now());
  }
  await clock.collect(60_000);
  for (let i = 0; i < orders; i++) {
    const { placeOrder } = await call(url, contract.PLACE_ORDER, { items: [{ productId: buyer.productId, quantity: 1 }] }, buyer.token);
    clock.placed(placeOrder.number, Date.now());
  }
  const { missing, ...measured } = await clock.collect(60_000);
  return { name: 'notification latency, idle', ...measured, errors: missing };
}

/**
 * One status change of one order watched by `subscribers` distinct admins, each on its own
 * WebSocket connection: the router resolves the event once per subscriber (the worst case of
 * the subscriptions bench). Latency runs from updateOrderStatus returning to each event.
 */
export async function statusChangeFanOut(url: string, env: Record<string, string>, fixtures: Fixtures, subscribers: number): Promise<LatencyResult> {
  const [buyer] = fixtures.buyers;
  const orderId = (await call(url, contract.PLACE_ORDER, { items: [{ productId: buyer.productId, quantity: 1 }] }, buyer.token)).placeOrder.id as string;
  const anotherAdmin = await adminTokens(env);
  const arrivals: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const watchers = Array.from({ length: subscribers }, () => ({ orderId, token: anotherAdmin() }));
  const subscriptions = await subscribeAll(url, contract.ORDER_UPDATED, watchers, (_, event, at) => {
    if (!event.errors) return void arrivals.push(at);
    failed++;
    firstError ??= JSON.stringify(event.errors).slice(0, 300);
  });
  try {
    await call(url, UPDATE_ORDER_STATUS, { id: orderId, status: 'SHIPPED' }, fixtures.adminToken);
    const changedAt = Date.now();
    await eventually(async () => (arrivals.length + failed >= subscribers ? true : undefined), 300_000, 20).catch(() => undefined);
    if (firstError) console.error(`status change: ${failed} events with errors, the first: ${firstError}`);
    return {
      name: `one status change to ${subscribers} subscribers`,
      ...latencies(arrivals.map((at) => at - changedAt)),
      errors: subscribers - arrivals.length,
    };
  } finally {
    await subscriptions.close();
  }
}
