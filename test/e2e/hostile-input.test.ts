/**
 * Hostile input through the real router: each gets a contract code (never a stack trace or an
 * internal message), and the data stays as it was.
 */
import type { Stack } from '../../scripts/stack';
import { errorCode, gql, type GraphQLResponse } from '../support/graphql';
import { startTestStack } from '../support/stack';

let stack: Stack;
let env: Record<string, string>;
let router: string;
let customer: string;
let admin: string;
let productId: string;
let stockBefore: number;

const PLACE = `mutation($items: [OrderItemInput!]!, $promo: String) { placeOrder(input: { items: $items, promoCode: $promo }) { id } }`;
const STOCK = `query($id: ID!) { product(id: $id) { stock } }`;
const MY_ORDERS = `{ me { orders { totalCount } } }`;

beforeAll(async () => {
  ({ stack, env } = await startTestStack('hostile'));
  router = stack.routerUrl;
  customer = (await gql(router, `mutation { signUp(input: { email: "hostile@example.com", password: "long-enough-1", name: "H" }) { token } }`)).data.signUp.token;
  admin = (await gql(router, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
  const products = await gql(router, `{ products(first: 1, filter: { inStock: true }, sort: PRICE_ASC) { edges { node { id stock } } } }`);
  productId = products.data.products.edges[0].node.id;
  // Plenty of stock, so that the caps per order, not the stock, answer a large quantity.
  stockBefore = (await gql(router, `mutation($id: ID!) { adjustStock(productId: $id, delta: 1000) { stock } }`, { id: productId }, admin)).data.adjustStock.stock;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** Nothing a client sees names our code: no stack, no file path, no driver or library message. */
function expectClean(res: GraphQLResponse<unknown>) {
  const text = JSON.stringify(res);
  expect(text).not.toMatch(/stacktrace|\bat \S+ \(|\.ts:\d+|node_modules|Mongo|Cast to|mongoose/i);
}

async function post(body: string, contentType = 'application/json') {
  const res = await fetch(router, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await res.text();
  return { status: res.status, text, json: (() => { try { return JSON.parse(text); } catch { return undefined; } })() };
}

describe('malformed requests', () => {
  it('malformed JSON: HTTP 400 BAD_REQUEST in GraphQL shape', async () => {
    const res = await post('{"query": "{ __typename }"');
    expect({ status: res.status, code: res.json?.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(res.text).not.toMatch(/at \S+ \(|SyntaxError|node_modules/);
  });

  it('a wrong content type: refused with HTTP 400 BAD_REQUEST, nothing executed', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await post(JSON.stringify({ query: `mutation { signUp(input: { email: "csrf@example.com", password: "long-enough-1", name: "C" }) { token } }` }), type);
      expect({ type, status: res.status, code: res.json?.errors?.[0]?.extensions?.code }).toEqual({ type, status: 400, code: 'BAD_REQUEST' });
    }
    const logIn = await gql(router, `mutation { logIn(email: "csrf@example.com", password: "long-enough-1") { token } }`);
    expect(errorCode(logIn)).toBe('INVALID_CREDENTIALS');
  });

  it('a body that is JSON but not an operation: HTTP 400 BAD_REQUEST', async () => {
    for (const body of ['[]', '"query"', '{"query": 42}', '{}']) {
      const res = await post(body);
      expect({ body, status: res.status, code: res.json?.errors?.[0]?.extensions?.code }).toEqual({ body, status: 400, code: 'BAD_REQUEST' });
    }
  });
});

describe('page sizes', () => {
  it('a huge first: refused by the cost limit or the subgraph, never served', async () => {
    const huge = await gql(router, `{ products(first: 2147483647) { edges { node { id } } } }`);
    expect({ status: huge.status, code: errorCode(huge), data: huge.data ?? null }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED', data: null });
    const overInt = await gql(router, `{ products(first: 2147483648) { totalCount } }`);
    expect(errorCode(overInt)).toBe('GRAPHQL_VALIDATION_FAILED');
    const overMax = await gql(router, `query($n: Int) { popularProducts(first: $n) { id } }`, { n: 101 });
    expect({ code: errorCode(overMax), data: overMax.data }).toEqual({ code: 'BAD_USER_INPUT', data: null });
    for (const n of [0, -1]) expect(errorCode(await gql(router, `query($n: Int) { products(first: $n) { totalCount } }`, { n }))).toBe('BAD_USER_INPUT');
  });
});

describe('quantities', () => {
  it('zero, negative, over the cap and 2^31: BAD_USER_INPUT; 2^31 - 1 (more than the stock): OUT_OF_STOCK; no order, stock unchanged', async () => {
    for (const [quantity, expected] of [[0, 'BAD_USER_INPUT'], [-1, 'BAD_USER_INPUT'], [21, 'BAD_USER_INPUT'], [2 ** 31 - 1, 'OUT_OF_STOCK'], [2 ** 31, 'BAD_USER_INPUT']] as const) {
      const res = await gql(router, PLACE, { items: [{ productId, quantity }] }, customer);
      expect({ quantity, code: errorCode(res), data: res.data ?? null }).toEqual({ quantity, code: expected, data: null });
      expectClean(res);
    }
    // Two lines of one product count together.
    const split = await gql(router, PLACE, { items: [{ productId, quantity: 11 }, { productId, quantity: 10 }] }, customer);
    expect({ code: errorCode(split), max: split.errors?.[0].extensions?.max }).toEqual({ code: 'BAD_USER_INPUT', max: 20 });
    expect((await gql(router, STOCK, { id: productId })).data.product.stock).toBe(stockBefore);
    expect((await gql(router, MY_ORDERS, {}, customer)).data.me.orders.totalCount).toBe(0);
  });
});

describe('ids', () => {
  it('unknown and malformed ids: null for queries, NOT_FOUND or BAD_USER_INPUT for mutations, never an internal error', async () => {
    for (const id of ['not-an-id', '0'.repeat(24), '', "'; drop", '{"$ne":null}']) {
      const product = await gql(router, `query($id: ID!) { product(id: $id) { id } }`, { id });
      expect({ id, data: product.data, errors: product.errors }).toEqual({ id, data: { product: null }, errors: undefined });
      const order = await gql(router, `query($id: ID!) { order(id: $id) { id } }`, { id }, customer);
      expect({ id, data: order.data, errors: order.errors }).toEqual({ id, data: { order: null }, errors: undefined });
      const cancel = await gql(router, `mutation($id: ID!) { cancelOrder(id: $id) { id } }`, { id }, customer);
      expect({ id, code: errorCode(cancel) }).toEqual({ id, code: 'NOT_FOUND' });
      const place = await gql(router, PLACE, { items: [{ productId: id, quantity: 1 }] }, customer);
      expect({ id, code: errorCode(place) }).toEqual({ id, code: expect.stringMatching(/^(NOT_FOUND|BAD_USER_INPUT)$/) });
      for (const res of [product, order, cancel, place]) expectClean(res);
    }
    expect((await gql(router, MY_ORDERS, {}, customer)).data.me.orders.totalCount).toBe(0);
  });
});

describe('operators, NUL bytes, unicode and regex metacharacters in strings', () => {
  it('an object where a string belongs is refused by GraphQL itself: BAD_USER_INPUT, nothing runs', async () => {
    const logIn = await gql(router, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: { $gt: '' }, p: { $ne: null } });
    expect({ status: logIn.status, code: errorCode(logIn) }).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    const promo = await gql(router, `query($c: String!) { promotion(code: $c) { code } }`, { c: { $regex: '.*' } });
    expect({ status: promo.status, code: errorCode(promo) }).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    const order = await gql(router, PLACE, { items: [{ productId: { $ne: null }, quantity: 1 }] }, customer);
    expect({ status: order.status, code: errorCode(order) }).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
  });

  it('regex metacharacters and operators as promo codes match nothing: null, PROMO_CODE_INVALID UNKNOWN, no order, no redemption', async () => {
    for (const code of ['.*', 'CHAT.*', '^CHAT10$', 'CHAT1[0-9]', '$ne', '{"$ne": null}', 'chat10\u0000', '\u0000']) {
      const found = await gql(router, `query($c: String!) { promotion(code: $c) { code } }`, { c: code });
      expect({ code, data: found.data, errors: found.errors }).toEqual({ code, data: { promotion: null }, errors: undefined });
      const order = await gql(router, PLACE, { items: [{ productId, quantity: 1 }], promo: code }, customer);
      expect({ code, error: errorCode(order), reason: order.errors?.[0].extensions?.reason }).toEqual({ code, error: 'PROMO_CODE_INVALID', reason: 'UNKNOWN' });
    }
    const created = await gql(router, `mutation { createPromotion(input: { code: "A.*", description: "d", percentOff: 5 }) { code } }`, {}, admin);
    expect(errorCode(created)).toBe('BAD_USER_INPUT');
    const chat10 = await gql(router, `{ promotions { code redemptionCount } }`, {}, admin);
    expect(chat10.data.promotions).toEqual([{ code: 'CHAT10', redemptionCount: 0 }]);
    expect((await gql(router, STOCK, { id: productId })).data.product.stock).toBe(stockBefore);
    expect((await gql(router, MY_ORDERS, {}, customer)).data.me.orders.totalCount).toBe(0);
  });

  it('NUL bytes and control characters in names, emails and phones: BAD_USER_INPUT, no account', async () => {
    const SIGN_UP = `mutation($e: String!, $n: String!, $p: String) { signUp(input: { email: $e, password: "long-enough-1", name: $n, phone: $p }) { user { id } } }`;
    const cases = [
      { e: 'nul\u0000@example.com', n: 'N' },
      { e: 'nul1@example.com', n: 'Bob\u0000' },
      { e: 'nul2@example.com', n: 'Bob\u001b[31m' },
      { e: 'nul3@example.com', n: 'N', p: '+3361234\u00005678' },
      { e: 'nul4@example.com', n: 'N', p: '0612345678' },
      { e: 'nul5@example.com', n: 'N', p: '+33 6 12 34 56 78 90 12 34' },
    ];
    for (const c of cases) {
      const res = await gql(router, SIGN_UP, c);
      expect({ c, code: errorCode(res) }).toEqual({ c, code: 'BAD_USER_INPUT' });
      expectClean(res);
    }
    for (const email of ['nul@example.com', 'nul1@example.com', 'nul2@example.com', 'nul3@example.com'])
      expect(errorCode(await gql(router, `mutation($e: String!) { logIn(email: $e, password: "long-enough-1") { token } }`, { e: email }))).toBe('INVALID_CREDENTIALS');
  });

  it('unicode edge cases in a name are kept exactly; a password is measured in bytes', async () => {
    const name = 'Zoë 😀 \u202eevil\u202c e\u0301';
    const res = await gql(router, `mutation($n: String!) { signUp(input: { email: "uni@example.com", password: "long-enough-1", name: $n }) { user { name } } }`, { n: name });
    expect({ errors: res.errors, name: res.data?.signUp.user.name }).toEqual({ errors: undefined, name });
    // 19 four-byte characters: 76 bytes, beyond what bcrypt reads.
    const long = await gql(router, `mutation($p: String!) { signUp(input: { email: "uni2@example.com", password: $p, name: "U" }) { token } }`, { p: '😀'.repeat(19) });
    expect(errorCode(long)).toBe('BAD_USER_INPUT');
  });
});
