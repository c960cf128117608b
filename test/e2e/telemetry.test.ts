/**
 * Tracing and metrics on a real stack. Spans go over OTLP/HTTP to a receiver of the test's own
 * on loopback: one placeOrder through the router is ONE trace, with spans from the router,
 * orders, catalogue, promotions and the notifications worker that sent the email, every span's
 * parent in the same trace. Each process's /metrics then counts what that order did, refuses a
 * caller without the token, and exports every metric the Grafana dashboard queries.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../scripts/ferretdb';
import type { Stack } from '../../scripts/stack';
import { eventually, gql } from '../support/graphql';
import { startOtlpReceiver, type ReceivedSpan } from '../support/otlp';
import { shopNames, startTestStack } from '../support/stack';

let stack: Stack;
let env: Record<string, string>;
let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
let workerMetricsPort: number;
const METRICS_TOKEN = 'metrics-token-for-the-test';

beforeAll(async () => {
  otlp = await startOtlpReceiver();
  workerMetricsPort = await freePort();
  ({ stack, env } = await startTestStack(
    'telemetry',
    { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_BSP_SCHEDULE_DELAY: '200', METRICS_TOKEN },
    { 'notifications-worker': { METRICS_PORT: String(workerMetricsPort) } },
  ));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await otlp?.stop();
});

const SERVICES = ['router', 'orders', 'catalogue', 'promotions', 'notifications-worker'];
let traceId: string;

async function scrape(port: number, token: string | null = METRICS_TOKEN) {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text() };
}

/** The value of one sample (metric name and every label given), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

it('one placeOrder is one trace: router, orders, catalogue, promotions and the worker sending the email', async () => {
  const url = stack.routerUrl;
  const admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
  const input = { sku: `TEL-${Date.now()}`, name: 'Teapot', description: 'A teapot', category: 'kitchen', priceCents: 2000, stock: 5 };
  const productId = (await gql(url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, admin)).data.createProduct.id;
  const token = (await gql(url, `mutation { signUp(input: { email: "otel@example.com", password: "long-enough-1", name: "Otto" }) { token } }`)).data.signUp.token;

  const placed = await gql(url, `mutation PlaceOrder($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 1 }], promoCode: "CHAT10" }) { number } }`, { id: productId }, token);
  expect(placed.errors).toBeUndefined();

  const root = await eventually(() => otlp.spans.find((s) => s.service === 'router' && s.name === 'graphql PlaceOrder'), 20_000, 100);
  traceId = root.traceId;
  expect(root.parentSpanId).toBeUndefined();
  // Complete once the email's span is in and every span's parent has arrived.
  const spans = await eventually(
    () => {
      const inTrace = otlp.spans.filter((s) => s.traceId === traceId);
      const ids = new Set(inTrace.map((s) => s.spanId));
      const sent = inTrace.some((s) => s.service === 'notifications-worker' && s.name === 'send EMAIL');
      return sent && inTrace.every((s) => !s.parentSpanId || ids.has(s.parentSpanId)) ? inTrace : undefined;
    },
    30_000,
    200,
  );
  for (const service of SERVICES) expect({ service, spans: spans.some((s) => s.service === service) }).toEqual({ service, spans: true });
  // One root: the router's request.
  expect(spans.filter((s) => !s.parentSpanId)).toEqual([root]);
  const SERVER = 2, CLIENT = 3, PRODUCER = 4, CONSUMER = 5;
  const one = (service: string, test: (s: ReceivedSpan) => boolean) => {
    const found = spans.filter((s) => s.service === service && test(s));
    expect({ service, found: found.length > 0 }).toEqual({ service, found: true });
    return found[0];
  };
  const parentOf = (span: ReceivedSpan) => spans.find((s) => s.spanId === span.parentSpanId);
  // Each call between services: the caller's client span, the callee's server span under it.
  for (const [caller, callee] of [['router', 'orders'], ['orders', 'catalogue'], ['orders', 'promotions']]) {
    const server = one(callee, (s) => s.kind === SERVER && parentOf(s)?.service === caller);
    expect(parentOf(server)).toMatchObject({ kind: CLIENT, name: `POST ${callee}` });
  }
  // Through RabbitMQ: the worker's consumer span under the orders' producer span, the email under it.
  const consumed = one('notifications-worker', (s) => s.kind === CONSUMER && s.name === 'order.created process');
  expect(parentOf(consumed)).toMatchObject({ service: 'orders', kind: PRODUCER, name: 'order.created publish' });
  const email = one('notifications-worker', (s) => s.name === 'send EMAIL');
  let ancestor: ReceivedSpan | undefined = email;
  while (ancestor && ancestor !== consumed) ancestor = parentOf(ancestor);
  expect(ancestor).toBe(consumed);
  // Database and Redis spans (the mongodb and ioredis instrumentations) inside the services' work.
  one('orders', (s) => s.kind === CLIENT && s.attributes['db.system.name'] === 'mongodb');
  one('catalogue', (s) => s.kind === CLIENT && s.attributes['db.system.name'] === 'redis');
}, 90_000);

describe('/metrics', () => {
  const portOf = (service: string) => (service === 'notifications-worker' ? workerMetricsPort : stack.ports[service]);

  it('refuses a caller without the token, on every process', async () => {
    for (const service of SERVICES) {
      expect({ service, status: (await scrape(portOf(service), null)).status }).toEqual({ service, status: 404 });
      expect({ service, status: (await scrape(portOf(service), 'wrong-token-of-the-same-len')).status }).toEqual({ service, status: 404 });
    }
  });

  it('counts what the order did: requests by operation, subgraph fetches, outbox lag, the notification, queue depth', async () => {
    const router = (await scrape(stack.ports.router)).text;
    expect(sample(router, 'shop_graphql_request_duration_seconds_count', { service: 'router', operation: 'PlaceOrder' })).toBe(1);
    expect(sample(router, 'shop_subgraph_fetch_duration_seconds_count', { subgraph: 'orders', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    const orders = (await scrape(stack.ports.orders)).text;
    expect(sample(orders, 'shop_outbox_lag_seconds_count', { service: 'orders', type: 'order.created' })).toBe(1);
    expect(sample(orders, 'shop_service_call_duration_seconds_count', { target: 'catalogue', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    const worker = await eventually(async () => {
      const text = (await scrape(workerMetricsPort)).text;
      return sample(text, 'shop_notification_latency_seconds_count', { channel: 'EMAIL' }) ? text : undefined;
    });
    expect(sample(worker, 'shop_messages_handled_total', { type: 'order.created', outcome: 'ok' })).toBe(1);
    // Read from the broker at scrape time: the worker has drained its queue.
    const queue = `${(await shopNames(env)).queuePrefix}notifications.events`;
    const depth = async () => sample((await scrape(workerMetricsPort)).text, 'shop_queue_depth', { queue });
    expect(await eventually(async () => ((await depth()) === 0 ? 0 : undefined))).toBe(0);
    // The product page read through the catalogue's Redis cache: a miss, then a hit. Not the
    // newest product, which the order above wrote (a write stores what it wrote: a hit at once).
    const PRODUCT = `query Product($id: ID!) { product(id: $id) { name } }`;
    const id = (await gql(stack.routerUrl, `{ products(first: 2) { edges { node { id } } } }`)).data.products.edges[1].node.id;
    await gql(stack.routerUrl, PRODUCT, { id });
    await gql(stack.routerUrl, PRODUCT, { id });
    const catalogue = (await scrape(stack.ports.catalogue)).text;
    expect(sample(catalogue, 'shop_cache_requests_total', { cache: 'catalogue', result: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(sample(catalogue, 'shop_cache_requests_total', { cache: 'catalogue', result: 'miss' })).toBeGreaterThanOrEqual(1);
  });

  it('exports every metric the Grafana dashboard queries', async () => {
    const exported = new Set<string>();
    for (const service of [...SERVICES, 'users', 'recommendations'])
      for (const [, name, type] of (await scrape(portOf(service))).text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        // A declared metric, even one with no series yet (no error happened): a histogram's series are suffixed.
        exported.add(name);
        if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(name + suffix);
      }
    const dashboard = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'deploy', 'grafana', 'shop-dashboard.json'), 'utf8'));
    const queried = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object')
        for (const [key, value] of Object.entries(node)) {
          if (key === 'expr' && typeof value === 'string')
            for (const [name] of value.matchAll(/\b(shop|process|nodejs)_[a-z0-9_]+\b/g)) queried.add(name);
          else collect(value);
        }
    };
    collect(dashboard);
    expect(queried.size).toBeGreaterThanOrEqual(10);
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
  });
});
