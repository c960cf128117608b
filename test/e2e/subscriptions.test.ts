/**
 * Live order tracking through the router over graphql-ws: events with fields of several
 * subgraphs, each change once, on every router replica; who may subscribe; tokens at connect
 * and at expiry; keep-alive and limits.
 */
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import type { Stack } from '../../scripts/stack';
import { eventually, gql } from '../support/graphql';
import { startTestStack } from '../support/stack';
import { connect, openSubscriptions, subscribe, type Connection } from '../support/subscriptions';
import { readSigningKeys } from '../support/users-db';
import { tcpProxy } from '../support/tcp-proxy';

let stack: Stack;
let env: Record<string, string>;
let url: string;
let admin: string;
let olga: { id: string; token: string };
let piet: { id: string; token: string };
let productId: string;
/** The first router reaches RabbitMQ through this proxy, so a test can cut it off. */
let routerBroker: Awaited<ReturnType<typeof tcpProxy>>;
const connections: Connection[] = [];

const ORDER_UPDATED = `subscription OrderUpdated($id: ID!) {
  orderUpdated(id: $id) { id number status statusHistory { status } items { quantity product { name } } }
}`;
const STATUS = `mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { status } }`;

interface OrderEvent {
  data: { orderUpdated: { id: string; number: number; status: string; statusHistory: { status: string }[]; items: { quantity: number; product: { name: string } }[] } };
}

async function signUp(name: string) {
  const res = await gql(url, `mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }`, {
    input: { email: `${name}@example.com`, password: 'long-enough-1', name },
  });
  return { id: res.data.signUp.user.id, token: res.data.signUp.token };
}

async function placeOrder(token: string): Promise<string> {
  const res = await gql(url, `mutation($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 2 }] }) { id } }`, { id: productId }, token);
  return res.data.placeOrder.id;
}

function open(routerUrl: string, token?: string): Connection {
  const connection = connect(routerUrl, token);
  connections.push(connection);
  return connection;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until the router has taken the subscriptions (they are live once it counts them). */
const live = (routerUrl: string, n: number) => eventually(async () => ((await openSubscriptions(routerUrl)) === n ? true : undefined));

beforeAll(async () => {
  routerBroker = await tcpProxy(5672);
  ({ stack, env } = await startTestStack('subscriptions', {}, {
    router: { WS_KEEPALIVE_MS: '1000', AMQP_URL: `amqp://guest:guest@127.0.0.1:${routerBroker.port}` },
  }));
  url = stack.routerUrl;
  admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
  [olga, piet] = [await signUp('olga'), await signUp('piet')];
  const input = { sku: `SUB-${Date.now()}`, name: 'Cast-iron kettle', description: 'Heavy', category: 'kitchen', priceCents: 4500, stock: 100 };
  productId = (await gql(url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, admin)).data.createProduct.id;
}, 180_000);

afterEach(async () => {
  for (const { client } of connections.splice(0)) await client.dispose();
});

afterAll(async () => {
  await stack?.stop();
  await routerBroker?.cut();
});

it('the owner receives SHIPPED then DELIVERED, with product names from the catalogue, each change once', async () => {
  const orderId = await placeOrder(olga.token);
  const owner = subscribe<OrderEvent>(open(url, olga.token).client, ORDER_UPDATED, { id: orderId });
  const staff = subscribe<OrderEvent>(open(url, admin).client, ORDER_UPDATED, { id: orderId });
  await live(url, 2);

  // Back to back: the second change is stored before the first is resolved, and each event still shows its own.
  await gql(url, STATUS, { id: orderId, status: 'SHIPPED' }, admin);
  await gql(url, STATUS, { id: orderId, status: 'DELIVERED' }, admin);
  await eventually(async () => (owner.events.length >= 2 && staff.events.length >= 2 ? true : undefined));
  await sleep(500); // nothing more may come

  for (const sub of [owner, staff]) {
    expect(sub.errors).toBeUndefined();
    expect(sub.events.map((e) => e.data.orderUpdated.status)).toEqual(['SHIPPED', 'DELIVERED']);
    expect(sub.events.map((e) => e.data.orderUpdated.statusHistory.map((c) => c.status))).toEqual([
      ['CONFIRMED', 'SHIPPED'],
      ['CONFIRMED', 'SHIPPED', 'DELIVERED'],
    ]);
    expect(sub.events[0].data.orderUpdated.items).toEqual([{ quantity: 2, product: { name: 'Cast-iron kettle' } }]);
  }
});

it('a cancellation reaches the subscriber, and a finished subscription frees its place', async () => {
  const orderId = await placeOrder(olga.token);
  const connection = open(url, olga.token);
  const sub = subscribe<OrderEvent>(connection.client, `subscription($id: ID!) { tracked: orderUpdated(id: $id) { status } }`, { id: orderId });
  await live(url, 1);
  await gql(url, `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: orderId }, olga.token);
  await eventually(async () => (sub.events.length ? true : undefined));
  expect(sub.events).toEqual([{ data: { tracked: { status: 'CANCELLED' } } }]);

  sub.dispose();
  await live(url, 0);
});

it('with two router replicas, subscribers on each get each event once', async () => {
  const second = await stack.addRouter();
  const orderId = await placeOrder(olga.token);
  const onFirst = subscribe<OrderEvent>(open(url, olga.token).client, ORDER_UPDATED, { id: orderId });
  const onSecond = subscribe<OrderEvent>(open(second, olga.token).client, ORDER_UPDATED, { id: orderId });
  await live(url, 1);
  await live(second, 1);

  await gql(url, STATUS, { id: orderId, status: 'SHIPPED' }, admin);
  await gql(second, STATUS, { id: orderId, status: 'DELIVERED' }, admin);
  await eventually(async () => (onFirst.events.length >= 2 && onSecond.events.length >= 2 ? true : undefined));
  await sleep(500);
  for (const sub of [onFirst, onSecond]) expect(sub.events.map((e) => e.data.orderUpdated.status)).toEqual(['SHIPPED', 'DELIVERED']);
});

it('a change made while the router is cut off from the broker reaches the subscriber once it is back', async () => {
  const orderId = await placeOrder(olga.token);
  const sub = subscribe<OrderEvent>(open(url, olga.token).client, ORDER_UPDATED, { id: orderId });
  await live(url, 1);
  await routerBroker.cut();
  await gql(url, STATUS, { id: orderId, status: 'SHIPPED' }, admin);
  await sleep(1000);
  expect(sub.events).toHaveLength(0); // it waits in the router's own queue
  await routerBroker.open();
  await eventually(async () => (sub.events.length ? true : undefined), 30_000, 100);
  await sleep(500);
  expect(sub.events.map((e) => e.data.orderUpdated.status)).toEqual(['SHIPPED']);
}, 60_000);

it("someone else's order is FORBIDDEN, no token is UNAUTHENTICATED, an unknown order NOT_FOUND", async () => {
  const orderId = await placeOrder(olga.token);
  const other = subscribe(open(url, piet.token).client, ORDER_UPDATED, { id: orderId });
  const anonymous = subscribe(open(url).client, ORDER_UPDATED, { id: orderId });
  const unknown = subscribe(open(url, olga.token).client, ORDER_UPDATED, { id: '5f0000000000000000000000' });
  await eventually(async () => (other.errors && anonymous.errors && unknown.errors ? true : undefined));
  expect([other, anonymous, unknown].map((s) => s.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN', 'UNAUTHENTICATED', 'NOT_FOUND']);
  for (const sub of [other, anonymous, unknown]) expect(JSON.stringify(sub.errors)).not.toMatch(/stack|at .*\.ts/);

  // Nothing reaches them afterwards either.
  await gql(url, STATUS, { id: orderId, status: 'SHIPPED' }, admin);
  await sleep(500);
  expect([other, anonymous, unknown].map((s) => s.events.length)).toEqual([0, 0, 0]);
  expect(await openSubscriptions(url)).toBe(0);
});

it('a subscription is checked like a query: unknown fields and bad variables are refused', async () => {
  const { client } = open(url, olga.token);
  const unknownField = subscribe(client, `subscription($id: ID!) { orderUpdated(id: $id) { secret } }`, { id: 'x' });
  const badVariable = subscribe(client, ORDER_UPDATED, { id: { not: 'an id' } });
  await eventually(async () => (unknownField.errors && badVariable.errors ? true : undefined));
  expect(unknownField.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(badVariable.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
});

describe('tokens', () => {
  const claims = () => ({ sub: olga.id, role: 'CUSTOMER', email: 'olga@example.com', iss: 'shop-users', aud: 'shop' });

  it.each([
    ['a malformed', async () => 'not.a.jwt'],
    ['an expired', async () => {
      const [key] = await readSigningKeys(env);
      return jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 60 }, key.privateKeyPem, { algorithm: 'RS256', keyid: key.kid });
    }],
  ])('%s token closes the connection at connect with 4401 and a reason', async (_name, token) => {
    const { closed } = open(url, await token());
    const { code, reason } = await closed;
    expect(code).toBe(4401);
    expect(reason).toMatch(/^Unauthorized: /);
  });

  it('a connection closes when its token expires', async () => {
    const orderId = await placeOrder(olga.token);
    const [key] = await readSigningKeys(env);
    const token = jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) + 4 }, key.privateKeyPem, { algorithm: 'RS256', keyid: key.kid });
    const connection = open(url, token);
    subscribe(connection.client, ORDER_UPDATED, { id: orderId });
    await live(url, 1);
    expect(await connection.closed).toEqual({ code: 4401, reason: 'Unauthorized: token expired' });
    await live(url, 0);
  });
});

describe('limits', () => {
  it('a connection holds at most 20 subscriptions', async () => {
    const orderId = await placeOrder(olga.token);
    const { client } = open(url, olga.token);
    const subs = Array.from({ length: 20 }, () => subscribe(client, ORDER_UPDATED, { id: orderId }));
    await live(url, 20);
    const extra = subscribe(client, ORDER_UPDATED, { id: orderId });
    await eventually(async () => (extra.errors ? true : undefined));
    expect(extra.errors![0].extensions?.code).toBe('TOO_MANY_REQUESTS');
    expect(subs.every((s) => !s.errors)).toBe(true);
  });

  it('a client that stops answering pings is dropped and its subscriptions freed', async () => {
    const orderId = await placeOrder(olga.token);
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${olga.token}` } }));
    await new Promise((resolve) => socket.once('message', resolve)); // connection_ack
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: ORDER_UPDATED, variables: { id: orderId } } }));
    await live(url, 1);
    // The client vanishes without closing: it reads nothing more, so it answers no ping.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await live(url, 0);
    socket.terminate();
    await closed;
  });
});

it('a query over the socket runs as the signed-in client', async () => {
  const { client } = open(url, olga.token);
  const me = await new Promise<any>((resolve, reject) => {
    client.subscribe({ query: '{ me { id } }' }, { next: resolve, error: reject, complete: () => undefined });
  });
  expect(me).toEqual({ data: { me: { id: olga.id } } });
});
