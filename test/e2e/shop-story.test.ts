/**
 * The shop's whole story through the real router over HTTP, against real FerretDB, Redis and
 * RabbitMQ, with every process started as `npm start` starts it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Stack } from '../../scripts/stack';
import { errorCode, eventually, gql } from '../support/graphql';
import { startTestStack } from '../support/stack';

const SIGN_UP = `mutation($email: String!, $password: String!, $name: String!) {
  signUp(input: { email: $email, password: $password, name: $name }) { token refreshToken user { id email name role } }
}`;
const LOG_IN = `mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token user { id } } }`;
const PRODUCTS = `query($first: Int, $inStock: Boolean) {
  products(first: $first, filter: { inStock: $inStock }) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id sku name category price { cents currency } stock inStock } }
  }
}`;
const PRODUCT = `query($id: ID!) { product(id: $id) { id name stock recommendations(first: 3) { id name category } category } }`;
const PLACE_ORDER = `mutation($items: [OrderItemInput!]!, $promoCode: String) {
  placeOrder(input: { items: $items, promoCode: $promoCode }) {
    id number status promoCode
    items { quantity unitPrice { cents currency } lineTotal { cents currency } product { id name } }
    subtotal { cents currency } discount { cents currency } total { cents currency } createdAt
  }
}`;
const TRACK_ORDER = `query($id: ID!) {
  order(id: $id) { id number status statusHistory { status at } items { quantity product { id name } } total { cents currency } customer { id email } }
}`;
const MY_ACCOUNT = `query {
  me { id name orders(first: 5) { totalCount edges { node { id number status } } }
       notifications(first: 5) { edges { node { channel kind subject status } } } }
}`;

let stack: Stack;
let env: Record<string, string>;
let url: string;

beforeAll(async () => {
  ({ stack, env } = await startTestStack('story'));
  url = stack.routerUrl;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const base = () => url.replace('/graphql', '');

describe('the shop, end to end', () => {
  const email = `Ann.${Date.now()}@Example.com`;
  const password = 'correct-horse-1';
  let token: string;
  let userId: string;
  let product: { id: string; name: string; stock: number; price: { cents: number } };

  it('is healthy and ready', async () => {
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ subgraphs: { users: true, catalogue: true, orders: true } });
  });

  it('1. signs a customer up and logs them in with a JWT', async () => {
    const signUp = await gql(url, SIGN_UP, { email, password, name: 'Ann' });
    expect(signUp.errors).toBeUndefined();
    expect(signUp.data.signUp.user).toMatchObject({ email: email.toLowerCase(), name: 'Ann', role: 'CUSTOMER' });
    const logIn = await gql(url, LOG_IN, { email: email.toUpperCase(), password });
    token = logIn.data.logIn.token;
    userId = logIn.data.logIn.user.id;
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: userId, role: 'CUSTOMER' });
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('2. lists products, found in memory, each served from the Redis product cache once cached', async () => {
    const first = await gql(url, PRODUCTS, { first: 10, inStock: true });
    expect(first.errors).toBeUndefined();
    expect(first.data.products.totalCount).toBeGreaterThanOrEqual(30);
    expect(first.data.products.edges).toHaveLength(10);
    product = first.data.products.edges.map((e: any) => e.node).find((p: any) => p.stock >= 5);
    expect(product).toBeDefined();

    // Products are cached on first read; mark the cached copy and see the router serve it.
    const LANDING = `{ products(first: 12) { edges { node { id name } } } }`;
    const landing = await gql(url, LANDING);
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const ids = landing.data.products.edges.map((e: any) => e.node.id);
      const [productKey] = await redis.keys(`${env.REDIS_PREFIX}*:catalogue:*:c:product-rev:${ids[0]}@*`);
      const cached = JSON.parse((await redis.get(productKey))!);
      await redis.set(productKey, JSON.stringify({ ...cached, name: 'served from the cache' }), 'KEEPTTL');
      const again = await gql(url, LANDING);
      expect(again.data.products.edges[0].node.name).toBe('served from the cache');
    } finally {
      redis.disconnect();
    }
  });

  let order: any;
  it('3. places an order with CHAT10: stock reserved, 10% off, CONFIRMED with a number', async () => {
    const res = await gql(url, PLACE_ORDER, { items: [{ productId: product.id, quantity: 2 }], promoCode: 'chat10' }, token);
    expect(res.errors).toBeUndefined();
    order = res.data.placeOrder;
    const subtotal = product.price.cents * 2;
    expect(order).toMatchObject({
      status: 'CONFIRMED',
      promoCode: 'CHAT10',
      subtotal: { cents: subtotal },
      discount: { cents: Math.floor(subtotal / 10) },
      total: { cents: subtotal - Math.floor(subtotal / 10) },
      items: [{ quantity: 2, unitPrice: { cents: product.price.cents }, product: { id: product.id, name: product.name } }],
    });
    expect(order.number).toBeGreaterThanOrEqual(1);
    const after = await gql(url, PRODUCT, { id: product.id });
    expect(after.data.product.stock).toBe(product.stock - 2);
  });

  it('4. emails the customer the order confirmation with its number', async () => {
    const outbox = path.join(env.DATA_DIR, 'outbox');
    const mail = await eventually(async () => {
      const files = (() => {
        try {
          return readdirSync(outbox);
        } catch {
          return [];
        }
      })();
      const texts = files.map((f) => readFileSync(path.join(outbox, f), 'utf8'));
      return texts.find((t) => t.includes(`Subject: Your order #${order.number} is confirmed`));
    });
    expect(mail).toContain(`To: ${email.toLowerCase()}`);
    const account = await eventually(async () => {
      const res = await gql(url, MY_ACCOUNT, {}, token);
      return res.data?.me.notifications.edges.some((e: any) => e.node.status === 'SENT') ? res : undefined;
    });
    expect(account.data.me.notifications.edges[0].node).toMatchObject({ channel: 'EMAIL', kind: 'order.created', status: 'SENT' });
    expect(account.data.me.orders).toMatchObject({ totalCount: 1, edges: [{ node: { id: order.id, number: order.number } }] });
  });

  it('5. tracks the order through the router', async () => {
    const res = await gql(url, TRACK_ORDER, { id: order.id }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.order).toMatchObject({
      id: order.id,
      number: order.number,
      status: 'CONFIRMED',
      statusHistory: [{ status: 'CONFIRMED' }],
      customer: { id: userId, email: email.toLowerCase() },
      items: [{ quantity: 2, product: { id: product.id, name: product.name } }],
    });
  });

  it('recommends other in-stock products of the same category, resolved by the catalogue', async () => {
    const res = await gql(url, PRODUCT, { id: product.id });
    const recs = res.data.product.recommendations;
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) {
      expect(r.id).not.toBe(product.id);
      expect(r.category).toBe(res.data.product.category);
      expect(r.name).toEqual(expect.any(String));
    }
  });

  describe('bad input gets the contract error codes and changes nothing', () => {
    const stockOf = async (id: string) => (await gql(url, PRODUCT, { id })).data.product.stock;

    it('unknown product: NOT_FOUND', async () => {
      const res = await gql(url, PLACE_ORDER, { items: [{ productId: '000000000000000000000000', quantity: 1 }] }, token);
      expect(errorCode(res)).toBe('NOT_FOUND');
    });

    it('quantity below 1: BAD_USER_INPUT', async () => {
      const res = await gql(url, PLACE_ORDER, { items: [{ productId: product.id, quantity: 0 }] }, token);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
    });

    it('more than the stock: OUT_OF_STOCK with the product and what is available', async () => {
      const stock = await stockOf(product.id);
      const res = await gql(url, PLACE_ORDER, { items: [{ productId: product.id, quantity: stock + 1 }] }, token);
      expect(errorCode(res)).toBe('OUT_OF_STOCK');
      expect(res.errors![0].extensions).toMatchObject({ productId: product.id, available: stock });
      expect(await stockOf(product.id)).toBe(stock);
    });

    it('unknown promo code: PROMO_CODE_INVALID, and the reserved stock is given back', async () => {
      const stock = await stockOf(product.id);
      const res = await gql(url, PLACE_ORDER, { items: [{ productId: product.id, quantity: 1 }], promoCode: 'NOPE99' }, token);
      expect(errorCode(res)).toBe('PROMO_CODE_INVALID');
      expect(res.errors![0].extensions).toMatchObject({ reason: 'UNKNOWN' });
      expect(await stockOf(product.id)).toBe(stock);
    });

    it('no token on placeOrder: UNAUTHENTICATED', async () => {
      const res = await gql(url, PLACE_ORDER, { items: [{ productId: product.id, quantity: 1 }] });
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
    });

    it('a forged token: HTTP 401 UNAUTHENTICATED for the whole request', async () => {
      const [h, p] = token.split('.');
      const res = await gql(url, MY_ACCOUNT, {}, `${h}.${p}.forged-signature`);
      expect(res.status).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
    });

    it('no error carries a stack trace', async () => {
      const res = await gql(url, PLACE_ORDER, { items: [{ productId: 'not-an-id', quantity: 1 }] }, token);
      expect(JSON.stringify(res)).not.toMatch(/stacktrace|\.ts:\d+/);
    });
  });
});
