/**
 * Checkout through the router when things go wrong: concurrent retries of one request, a
 * subgraph down mid-saga, the broker unreachable and the orders process killed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Stack } from '../../scripts/stack';
import { errorCode, eventually, gql } from '../support/graphql';
import { startTestStack } from '../support/stack';
import { tcpProxy } from '../support/tcp-proxy';

let stack: Stack;
let env: Record<string, string>;
let url: string;
let broker: Awaited<ReturnType<typeof tcpProxy>>;
let token: string;
let admin: string;

const ORDER = `mutation($id: ID!, $qty: Int!, $key: String, $promo: String) {
  placeOrder(input: { items: [{ productId: $id, quantity: $qty }], idempotencyKey: $key, promoCode: $promo }) { id number status total { cents } }
}`;
const STOCK = `query($id: ID!) { product(id: $id) { stock } }`;
const PROMO = `query($code: String!) { promotion(code: $code) { redemptionCount } }`;

async function newProduct(stock: number): Promise<string> {
  const input = { sku: `ORD-${Date.now()}-${Math.random()}`, name: 'Teapot', description: 'A teapot', category: 'kitchen', priceCents: 2000, stock };
  return (await gql(url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, admin)).data.createProduct.id;
}

function mailsFor(number: number): string[] {
  const outbox = path.join(env.DATA_DIR, 'outbox');
  let files: string[] = [];
  try {
    files = readdirSync(outbox);
  } catch {
    return [];
  }
  return files.map((f) => readFileSync(path.join(outbox, f), 'utf8')).filter((m) => m.includes(`Subject: Your order #${number} is confirmed`));
}

beforeAll(async () => {
  broker = await tcpProxy(5672);
  ({ stack, env } = await startTestStack('orders', {}, { orders: { AMQP_URL: `amqp://guest:guest@127.0.0.1:${broker.port}` } }));
  url = stack.routerUrl;
  admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
  token = (await gql(url, `mutation { signUp(input: { email: "olga@example.com", password: "long-enough-1", name: "Olga" }) { token } }`)).data.signUp.token;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await broker?.cut();
});

describe('lifecycle', () => {
  const STATUS = `mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { status statusHistory { status at } } }`;
  const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id) { status } }`;

  it('CONFIRMED -> SHIPPED -> DELIVERED, each change kept; any other move is BAD_USER_INPUT', async () => {
    const id = await newProduct(5);
    const order = (await gql(url, ORDER, { id, qty: 1 }, token)).data.placeOrder;
    expect(errorCode(await gql(url, STATUS, { id: order.id, status: 'DELIVERED' }, admin))).toBe('BAD_USER_INPUT');
    await gql(url, STATUS, { id: order.id, status: 'SHIPPED' }, admin);
    const delivered = (await gql(url, STATUS, { id: order.id, status: 'DELIVERED' }, admin)).data.updateOrderStatus;
    expect(delivered.statusHistory.map((h: any) => h.status)).toEqual(['CONFIRMED', 'SHIPPED', 'DELIVERED']);
    expect(errorCode(await gql(url, CANCEL, { id: order.id }, token))).toBe('BAD_USER_INPUT');
  });

  it('a cancel gives back the stock and the promo redemption', async () => {
    const id = await newProduct(5);
    const before = (await gql(url, PROMO, { code: 'CHAT10' }, admin)).data.promotion.redemptionCount;
    const order = (await gql(url, ORDER, { id, qty: 2, promo: 'CHAT10' }, token)).data.placeOrder;
    expect((await gql(url, PROMO, { code: 'CHAT10' }, admin)).data.promotion.redemptionCount).toBe(before + 1);
    expect((await gql(url, CANCEL, { id: order.id }, token)).data.cancelOrder.status).toBe('CANCELLED');
    expect((await gql(url, STOCK, { id })).data.product.stock).toBe(5);
    expect((await gql(url, PROMO, { code: 'CHAT10' }, admin)).data.promotion.redemptionCount).toBe(before);
  });

  it('a cancel and a shipment at the same moment cannot both win', async () => {
    const id = await newProduct(5);
    for (let i = 0; i < 5; i++) {
      const order = (await gql(url, ORDER, { id, qty: 1 }, token)).data.placeOrder;
      const [cancel, ship] = await Promise.all([gql(url, CANCEL, { id: order.id }, token), gql(url, STATUS, { id: order.id, status: 'SHIPPED' }, admin)]);
      const winners = [cancel.data?.cancelOrder, ship.data?.updateOrderStatus].filter(Boolean);
      expect(winners).toHaveLength(1);
      expect(errorCode(cancel.data?.cancelOrder ? ship : cancel)).toBe('BAD_USER_INPUT');
      const track = await gql(url, `query($id: ID!) { order(id: $id) { status statusHistory { status } } }`, { id: order.id }, token);
      expect(track.data.order.statusHistory).toHaveLength(2);
    }
  }, 60_000);

  it("a customer's order list, cached, shows a new order and each status change at the next read", async () => {
    const MINE = `{ me { orders(first: 3) { totalCount edges { node { id number status total { cents currency } createdAt } } } } }`;
    const email = `list-${Date.now()}@example.com`;
    const me = (await gql(url, `mutation($e: String!) { signUp(input: { email: $e, password: "long-enough-1", name: "Lisa" }) { token } }`, { e: email })).data.signUp.token;
    const mine = async () => (await gql(url, MINE, {}, me)).data.me.orders;
    expect(await mine()).toEqual({ totalCount: 0, edges: [] });
    const id = await newProduct(10);
    const first = (await gql(url, ORDER, { id, qty: 2 }, me)).data.placeOrder;
    const second = (await gql(url, ORDER, { id, qty: 1 }, me)).data.placeOrder;
    const listed = await mine();
    expect(listed.totalCount).toBe(2);
    expect(listed.edges.map((e: any) => e.node)).toEqual([
      { id: second.id, number: second.number, status: 'CONFIRMED', total: { cents: 2000, currency: 'EUR' }, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      { id: first.id, number: first.number, status: 'CONFIRMED', total: { cents: 4000, currency: 'EUR' }, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    ]);
    expect(Date.parse(listed.edges[1].node.createdAt)).toBeLessThanOrEqual(Date.parse(listed.edges[0].node.createdAt));
    expect(await mine()).toEqual(listed); // the same page again, from the cache
    await gql(url, STATUS, { id: first.id, status: 'SHIPPED' }, admin);
    expect((await mine()).edges[1].node.status).toBe('SHIPPED');
    await gql(url, CANCEL, { id: second.id }, me);
    expect((await mine()).edges[0].node.status).toBe('CANCELLED');
  });

  it('concurrent orders get consecutive numbers, none twice; admins list them by status', async () => {
    const id = await newProduct(20);
    const placed = await Promise.all(Array.from({ length: 10 }, () => gql(url, ORDER, { id, qty: 1 }, token)));
    const numbers = placed.map((r) => r.data.placeOrder.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => numbers[0] + i));

    const cancelled = placed[3].data.placeOrder.id;
    await gql(url, CANCEL, { id: cancelled }, token);
    const LIST = `query($status: OrderStatus) { orders(first: 100, status: $status) { edges { node { id status } } } }`;
    const listed = (await gql(url, LIST, { status: 'CANCELLED' }, admin)).data.orders.edges.map((e: any) => e.node);
    expect(listed.every((o: any) => o.status === 'CANCELLED')).toBe(true);
    expect(listed.map((o: any) => o.id)).toContain(cancelled);
    expect(errorCode(await gql(url, LIST, { status: 'CANCELLED' }, token))).toBe('FORBIDDEN');
  }, 60_000);
});

it('50 concurrent identical requests with one idempotency key make one order, and numbers stay consecutive', async () => {
  const id = await newProduct(100);
  const results = await Promise.all(Array.from({ length: 50 }, () => gql(url, ORDER, { id, qty: 2, key: 'checkout-1' }, token)));
  expect(results.map((r) => r.errors)).toEqual(Array(50).fill(undefined));
  const ids = new Set(results.map((r) => r.data.placeOrder.id));
  expect(ids.size).toBe(1);
  expect((await gql(url, STOCK, { id })).data.product.stock).toBe(98);
  const first = results[0].data.placeOrder.number;
  const next = await gql(url, ORDER, { id, qty: 1 }, token);
  expect(next.data.placeOrder.number).toBe(first + 1);
  const again = await gql(url, ORDER, { id, qty: 2, key: 'checkout-1' }, token);
  expect(again.data.placeOrder).toMatchObject({ id: [...ids][0], number: first });
  expect((await gql(url, STOCK, { id })).data.product.stock).toBe(97);
}, 120_000);

it("placeOrder answers each product's name as reserved, without the catalogue: a retry with its key gets the same answer after a rename", async () => {
  const PLACE = `mutation($id: ID!, $key: String) {
    placeOrder(input: { items: [{ productId: $id, quantity: 1 }], idempotencyKey: $key }) { id items { product { id name } } }
  }`;
  const TRACK = `query($id: ID!) { order(id: $id) { items { product { name } } } }`;
  const id = await newProduct(5);
  const placed = (await gql(url, PLACE, { id, key: 'named-1' }, token)).data.placeOrder;
  expect(placed.items).toEqual([{ product: { id, name: 'Teapot' } }]);
  await gql(url, `mutation($id: ID!) { updateProduct(id: $id, input: { name: "Teapot, renamed" }) { id } }`, { id }, admin);
  // From orders alone (@provides): had the router asked the catalogue, the new name would show.
  const again = await gql(url, PLACE, { id, key: 'named-1' }, token);
  expect(again.data.placeOrder).toEqual({ id: placed.id, items: [{ product: { id, name: 'Teapot' } }] });
  // Anywhere else the product is the catalogue's, as it is now.
  expect((await gql(url, TRACK, { id: placed.id }, token)).data.order.items).toEqual([{ product: { name: 'Teapot, renamed' } }]);
});

it('promotions down after the stock was reserved: a clean error, the stock as it was, and a retry works', async () => {
  const id = await newProduct(10);
  await stack.kill('promotions');
  expect((await fetch(url.replace(/graphql$/, 'readyz'))).status).toBe(503);
  const res = await gql(url, ORDER, { id, qty: 3, key: 'promo-down', promo: 'CHAT10' }, token);
  expect(errorCode(res)).toBe('SERVICE_UNAVAILABLE');
  expect((await gql(url, STOCK, { id })).data.product.stock).toBe(10);
  await stack.restart('promotions');
  // The router's first request to the restarted subgraph may meet a connection of the old one.
  const redemptions = await eventually(async () => (await gql(url, PROMO, { code: 'CHAT10' }, admin)).data?.promotion?.redemptionCount, 10_000, 200);
  const retry = await gql(url, ORDER, { id, qty: 3, key: 'promo-down', promo: 'CHAT10' }, token);
  expect(retry.data.placeOrder.status).toBe('CONFIRMED');
  expect((await gql(url, STOCK, { id })).data.product.stock).toBe(7);
  expect((await gql(url, PROMO, { code: 'CHAT10' }, admin)).data.promotion.redemptionCount).toBe(redemptions + 1);
}, 120_000);

it('an order stored while the broker is unreachable, and the orders process then killed, still gets its event once', async () => {
  const id = await newProduct(10);
  await broker.cut();
  const placed = await gql(url, ORDER, { id, qty: 1 }, token);
  expect(placed.data.placeOrder.status).toBe('CONFIRMED');
  const { number } = placed.data.placeOrder;
  await new Promise((r) => setTimeout(r, 1500));
  expect(mailsFor(number)).toHaveLength(0);
  await stack.kill('orders');
  await stack.restart('orders');
  await broker.open();
  await eventually(async () => (mailsFor(number).length ? true : undefined), 30_000, 200);
  await new Promise((r) => setTimeout(r, 2000));
  expect(mailsFor(number)).toHaveLength(1);
}, 120_000);
