/**
 * With tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT, the default), a request's trace id still
 * follows it: one placeOrder through the router leaves a log line with the same trace_id in the
 * router, orders, catalogue and promotions (HTTP traceparent), and in the notifications worker
 * that sent its email (AMQP traceparent header).
 */
import type { Stack } from '../../scripts/stack';
import { eventually, gql } from '../support/graphql';
import { logLines } from '../support/logs';
import { startTestStack } from '../support/stack';

let stack: Stack;
let env: Record<string, string>;

beforeAll(async () => {
  // debug: each GraphQL request leaves a line ('graphql request'); info and above log no request.
  ({ stack, env } = await startTestStack('tracelogs', { LOG_LEVEL: 'debug' }));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

it('one placeOrder: the same trace id in a log line of every hop, through RabbitMQ to the email', async () => {
  const url = stack.routerUrl;
  const admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
  const input = { sku: `TL-${Date.now()}`, name: 'Teapot', description: 'A teapot', category: 'kitchen', priceCents: 2000, stock: 5 };
  const productId = (await gql(url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, admin)).data.createProduct.id;
  const token = (await gql(url, `mutation { signUp(input: { email: "trace@example.com", password: "long-enough-1", name: "Tracy" }) { token } }`)).data.signUp.token;

  const placed = await gql(url, `mutation PlaceOrder($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 1 }], promoCode: "CHAT10" }) { number } }`, { id: productId }, token);
  expect(placed.errors).toBeUndefined();
  const number = placed.data.placeOrder.number;

  // The router's line for this request names the trace; every other hop must name the same.
  const routerLine = await eventually(() => logLines(env, 'router').find((l) => l.msg === 'graphql request' && l.operation === 'PlaceOrder'));
  const traceId: string = routerLine.trace_id;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(traceId).not.toMatch(/^0+$/);

  const emailLine = await eventually(
    () => logLines(env, 'notifications-worker').find((l) => l.msg === 'notification sent' && l.channel === 'EMAIL' && l.type === 'order.created' && l.trace_id === traceId),
    20_000,
    100,
  );
  expect(emailLine.level).toBe(30); // info: seen at the default level too

  for (const hop of ['orders', 'catalogue', 'promotions']) {
    const lines = logLines(env, hop).filter((l) => l.trace_id === traceId);
    expect({ hop, requests: lines.filter((l) => l.msg === 'graphql request').length > 0 }).toEqual({ hop, requests: true });
  }
  // Another request is another trace.
  await gql(url, `query Again { products(first: 1) { totalCount } }`);
  const again = await eventually(() => logLines(env, 'router').find((l) => l.msg === 'graphql request' && l.operation === 'Again'));
  expect(again.trace_id).toMatch(/^[0-9a-f]{32}$/);
  expect(again.trace_id).not.toBe(traceId);
  expect(number).toBeGreaterThan(0);
}, 60_000);
