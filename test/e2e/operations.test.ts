/**
 * Operations, with real processes on the shared Redis and RabbitMQ:
 * - two shops one after the other with the same Redis and RabbitMQ prefixes (a new data folder
 *   and new databases, as `npm start` with another DATA_DIR) never meet: the second serves none
 *   of the first's products and sends no mail for the first's orders;
 * - SIGTERM stops each process cleanly: a request in flight still gets its answer, a WebSocket
 *   client is told to reconnect (1001, going away), the message the worker is handling is
 *   acknowledged once handled, or delivered again if the bound cut it short (never lost), and
 *   every process exits 0 within the bound.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Connection } from 'rabbitmq-client';
import { SUBGRAPHS } from '@shop/kernel';
import { freePort } from '../../scripts/ferretdb';
import { startStack, type Stack } from '../../scripts/stack';
import { isolatedEnv } from '../support/env';
import { eventually, gql } from '../support/graphql';
import { removeTraces, shopNames } from '../support/stack';
import { startSmtp } from '../support/smtp';
import { connect } from '../support/subscriptions';

/** The process's own bound (bootstrap.ts) is 3 s, plus the time to exit on a busy machine; the stack kills at 5 s. */
const SHUTDOWN_BOUND_MS = 4000;

const tag = randomBytes(4).toString('hex');
/** What both shops share: Redis and RabbitMQ, with the same prefixes. */
const shared = { REDIS_PREFIX: `t:ops_${tag}:`, EVENTS_EXCHANGE: `t.ops_${tag}.events`, QUEUE_PREFIX: `t.ops_${tag}.` };
const envs: Record<string, string>[] = [];
const running: Stack[] = [];

let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => void (smtp = await startSmtp()));

async function startShop(label: string, extra: Record<string, string> = {}) {
  const env: Record<string, string> = { ...isolatedEnv(label), ...shared, ...extra };
  envs.push(env);
  const names = ['router', ...SUBGRAPHS.map((s) => s.name)];
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const)));
  // A short lease: a send cut short by the bound is taken over soon after the worker is back.
  const envFor = { 'notifications-worker': { NOTIFICATION_LEASE_MS: '1000', RETRY_DELAYS_MS: '500,1000,2000,4000' } };
  const stack = await startStack({ env, ports, envFor, logTo: path.join(env.DATA_DIR, 'logs') });
  running.push(stack);
  return { stack, env, url: stack.routerUrl };
}

afterAll(async () => {
  for (const stack of running) await stack.stop();
  for (const env of envs) await removeTraces(env);
  await smtp?.stop();
});

const PRODUCTS = `{ products(first: 50, filter: { inStock: true }) { edges { node { id } } } }`;
const SIGN_UP = `mutation($email: String!) { signUp(input: { email: $email, password: "long-enough-1", name: "Alex" }) { token } }`;
const ORDER = `mutation($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 1 }] }) { id number } }`;
const productIds = async (url: string): Promise<string[]> => (await gql(url, PRODUCTS)).data.products.edges.map((e: any) => e.node.id);
const mails = (env: Record<string, string>) => {
  const outbox = path.join(env.DATA_DIR, 'outbox');
  try {
    return readdirSync(outbox).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(path.join(outbox, f), 'utf8'));
  } catch {
    return [];
  }
};

/** Every process ended by itself with 0, within the bound (none killed by the stack's SIGKILL). */
function expectCleanExits(stack: Stack) {
  const exits = Object.entries(stack.exits).map(([name, exit]) => [name, exit.code, exit.signal, exit.ms < SHUTDOWN_BOUND_MS]);
  expect(exits).toEqual(Object.keys(stack.exits).map((name) => [name, 0, null, true]));
}

let second: Awaited<ReturnType<typeof startShop>>;

it('a second shop on the same Redis and RabbitMQ serves none of the first’s products and sends no mail for its orders', async () => {
  const first = await startShop('ops_first');
  const firstProducts = await productIds(first.url); // now in the first shop's cache
  expect(firstProducts.length).toBeGreaterThan(0);
  // Without its worker, the first shop's events wait in its queue, as after a stop mid-way.
  expect(await first.stack.terminate('notifications-worker')).toMatchObject({ code: 0, signal: null });
  const customer = `first-shop-${tag}@example.com`;
  const { token } = (await gql(first.url, SIGN_UP, { email: customer })).data.signUp;
  const order = (await gql(first.url, ORDER, { id: firstProducts[0] }, token)).data.placeOrder;
  expect(order.number).toBeGreaterThan(0);
  const firstNames = await shopNames(first.env);
  await first.stack.stop();
  expectCleanExits(first.stack);

  second = await startShop('ops_second', { SMTP_URL: smtp.url });
  const secondNames = await shopNames(second.env);
  expect(secondNames.shopId).not.toBe(firstNames.shopId);
  const secondProducts = await productIds(second.url);
  expect(secondProducts.length).toBeGreaterThan(0);
  expect(secondProducts.filter((id) => firstProducts.includes(id))).toEqual([]);

  // The second shop's own order mail comes through; by then its worker would have taken the first's events.
  const other = `second-shop-${tag}@example.com`;
  const theirs = (await gql(second.url, SIGN_UP, { email: other })).data.signUp.token;
  const placed = await gql(second.url, ORDER, { id: secondProducts[0] }, theirs);
  expect(placed.errors).toBeUndefined();
  await eventually(() => (smtp.received.some((m) => m.to.includes(other)) ? true : undefined), 30_000, 200);
  expect(smtp.received.filter((m) => m.to.includes(customer))).toEqual([]);
  expect(mails(first.env).filter((m) => m.includes(customer))).toEqual([]); // its worker was stopped first
  // The first shop's events are still where it left them, for it alone.
  const rabbit = new Connection(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  try {
    const waiting = await rabbit.queueDeclare({ queue: `${firstNames.queuePrefix}notifications.events`, passive: true });
    expect(waiting.messageCount).toBe(2); // the customer's registration and order
  } finally {
    await rabbit.close();
  }
  // Every key either shop wrote is under that shop's id.
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const keys = await redis.keys(`${shared.REDIS_PREFIX}*`);
    expect(keys.length).toBeGreaterThan(0);
    const outside = keys.filter((k) => !k.startsWith(firstNames.redisPrefix) && !k.startsWith(secondNames.redisPrefix));
    expect(outside).toEqual([]);
    expect(keys.some((k) => k.startsWith(firstNames.redisPrefix))).toBe(true);
  } finally {
    redis.disconnect();
  }
}, 240_000);

/** A POST whose body is sent in two halves: the request is in flight until finish(). */
function requestInTwoHalves(url: string, query: string) {
  const body = JSON.stringify({ query });
  const { hostname, port, pathname } = new URL(url);
  const req = http.request({
    host: hostname,
    port,
    path: pathname,
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return { answer, finish: () => req.end(body.slice(half)) };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('on SIGTERM the worker finishes the message in hand and acknowledges it; one cut short by the bound is delivered again', async () => {
  expect(second).toBeDefined();
  const { stack, url, env } = second;
  const email = `shutdown-${tag}@example.com`;
  const { token } = (await gql(url, SIGN_UP, { email })).data.signUp;
  await pause(1500); // the worker learns the new customer (user.registered) before their orders
  const orderMails = () => smtp.received.filter((m) => m.to.includes(email) && m.subject.startsWith('Your order #'));
  const queue = `${(await shopNames(env)).queuePrefix}notifications.events`;
  const rabbit = new Connection(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  try {
    // Handled within the bound: the mail goes once, and the message is acknowledged.
    smtp.stall();
    const first = (await gql(url, ORDER, { id: (await productIds(url))[0] }, token)).data.placeOrder;
    await eventually(() => (smtp.waiting() > 0 ? true : undefined), 20_000, 50);
    const stopped = stack.terminate('notifications-worker');
    await pause(500);
    smtp.release();
    const exit = await stopped;
    expect([exit.code, exit.signal, exit.ms < SHUTDOWN_BOUND_MS]).toEqual([0, null, true]);
    expect(orderMails().map((m) => m.subject)).toEqual([`Your order #${first.number} is confirmed`]);
    expect((await rabbit.queueDeclare({ queue, passive: true })).messageCount).toBe(0);

    // Longer than the bound: the process exits 0 without acknowledging; the broker keeps the message.
    smtp.stall();
    const later = (await gql(url, ORDER, { id: (await productIds(url))[0] }, token)).data.placeOrder;
    await stack.restart('notifications-worker');
    await eventually(() => (smtp.waiting() > 0 ? true : undefined), 20_000, 50);
    const cut = await stack.terminate('notifications-worker');
    expect([cut.code, cut.signal, cut.ms < SHUTDOWN_BOUND_MS]).toEqual([0, null, true]);
    await pause(300); // the SMTP server sees the connection close: that send never counts
    smtp.release();
    expect(orderMails()).toHaveLength(1);
    expect((await rabbit.queueDeclare({ queue, passive: true })).messageCount).toBe(1);
    await stack.restart('notifications-worker');
    await eventually(() => (orderMails().length === 2 ? true : undefined), 30_000, 100);
    expect(orderMails()[1].subject).toBe(`Your order #${later.number} is confirmed`);
  } finally {
    smtp.release();
    await rabbit.close();
  }
}, 90_000);

it('on SIGTERM a request in flight gets its answer, a WebSocket client is told to reconnect, and every process exits 0 in time', async () => {
  expect(second).toBeDefined();
  const { stack, url } = second;

  const socket = connect(url);
  const health = async () => (await (await fetch(url.replace(/graphql$/, 'healthz'))).json()) as { connections: number };
  await eventually(async () => ((await health()).connections === 1 ? true : undefined));
  // The router: its request goes on to the catalogue, still up.
  const atRouter = requestInTwoHalves(url, '{ products(first: 1) { edges { node { id } } } }');
  await pause(300); // the server has the request's headers
  const routerExit = stack.terminate('router');
  await pause(300); // and the signal
  atRouter.finish();
  expect(await socket.closed).toEqual({ code: 1001, reason: 'Going away' });
  const routerAnswer = await atRouter.answer;
  expect([routerAnswer.status, routerAnswer.body.data?.products.edges.length]).toEqual([200, 1]);
  expect(await routerExit).toMatchObject({ code: 0, signal: null });
  await expect(fetch(url.replace(/graphql$/, 'healthz'))).rejects.toThrow(); // nothing listens any more

  // A subgraph.
  const catalogueUrl = `http://127.0.0.1:${stack.ports.catalogue}/graphql`;
  const atCatalogue = requestInTwoHalves(catalogueUrl, '{ __typename }');
  await pause(300);
  const catalogueExit = stack.terminate('catalogue');
  await pause(300);
  atCatalogue.finish();
  expect(await atCatalogue.answer).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  expect(await catalogueExit).toMatchObject({ code: 0, signal: null });
  await expect(fetch(catalogueUrl, { method: 'POST' })).rejects.toThrow();

  await stack.stop();
  expectCleanExits(stack);
}, 60_000);
