/**
 * The catalogue through the router: pagination while products are added, no overselling
 * under concurrent orders, no stale price from the cache, and answers with Redis stopped.
 */
import { Redis } from 'ioredis';
import type { Stack } from '../../scripts/stack';
import { errorCode, gql } from '../support/graphql';
import { startRedis } from '../support/redis-server';
import { startTestStack } from '../support/stack';

let stack: Stack;
let env: Record<string, string>;
let url: string;
let redis: Awaited<ReturnType<typeof startRedis>>;
let admin: string;
let customer: string;

const PAGE = `query($first: Int, $after: String, $sort: ProductSort, $category: String) {
  products(first: $first, after: $after, sort: $sort, filter: { category: $category }) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } }
  }
}`;
const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id price { cents } stock } }`;
const UPDATE = `mutation($id: ID!, $cents: Int!) { updateProduct(id: $id, input: { priceCents: $cents }) { id price { cents } } }`;
const PRODUCT = `query($id: ID!) { product(id: $id) { price { cents } stock } }`;
const LANDING = `{ products(first: 20) { edges { node { id price { cents } stock } } } }`;
const POPULAR = `{ popularProducts(first: 20) { id price { cents } } }`;

let sku = 0;
const newProduct = (over: Record<string, unknown> = {}) => ({
  sku: `CAT-${++sku}-${Date.now()}`, name: `Test product ${sku}`, description: 'Made by a test', category: 'tests', priceCents: 1000 + sku, stock: 10, ...over,
});

beforeAll(async () => {
  redis = await startRedis();
  ({ stack, env } = await startTestStack('catalogue', { REDIS_URL: redis.url }));
  url = stack.routerUrl;
  admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
  customer = (await gql(url, `mutation { signUp(input: { email: "buyer@example.com", password: "long-enough-1", name: "Buyer" }) { token } }`)).data.signUp.token;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await redis?.stop();
});

async function walk(sort: string, category?: string): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  do {
    const res = await gql(url, PAGE, { first: 37, after, sort, category });
    expect(res.errors).toBeUndefined();
    seen.push(...res.data.products.edges.map((e: any) => e.node.id));
    after = res.data.products.pageInfo.hasNextPage ? res.data.products.pageInfo.endCursor : undefined;
  } while (after);
  return seen;
}

describe('pagination', () => {
  it.each(['NEWEST', 'PRICE_ASC', 'PRICE_DESC', 'NAME', 'POPULAR'])(
    'walks every product exactly once by %s while products are being added',
    async (sort) => {
      const before = new Set(await walk(sort));
      let adding = true;
      const added: string[] = [];
      const adder = (async () => {
        while (adding) added.push((await gql(url, CREATE, { input: newProduct() }, admin)).data.createProduct.id);
      })();
      const seen = await walk(sort);
      adding = false;
      await adder;
      expect(added.length).toBeGreaterThan(0);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of before) expect(seen).toContain(id);
    },
    60_000,
  );

  it('totalCount counts the filtered products', async () => {
    const res = await gql(url, PAGE, { first: 5, category: 'books' });
    const all = await walk('NAME', 'books');
    expect(res.data.products.totalCount).toBe(all.length);
  });
});

describe('stock under concurrency', () => {
  it('200 concurrent single-unit orders against a stock of 50 sell exactly 50', async () => {
    const { id } = (await gql(url, CREATE, { input: newProduct({ stock: 50 }) }, admin)).data.createProduct;
    const ORDER = `mutation($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 1 }] }) { id status } }`;
    const results = await Promise.all(Array.from({ length: 200 }, () => gql(url, ORDER, { id }, customer)));
    const confirmed = results.filter((r) => r.data?.placeOrder?.status === 'CONFIRMED');
    const refused = results.filter((r) => errorCode(r) === 'OUT_OF_STOCK');
    expect({ confirmed: confirmed.length, refused: refused.length }).toEqual({ confirmed: 50, refused: 150 });
    expect((await gql(url, PRODUCT, { id })).data.product.stock).toBe(0);
  }, 180_000);
});

describe('cache', () => {
  it('never serves a price or stock older than the write just made', async () => {
    const landing = (await gql(url, LANDING)).data.products.edges.map((e: any) => e.node);
    await gql(url, POPULAR);
    const target = landing[0];
    for (let i = 1; i <= 10; i++) {
      const cents = 5000 + i;
      expect((await gql(url, UPDATE, { id: target.id, cents }, admin)).data.updateProduct.price.cents).toBe(cents);
      const [product, page, popular] = await Promise.all([gql(url, PRODUCT, { id: target.id }), gql(url, LANDING), gql(url, POPULAR)]);
      expect(product.data.product.price.cents).toBe(cents);
      expect(page.data.products.edges.find((e: any) => e.node.id === target.id).node.price.cents).toBe(cents);
      const inPopular = popular.data.popularProducts.find((p: any) => p.id === target.id);
      if (inPopular) expect(inPopular.price.cents).toBe(cents);
    }
    const stock = (await gql(url, PRODUCT, { id: target.id })).data.product.stock;
    await gql(url, `mutation($id: ID!) { adjustStock(productId: $id, delta: 3) { stock } }`, { id: target.id }, admin);
    const after = (await gql(url, LANDING)).data.products.edges.find((e: any) => e.node.id === target.id).node;
    expect(after.stock).toBe(stock + 3);
  });

  it('answers from the database while Redis is stopped, and uses the cache again once it is back', async () => {
    const { id } = (await gql(url, LANDING)).data.products.edges[0].node;
    await redis.stop();
    const res = await gql(url, LANDING);
    expect(res.errors).toBeUndefined();
    expect(res.data.products.edges[0].node.id).toBe(id);
    await gql(url, UPDATE, { id, cents: 4242 }, admin);
    expect((await gql(url, LANDING)).data.products.edges[0].node.price.cents).toBe(4242);
    expect((await gql(url, POPULAR)).errors).toBeUndefined();

    await redis.start();
    const client = new Redis(redis.url);
    try {
      let cached: string[] = [];
      for (let i = 0; i < 50 && !cached.length; i++) {
        await gql(url, LANDING);
        cached = await client.keys(`${env.REDIS_PREFIX}*:catalogue:*:c:product-rev:${id}@*`);
        if (!cached.length) await new Promise((r) => setTimeout(r, 200));
      }
      expect(cached.length).toBeGreaterThan(0);
      expect((await gql(url, LANDING)).data.products.edges[0].node.price.cents).toBe(4242);
    } finally {
      client.disconnect();
    }
  });
});

describe('search', () => {
  const SEARCH = `query($search: String, $category: String, $inStock: Boolean, $sort: ProductSort) {
    products(first: 10, filter: { search: $search, category: $category, inStock: $inStock }, sort: $sort) {
      totalCount edges { node { id name category stock } } categories { category count }
    }
  }`;
  const search = async (variables: Record<string, unknown>) => (await gql(url, SEARCH, { sort: 'RELEVANCE', ...variables })).data.products;

  it('finds words by prefix and with a typo, ranks by relevance, and counts each category', async () => {
    for (const query of ['teapot', 'teap', 'taepot', 'tepot']) {
      const found = await search({ search: query });
      expect({ query, names: found.edges.map((e: any) => e.node.name.includes('Teapot')) }).toEqual({ query, names: found.edges.map(() => true) });
      expect(found.totalCount).toBeGreaterThan(0);
    }
    const kitchen = await search({ search: 'teapot', category: 'kitchen' });
    const all = await search({ search: 'teapot' });
    expect(kitchen.categories).toEqual(all.categories);
    expect(kitchen.totalCount).toBe(all.categories.find((c: any) => c.category === 'kitchen')?.count ?? 0);
  });

  it('sees a write at the next search: a new product, a rename, a sell-out', async () => {
    const { id } = (await gql(url, CREATE, { input: newProduct({ name: 'Quokka Lantern', category: 'garden', stock: 2 }) }, admin)).data.createProduct;
    expect((await search({ search: 'quokka lantrn' })).edges.map((e: any) => e.node.id)).toEqual([id]);
    await gql(url, `mutation($id: ID!) { updateProduct(id: $id, input: { name: "Wombat Lantern" }) { id } }`, { id }, admin);
    expect((await search({ search: 'quokka' })).totalCount).toBe(0);
    expect((await search({ search: 'wombat' })).edges.map((e: any) => e.node.id)).toEqual([id]);
    await gql(url, `mutation($items: [OrderItemInput!]!) { placeOrder(input: { items: $items }) { id } }`, { items: [{ productId: id, quantity: 2 }] }, customer);
    expect((await search({ search: 'wombat', inStock: true })).totalCount).toBe(0);
    expect((await search({ search: 'wombat', inStock: false })).edges.map((e: any) => e.node)).toEqual([{ id, name: 'Wombat Lantern', category: 'garden', stock: 0 }]);
  });
});
