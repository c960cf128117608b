/**
 * Order tracking at scale, on one router (`npm run bench:subscriptions -- 1000 50`): S
 * subscribers, each on its own WebSocket connection, spread over the orders of C customers (one
 * order each). Measured twice on one shop, with new orders each time:
 * - distinct viewers: every subscriber is a different admin, so every event is resolved once
 *   per subscriber (the worst case);
 * - owners: every subscriber is its order's owner (one customer on several devices), so the
 *   router resolves each event once per order and sends it to all of them.
 * Each time, every order is first shipped one change at a time (latency from updateOrderStatus
 * returning to the event at each client), then every order is delivered at once (a burst:
 * events delivered per second, and latency under it). Starts its own FerretDB (unless
 * MONGO_URL is set) and shop.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startFerretDB } from '../ferretdb';
import { eventually, gql } from '../../test/support/graphql';
import { startTestStack } from '../../test/support/stack';
import { percentile } from './stats';
import { adminTokens, subscribeAll } from './subscribers';

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms`;
};

const ORDER_UPDATED = `subscription OrderUpdated($id: ID!) {
  orderUpdated(id: $id) { id number status items { quantity product { name } } }
}`;
const STATUS = `mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { status } }`;

interface Order {
  id: string;
  ownerToken: string;
}

async function main() {
  const subscribers = Number(process.argv[2] ?? 1000);
  const customers = Number(process.argv[3] ?? 50);
  const db = process.env.MONGO_URL ? undefined : await startFerretDB(mkdtempSync(path.join(os.tmpdir(), 'shop-bench-')), await freePort());
  process.env.MONGO_URL ??= db!.url;
  const { stack, env } = await startTestStack('bench', { LOG_LEVEL: 'error' });
  const url = stack.routerUrl;
  try {
    const admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
    const input = { sku: `BENCH-${Date.now()}`, name: 'Bench kettle', description: 'd', category: 'kitchen', priceCents: 900, stock: 3 * customers + 10 };
    const productId = (await gql(url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, admin)).data.createProduct.id;
    const tokens: string[] = [];
    for (let i = 0; i < customers; i++) {
      const res = await gql(url, `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, { i: { email: `bench${i}@example.com`, password: 'long-enough-1', name: `Bench ${i}` } });
      tokens.push(res.data.signUp.token);
    }
    const placeOrders = () =>
      Promise.all(
        tokens.map(async (ownerToken) => {
          const res = await gql(url, `mutation($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 1 }] }) { id } }`, { id: productId }, ownerToken);
          return { id: res.data.placeOrder.id as string, ownerToken };
        }),
      );

    const anotherAdmin = await adminTokens(env);
    console.log(`${subscribers} subscribers, each on its own connection, over ${customers} orders (${subscribers / customers} per order)`);
    await httpBaseline(url, (await placeOrders())[0]);
    await measure('distinct viewers', url, admin, await placeOrders(), subscribers, () => anotherAdmin());
    await measure('owners', url, admin, await placeOrders(), subscribers, (order) => order.ownerToken);
  } finally {
    await stack.stop();
    await db?.stop();
  }
}

/** The same selection as a plain query over HTTP, as the yardstick of what this stack can resolve. */
async function httpBaseline(url: string, order: Order) {
  const query = `query($id: ID!) { order(id: $id) { id number status items { quantity product { name } } } }`;
  const n = 400;
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next++ < n) await gql(url, query, { id: order.id }, order.ownerToken);
  }));
  console.log(`the same selection as HTTP queries, 50 at a time: ${(n / ((Date.now() - started) / 1000)).toFixed(0)} queries/s`);
}

async function measure(shape: string, url: string, admin: string, orders: Order[], subscribers: number, tokenFor: (order: Order) => string) {
  // When each order's change returned, and when each subscriber received it (an event may come first).
  const changedAt = new Map<string, number>();
  const received: Record<string, { key: string; at: number }[]> = { SHIPPED: [], DELIVERED: [] };
  const latencies = (status: string) => received[status].map(({ key, at }) => at - changedAt.get(key)!);
  let failed = 0;
  const watching = Array.from({ length: subscribers }, (_, s) => orders[s % orders.length]);
  const subscriptions = await subscribeAll(url, ORDER_UPDATED, watching.map((order) => ({ orderId: order.id, token: tokenFor(order) })), (s, event, at) => {
    if (event.errors) failed++;
    else received[event.data.orderUpdated.status].push({ key: `${watching[s].id} ${event.data.orderUpdated.status}`, at });
  });
  try {
    const perOrder = subscribers / orders.length;
    for (const [i, order] of orders.entries()) {
      await gql(url, STATUS, { id: order.id, status: 'SHIPPED' }, admin);
      changedAt.set(`${order.id} SHIPPED`, Date.now());
      await eventually(async () => (received.SHIPPED.length + failed >= Math.round(perOrder * (i + 1)) ? true : undefined), 60_000, 5);
    }
    const burstStart = Date.now();
    await Promise.all(
      orders.map(async (order) => {
        await gql(url, STATUS, { id: order.id, status: 'DELIVERED' }, admin);
        changedAt.set(`${order.id} DELIVERED`, Date.now());
      }),
    );
    await eventually(async () => (received.SHIPPED.length + received.DELIVERED.length + failed >= 2 * subscribers ? true : undefined), 300_000, 5);
    const seconds = (Math.max(...received.DELIVERED.map((r) => r.at)) - burstStart) / 1000;
    const n = received.DELIVERED.length;
    console.log(`${shape}:`);
    console.log(`  one change at a time: ${received.SHIPPED.length} events; updateOrderStatus returned -> event at the client: ${summary(latencies('SHIPPED'))}`);
    console.log(`  ${orders.length} changes at once: ${n} events in ${seconds.toFixed(2)} s = ${(n / seconds).toFixed(0)} events/s; ${summary(latencies('DELIVERED'))}`);
    if (failed) console.log(`  events with errors: ${failed}`);
  } finally {
    await subscriptions.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
