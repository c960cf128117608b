/**
 * Operations, with real processes on the shared Redis and RabbitMQ:
 * - two shops one after the other with the same Redis and RabbitMQ prefixes (a new data folder
 *   and new databases, as `npm start` with another DATA_DIR) never meet: the second serves none
 *   of the first's products and sends no mail for the first's orders;
 * - SIGTERM stops each process cleanly: a request in flight still gets its answer, a WebSocket
 *   client is told to reconnect (1001, going away), and every process exits 0 within the bound.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Connection } from 'rabbitmq-client';
import { SUBGRAPHS } from '@shop/kernel';
import { freePort } from '../../scripts/ferretdb';
import { startStack, type Stack } from '../../scripts/stack';
import { isolatedEnv } from '../support/env';
import { eventually, gql } from '../support/graphql';
import { removeTraces, shopNames } from '../support/stack';
import { connect } from '../support/subscriptions';

/** The process's own bound (bootstrap.ts) is 3 s; the stack kills at 5 s. */
const SHUTDOWN_BOUND_MS = 3500;

const tag = randomBytes(4).toString('hex');
/** What both shops share: Redis and RabbitMQ, with the same prefixes. */
const shared = { REDIS_PREFIX: `t:ops_${tag}:`, EVENTS_EXCHANGE: `t.ops_${tag}.events`, QUEUE_PREFIX: `t.ops_${tag}.` };
const envs: Record<string, string>[] = [];
const running: Stack[] = [];

async function startShop(label: string) {
  const env: Record<string, string> = { ...isolatedEnv(label), ...shared };
  envs.push(env);
  const names = ['router', ...SUBGRAPHS.map((s) => s.name)];
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const)));
  const stack = await startStack({ env, ports, logTo: path.join(env.DATA_DIR, 'logs') });
  running.push(stack);
  return { stack, env, url: stack.routerUrl };
}

afterAll(async () => {
  for (const stack of running) await stack.stop();
  for (const env of envs) await removeTraces(env);
});

const PRODUCTS = `{ products(first: 50) { edges { node { id } } } }`;
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
  const customer = `first-shop-${tag}@example.com`;
  const { token } = (await gql(first.url, SIGN_UP, { email: customer })).data.signUp;
  // Without its worker, the first shop's events wait in its queue, as after a stop mid-way.
  expect(await first.stack.terminate('notifications-worker')).toMatchObject({ code: 0, signal: null });
  const order = (await gql(first.url, ORDER, { id: firstProducts[0] }, token)).data.placeOrder;
  expect(order.number).toBeGreaterThan(0);
  const firstNames = await shopNames(first.env);
  await first.stack.stop();
  expectCleanExits(first.stack);

  second = await startShop('ops_second');
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
  await eventually(() => (mails(second.env).some((m) => m.includes(other)) ? true : undefined), 30_000, 200);
  expect(mails(second.env).filter((m) => m.includes(customer))).toEqual([]);
  // The first shop's events are still where it left them, for it alone.
  const rabbit = new Connection(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  try {
    const waiting = await rabbit.queueDeclare({ queue: `${firstNames.queuePrefix}notifications.events`, passive: true });
    expect(waiting.messageCount).toBeGreaterThanOrEqual(2); // the customer's registration and order
  } finally {
    await rabbit.close();
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

it('on SIGTERM a request in flight gets its answer, a WebSocket client is told to reconnect, and every process exits 0 in time', async () => {
  expect(second).toBeDefined();
  const { stack, url } = second;

  const socket = connect(url);
  const health = async () => (await (await fetch(url.replace(/graphql$/, 'healthz'))).json()) as { connections: number };
  await eventually(async () => ((await health()).connections === 1 ? true : undefined));
  const atRouter = requestInTwoHalves(url, '{ products(first: 1) { edges { node { id } } } }');
  const catalogueUrl = `http://127.0.0.1:${stack.ports.catalogue}/graphql`;
  const atCatalogue = requestInTwoHalves(catalogueUrl, '{ __typename }');
  await pause(300); // both servers have the requests' headers

  const routerExit = stack.terminate('router');
  const catalogueExit = stack.terminate('catalogue');
  await pause(300); // both have the signal
  atRouter.finish();
  atCatalogue.finish();

  expect(await socket.closed).toEqual({ code: 1001, reason: 'Going away' });
  const routerAnswer = await atRouter.answer;
  expect([routerAnswer.status, routerAnswer.body.data.products.edges.length]).toEqual([200, 1]);
  expect(await atCatalogue.answer).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  // Stopped: nothing listens any more.
  await expect(fetch(catalogueUrl, { method: 'POST' })).rejects.toThrow();

  expect(await routerExit).toMatchObject({ code: 0, signal: null });
  expect(await catalogueExit).toMatchObject({ code: 0, signal: null });
  await stack.stop();
  expectCleanExits(stack);
}, 60_000);
