/**
 * Identity and access, attacked through the real router and against subgraphs directly:
 * every forged or broken token, role escalation, someone else's data, internal operations,
 * query limits and log-in brute force.
 */
import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Stack } from '../../scripts/stack';
import { clientAddressHeaders, routerHeaders } from '@shop/kernel';
import { errorCode, gql } from '../support/graphql';
import { startTestStack } from '../support/stack';
import { connect } from '../support/subscriptions';
import { readSigningKeys, rotateSigningKey, strangerKey } from '../support/users-db';

let stack: Stack;
let env: Record<string, string>;
let router: string;
const direct = (name: string) => `http://127.0.0.1:${stack.ports[name]}/graphql`;

const SIGN_UP = `mutation($email: String!, $password: String!, $name: String!) {
  signUp(input: { email: $email, password: $password, name: $name }) { token refreshToken user { id role } }
}`;
const LOG_IN = `mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token refreshToken user { id role } } }`;
const ME = `{ me { id email role } }`;
const PLACE_ORDER = `mutation($productId: ID!) { placeOrder(input: { items: [{ productId: $productId, quantity: 1 }] }) { id } }`;

interface Account {
  token: string;
  refreshToken: string;
  id: string;
}
let ann: Account;
let bob: Account;
let admin: Account;
let productId: string;
let annOrderId: string;

async function signUp(name: string): Promise<Account> {
  const res = await gql(router, SIGN_UP, { email: `${name}.${Date.now()}@example.com`, password: 'long-enough-1', name });
  const { token, refreshToken, user } = res.data.signUp;
  return { token, refreshToken, id: user.id };
}

beforeAll(async () => {
  ({ stack, env } = await startTestStack('security'));
  router = stack.routerUrl;
  [ann, bob] = [await signUp('ann'), await signUp('bob')];
  const res = await gql(router, LOG_IN, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
  admin = { ...res.data.logIn, id: res.data.logIn.user.id };
  const products = await gql(router, `{ products(first: 1, filter: { inStock: true }) { edges { node { id } } } }`);
  productId = products.data.products.edges[0].node.id;
  annOrderId = (await gql(router, PLACE_ORDER, { productId }, ann.token)).data.placeOrder.id;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('tokens the router refuses with HTTP 401 UNAUTHENTICATED', () => {
  const claims = () => ({ sub: ann.id, role: 'ADMIN', email: 'x@example.com', iss: 'shop-users', aud: 'shop' });
  const forged: Record<string, () => Promise<string>> = {
    malformed: async () => 'not.a.jwt',
    expired: async () => {
      const [key] = await readSigningKeys(env);
      return jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 60 }, key.privateKeyPem, { algorithm: 'RS256', keyid: key.kid });
    },
    'signed by another key (same kid)': async () => {
      const [key] = await readSigningKeys(env);
      return jwt.sign(claims(), strangerKey().privateKeyPem, { algorithm: 'RS256', keyid: key.kid, expiresIn: 600 });
    },
    'alg none': async () => {
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const [key] = await readSigningKeys(env);
      return `${part({ alg: 'none', typ: 'JWT', kid: key.kid })}.${part({ ...claims(), exp: Date.now() / 1000 + 600 })}.`;
    },
    'HS256 signed with the public key': async () => {
      const [key] = await readSigningKeys(env);
      const publicPem = createPublicKey({ key: key.publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const unsigned = `${part({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${part({ ...claims(), exp: Date.now() / 1000 + 600 })}`;
      const { createHmac } = await import('node:crypto');
      return `${unsigned}.${createHmac('sha256', publicPem).update(unsigned).digest('base64url')}`;
    },
    'no kid': async () => {
      const [key] = await readSigningKeys(env);
      return jwt.sign(claims(), key.privateKeyPem, { algorithm: 'RS256', expiresIn: 600 });
    },
  };

  it.each(Object.keys(forged))('%s', async (name) => {
    const token = await forged[name]();
    for (const url of [router, direct('orders'), direct('users')]) {
      const res = await gql(url, ME, {}, token);
      expect({ url, status: res.status, code: errorCode(res) }).toEqual({ url, status: 401, code: 'UNAUTHENTICATED' });
      expect(res.data ?? null).toBeNull();
    }
  });

  it('a token signed with the real key and the real kid is accepted (the forgeries above differ only in what they forge)', async () => {
    const [key] = await readSigningKeys(env);
    const token = jwt.sign({ sub: ann.id, role: 'CUSTOMER', email: 'x', iss: 'shop-users', aud: 'shop' }, key.privateKeyPem, {
      algorithm: 'RS256',
      keyid: key.kid,
      expiresIn: 600,
    });
    expect((await gql(router, ME, {}, token)).data.me.id).toBe(ann.id);
  });
});

describe('signing key rotation', () => {
  it('tokens of the new key are accepted at once, and tokens of the previous key still are', async () => {
    const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid;
    const before = (await gql(router, LOG_IN, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD })).data.logIn.token;
    await rotateSigningKey(env);
    const after = (await gql(router, LOG_IN, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD })).data.logIn.token;
    expect(kidOf(after)).not.toBe(kidOf(before));
    for (const url of [router, direct('orders')]) {
      expect((await gql(url, `{ orders(first: 1) { totalCount } }`, {}, after)).data.orders.totalCount).toBeGreaterThan(0);
      expect((await gql(url, `{ orders(first: 1) { totalCount } }`, {}, before)).data.orders.totalCount).toBeGreaterThan(0);
    }
    const jwks = (await (await fetch(`http://127.0.0.1:${stack.ports.users}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([kidOf(after), kidOf(before)]);
  });
});

describe('roles', () => {
  it('signUp always makes a CUSTOMER and takes no role from the client', async () => {
    expect((await gql(router, ME, {}, ann.token)).data.me.role).toBe('CUSTOMER');
    const res = await gql(router, `mutation { signUp(input: { email: "eve@example.com", password: "long-enough-1", name: "Eve", role: ADMIN }) { token } }`);
    expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('admin-only mutations: UNAUTHENTICATED without a token, FORBIDDEN for a customer, allowed for the admin', async () => {
    const CREATE = `mutation($sku: String!) { createProduct(input: { sku: $sku, name: "Lamp", description: "A lamp", category: "office", priceCents: 1000, stock: 3 }) { id sku } }`;
    expect(errorCode(await gql(router, CREATE, { sku: 'SEC-1' }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(router, CREATE, { sku: 'SEC-1' }, ann.token))).toBe('FORBIDDEN');
    expect((await gql(router, CREATE, { sku: 'SEC-1' }, admin.token)).data.createProduct.sku).toBe('SEC-1');
    const STATUS = `mutation($id: ID!) { updateOrderStatus(id: $id, status: SHIPPED) { status } }`;
    expect(errorCode(await gql(router, STATUS, { id: annOrderId }, ann.token))).toBe('FORBIDDEN');
    expect(errorCode(await gql(router, `{ orders { totalCount } }`, {}, ann.token))).toBe('FORBIDDEN');
  });
});

describe('owners only', () => {
  it("someone else's order is FORBIDDEN; the owner and admins see it", async () => {
    const TRACK = `query($id: ID!) { order(id: $id) { id customer { id } } }`;
    expect(errorCode(await gql(router, TRACK, { id: annOrderId }, bob.token))).toBe('FORBIDDEN');
    expect((await gql(router, TRACK, { id: annOrderId }, ann.token)).data.order.customer.id).toBe(ann.id);
    expect((await gql(router, TRACK, { id: annOrderId }, admin.token)).data.order.id).toBe(annOrderId);
    expect(errorCode(await gql(router, `mutation($id: ID!) { cancelOrder(id: $id) { id } }`, { id: annOrderId }, bob.token))).toBe('FORBIDDEN');
  });

  it("another user's orders and notifications through the subgraphs' entity resolution are FORBIDDEN, even as the router asks", async () => {
    const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { notifications { totalCount } } } }`;
    const reps = [{ __typename: 'User', id: ann.id }];
    const asRouter = routerHeaders(env.SERVICE_TOKEN);
    expect(errorCode(await gql(direct('notifications'), ENTITIES, { reps }, bob.token, asRouter))).toBe('FORBIDDEN');
    expect((await gql(direct('notifications'), ENTITIES, { reps }, ann.token, asRouter)).data._entities[0].notifications.totalCount).toEqual(expect.any(Number));
    const ORDERS = ENTITIES.replace('notifications { totalCount }', 'orders { totalCount }');
    expect(errorCode(await gql(direct('orders'), ORDERS, { reps }, bob.token, asRouter))).toBe('FORBIDDEN');
    expect(errorCode(await gql(direct('orders'), ORDERS, { reps }, undefined, asRouter))).toBe('UNAUTHENTICATED');
    expect((await gql(direct('orders'), ORDERS, { reps }, ann.token, asRouter)).data._entities[0].orders.totalCount).toBe(1);
  });
});

describe('entity representations', () => {
  const USERS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { id email role } } }`;
  const PROMOTIONS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Promotion { id code } } }`;

  it('a subgraph reached directly answers _entities and _service only to the router and our services: HTTP 403 FORBIDDEN', async () => {
    const reps = [{ __typename: 'User', id: ann.id }];
    for (const [url, query] of [[direct('users'), USERS], [direct('orders'), `{ _service { sdl } }`], [direct('catalogue'), `query($reps: [_Any!]!) { ...F } fragment F on Query { e: _entities(representations: $reps) { __typename } }`]]) {
      for (const token of [undefined, ann.token, admin.token]) {
        const res = await gql(url, query, { reps }, token);
        expect({ url, status: res.status, code: errorCode(res), data: res.data ?? null }).toEqual({ url, status: 403, code: 'FORBIDDEN', data: null });
      }
    }
    // Wrong credentials are no better; the router's and a service's are accepted.
    expect(errorCode(await gql(direct('users'), USERS, { reps }, ann.token, { 'x-router-signature': 'guess', 'x-service-token': 'guess' }))).toBe('FORBIDDEN');
    expect((await gql(direct('users'), USERS, { reps }, ann.token, routerHeaders(env.SERVICE_TOKEN))).data._entities).toEqual([{ id: ann.id, email: expect.stringMatching(/^ann\./), role: 'CUSTOMER' }]);
    expect((await gql(direct('users'), USERS, { reps }, ann.token, { 'x-service-token': env.SERVICE_TOKEN })).data._entities[0].id).toBe(ann.id);
  });

  it('query operators in a representation match nothing, even from a trusted caller: BAD_USER_INPUT and no data', async () => {
    const asRouter = routerHeaders(env.SERVICE_TOKEN);
    for (const id of [{ $nin: [] }, { $ne: null }, { $gt: '' }, { $regex: '.' }, [ann.id, bob.id]]) {
      const users = await gql(direct('users'), USERS, { reps: [{ __typename: 'User', id }] }, admin.token, asRouter);
      expect({ id, data: users.data, code: errorCode(users) }).toEqual({ id, data: { _entities: [null] }, code: 'BAD_USER_INPUT' });
      const promotions = await gql(direct('promotions'), PROMOTIONS, { reps: [{ __typename: 'Promotion', id }] }, admin.token, asRouter);
      expect({ id, data: promotions.data, code: errorCode(promotions) }).toEqual({ id, data: { _entities: [null] }, code: 'BAD_USER_INPUT' });
    }
    for (const [url, typename] of [[direct('catalogue'), 'Product'], [direct('orders'), 'Order']]) {
      const res = await gql(url, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${typename} { id } } }`, { reps: [{ __typename: typename, id: { $nin: [] } }] }, admin.token, asRouter);
      expect({ url, data: res.data }).toEqual({ url, data: { _entities: [null] } });
    }
  });
});

/**
 * A subgraph answers its successful queries without Apollo Server's request pipeline
 * (kernel direct-queries.ts) and gives everything else to Apollo Server. An `accept` header
 * other than plain JSON always takes Apollo Server's way: both ways must give the same bytes.
 */
describe("subgraph queries without Apollo Server's pipeline", () => {
  async function post(url: string, body: unknown, headers: Record<string, string>) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  }
  const answeredBy = async (name: string) => {
    const metrics = await (await fetch(direct(name).replace(/\/graphql$/, '/metrics'))).text();
    return Number(/shop_subgraph_direct_queries_total\{outcome="answered"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
  };

  it('answers as Apollo Server does, success or failure, for every kind of caller and request', async () => {
    const asRouter = routerHeaders(env.SERVICE_TOKEN);
    const reps = [{ __typename: 'User', id: ann.id }];
    const requests: [string, unknown, Record<string, string>][] = [
      ['catalogue', { query: `query P($id: ID!) { product(id: $id) { id name stock price { cents currency } } }`, variables: { id: productId } }, {}],
      ['catalogue', { query: `query P($id: ID!) { product(id: $id) { id name } }`, variables: { id: 'not-an-id' } }, {}],
      ['catalogue', { query: `query P($id: ID!) { product(id: $id) { id } }`, variables: { id: 7 } }, {}],
      ['catalogue', { query: `query A { a: product(id: "x") { id } } query B { products(first: 2) { totalCount } }`, operationName: 'B' }, {}],
      ['catalogue', { query: `{ products(first: 2) { edges { node { id } } } }`, operationName: 'Missing' }, {}],
      ['catalogue', { query: `{ products(first: 2) { nope } }` }, {}],
      ['catalogue', { query: `{ products(first: 2) { ` }, {}],
      ['catalogue', { query: `{ __schema { queryType { name } } }` }, {}],
      ['users', { query: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { id email role } } }`, variables: { reps } }, { authorization: `Bearer ${ann.token}`, ...asRouter }],
      ['users', { query: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { id email } } }`, variables: { reps } }, { authorization: `Bearer ${bob.token}`, ...asRouter }],
      ['users', { query: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { id } } }`, variables: { reps } }, { authorization: `Bearer ${ann.token}` }],
      ['orders', { query: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { orders { totalCount } } } }`, variables: { reps } }, { authorization: 'Bearer not-a-token', ...asRouter }],
      ['orders', { query: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { orders { totalCount } } } }`, variables: { reps } }, { authorization: `Bearer ${ann.token}`, ...asRouter }],
      ['orders', { query: `mutation($id: ID!) { cancelOrder(id: $id) { id } }`, variables: { id: 'not-an-id' } }, { authorization: `Bearer ${ann.token}` }],
    ];
    const before = await answeredBy('catalogue');
    for (const [name, body, headers] of requests) {
      const direct_ = await post(direct(name), body, headers);
      const apollo = await post(direct(name), body, { ...headers, accept: 'application/json, */*' });
      expect({ name, body, answer: direct_ }).toEqual({ name, body, answer: apollo });
    }
    // The successful catalogue queries were answered without Apollo Server.
    expect((await answeredBy('catalogue')) - before).toBeGreaterThanOrEqual(2);
  });
});

describe('subgraphs reached directly', () => {
  it('serve nothing that needs an identity without a valid token', async () => {
    expect(errorCode(await gql(direct('orders'), PLACE_ORDER, { productId }))).toBe('UNAUTHENTICATED');
    expect((await gql(direct('users'), ME)).data.me).toBeNull();
  });

  it('internal operations are not in the public API and need the service credential', async () => {
    const RESERVE = `mutation { reserveStock(orderId: "x1", lines: [{ productId: "${'0'.repeat(24)}", quantity: 1 }]) { productId } }`;
    expect(errorCode(await gql(router, RESERVE, {}, admin.token))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(errorCode(await gql(direct('catalogue'), RESERVE, {}, admin.token))).toBe('FORBIDDEN');
    const wrongCredential = await fetch(direct('catalogue'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-service-token': 'guess' },
      body: JSON.stringify({ query: RESERVE }),
    });
    expect(((await wrongCredential.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    const REDEEM = `mutation { redeemPromotion(input: { code: "CHAT10", orderId: "x", customerId: "y", subtotalCents: 100, currency: "EUR" }) { discountCents } }`;
    expect(errorCode(await gql(direct('promotions'), REDEEM, {}, admin.token))).toBe('FORBIDDEN');
  });
});

describe('query limits at the router', () => {
  it('refuses a query nested too deep', async () => {
    const deep = `{ product(id: "${productId}") { ${'recommendations { '.repeat(10)} id ${'} '.repeat(10)} } }`;
    const res = await gql(router, deep);
    expect(res.errors?.[0].message).toMatch(/depth/i);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: popularProducts(first: 1) { id }`).join(' ');
    expect((await gql(router, `{ ${aliases} }`)).errors?.[0].message).toMatch(/alias/i);
  });

  it('refuses too many tokens', async () => {
    const fields = Array.from({ length: 2500 }, () => 'id').join(' ');
    const res = await gql(router, `{ popularProducts { ${fields} } }`);
    expect(res.errors?.[0].message).toMatch(/more that 2000 tokens/i);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses a too costly query', async () => {
    const wide = `{ products(first: 100) { edges { node { id name sku description category stock inStock createdAt price { cents currency }
      recommendations(first: 20) { id name sku description category stock price { cents currency } recommendations(first: 20) { id name } } } } } }`;
    expect((await gql(router, wide)).errors?.[0].message).toMatch(/cost/i);
  });

  const FAN_OUT = `query($a: Int, $b: Int) { products(first: $a) { edges { node { id recommendations(first: $b) { id recommendations(first: $b) { id name } } } } } }`;
  const cheap = { a: 2, b: 2 };
  const costly = { a: 100, b: 20 };

  it('counts list sizes given in variables, and arguments left to their defaults: 40 000 products in one request are refused', async () => {
    const refused = await gql(router, FAN_OUT, costly);
    expect({ status: refused.status, code: errorCode(refused), data: refused.data ?? null }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED', data: null });
    expect(refused.errors?.[0].message).toMatch(/^Query cost limit of 5000 exceeded, found \d+$/);
    const served = await gql(router, FAN_OUT, cheap);
    expect({ status: served.status, errors: served.errors, products: served.data.products.edges.length }).toEqual({ status: 200, errors: undefined, products: 2 });
    // No arguments at all: products 20 (default) x recommendations 4 (default) x 4, under the limit.
    const byDefault = await gql(router, `{ products { edges { node { id recommendations { id recommendations { id } } } } } }`);
    expect({ errors: byDefault.errors, products: byDefault.data.products.edges.length }).toEqual({ errors: undefined, products: 20 });
  });

  it('applies the same cost limit over the WebSocket', async () => {
    const { client } = connect(router);
    try {
      const run = (variables: Record<string, unknown>) =>
        new Promise<{ errors?: { message: string; extensions?: Record<string, unknown> }[]; data?: any }>((resolve) => {
          let result: any;
          client.subscribe({ query: FAN_OUT, variables }, { next: (r) => (result = r), error: (e) => resolve({ errors: Array.isArray(e) ? e : [e as any] }), complete: () => resolve(result) });
        });
      const refused = await run(costly);
      expect(refused.errors?.map((e) => [e.message.replace(/\d+$/, 'N'), e.extensions?.code])).toEqual([['Query cost limit of 5000 exceeded, found N', 'GRAPHQL_VALIDATION_FAILED']]);
      expect((await run(cheap)).data.products.edges.length).toBe(2);
    } finally {
      await client.dispose();
    }
  });

  it('refuses a body over the size limit with 413, as JSON', async () => {
    const res = await fetch(router, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(100_000) } }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('sessions', () => {
  it('refresh tokens rotate; a spent one is refused and revokes the newer ones of its session', async () => {
    const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { token refreshToken } }`;
    const first = await gql(router, REFRESH, { t: bob.refreshToken });
    const next = first.data.refreshSession;
    expect((await gql(router, ME, {}, next.token)).data.me.id).toBe(bob.id);
    expect(errorCode(await gql(router, REFRESH, { t: bob.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(router, REFRESH, { t: next.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('logOut revokes the refresh token', async () => {
    const carl = await signUp('carl');
    expect((await gql(router, `mutation($t: String!) { logOut(refreshToken: $t) }`, { t: carl.refreshToken }, carl.token)).data.logOut).toBe(true);
    expect(errorCode(await gql(router, `mutation($t: String!) { refreshSession(refreshToken: $t) { token } }`, { t: carl.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('repeated failed log-ins for one email are slowed, then refused with TOO_MANY_REQUESTS even with the right password', async () => {
    const dan = await signUp('dan');
    const me = (await gql(router, ME, {}, dan.token)).data.me;
    const timings: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = Date.now();
      expect(errorCode(await gql(router, LOG_IN, { email: me.email, password: 'wrong-password' }))).toBe('INVALID_CREDENTIALS');
      timings.push(Date.now() - started);
    }
    const refused = await gql(router, LOG_IN, { email: me.email, password: 'long-enough-1' });
    expect(errorCode(refused)).toBe('TOO_MANY_REQUESTS');
    expect(refused.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    // Slowed: the later attempts waited for the back-off (250 ms doubling), the first ones did not.
    expect(Math.min(...timings.slice(6))).toBeGreaterThan(Math.max(...timings.slice(0, 3)));
  }, 60_000);

  it("an attacker's wrong passwords do not lock the owner out: the owner, from another address, still signs in", async () => {
    const erin = await signUp('erin');
    const email = (await gql(router, ME, {}, erin.token)).data.me.email;
    // As the router forwards two clients' addresses (signed, so the users subgraph trusts them).
    const from = (address: string) => clientAddressHeaders(address, env.SERVICE_TOKEN);
    const attacker = [];
    for (let i = 0; i < 11; i++) attacker.push(errorCode(await gql(direct('users'), LOG_IN, { email, password: 'wrong-password' }, undefined, from('198.51.100.7'))));
    expect(attacker).toEqual([...Array(10).fill('INVALID_CREDENTIALS'), 'TOO_MANY_REQUESTS']);
    expect(errorCode(await gql(direct('users'), LOG_IN, { email, password: 'long-enough-1' }, undefined, from('198.51.100.7')))).toBe('TOO_MANY_REQUESTS');
    const owner = await gql(direct('users'), LOG_IN, { email, password: 'long-enough-1' }, undefined, from('198.51.100.8'));
    expect({ errors: owner.errors, id: owner.data?.logIn.user.id }).toEqual({ errors: undefined, id: erin.id });
  }, 60_000);
});

// Last in this file: it uses up the log-in allowance of this machine's address.
describe('the per-address log-in limit', () => {
  it('counts a caller reaching the users subgraph directly under its real address, whatever x-forwarded-for it sends', async () => {
    const logInFrom = async (i: number) => {
      const res = await fetch(direct('users'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
        body: JSON.stringify({ query: LOG_IN, variables: { email: `nobody${i}@example.com`, password: 'wrong-password' } }),
      });
      return errorCode({ status: res.status, ...((await res.json()) as object) });
    };
    const codes: unknown[] = [];
    for (let i = 0; i < 60 && codes.at(-1) !== 'TOO_MANY_REQUESTS'; i++) codes.push(await logInFrom(i));
    expect(codes.at(-1)).toBe('TOO_MANY_REQUESTS');
    expect(new Set(codes.slice(0, -1))).toEqual(new Set(['INVALID_CREDENTIALS']));
    // The router counts this machine too: it vouches for the address it forwards.
    expect(errorCode(await gql(router, LOG_IN, { email: 'someone@example.com', password: 'wrong-password' }))).toBe('TOO_MANY_REQUESTS');
  }, 60_000);
});
