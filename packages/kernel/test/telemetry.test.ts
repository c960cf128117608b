/**
 * The kernel's telemetry parts over real HTTP on loopback, tracing off (the default): the trace
 * id a request carries reaches its log lines and the calls it makes; /metrics is guarded; label
 * values from outside are bounded; a failed key fetch is logged once per outage.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import jwt from 'jsonwebtoken';
import pino from 'pino';
import '../src/telemetry/preload';
import { useAsyncContext } from '../src/telemetry/tracing';
import { loadConfig } from '../src/config';
import { serviceClient } from '../src/service-client';
import { boundedLabel } from '../src/telemetry/metrics';
import { metricsAllowed } from '../src/telemetry/metrics-endpoint';
import { currentTraceId, traceFields, traceHttpRequests } from '../src/telemetry/trace-context';
import { jwksVerifier } from '../src/tokens';

useAsyncContext();

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE}-00f067aa0ba902b7-01`;

/** A pino logger whose lines land in an array, parsed. */
function capturedLogger() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => void (lines.push(JSON.parse(String(chunk))), done()) });
  return { lines, logger: pino({ level: 'info', mixin: traceFields }, stream) };
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('trace context, tracing off', () => {
  const seen: { traceparent?: string }[] = [];
  let downstream: http.Server;
  let upstream: http.Server;
  let port: number;
  const { lines, logger } = capturedLogger();

  beforeAll(async () => {
    // The called subgraph: records the traceparent it is sent.
    downstream = http.createServer((req, res) => {
      seen.push({ traceparent: req.headers.traceparent as string | undefined });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"ok":true}}');
    });
    const downPort = await listen(downstream);
    const config = loadConfig('orders', { SERVICE_TOKEN: 'a-service-token-for-tests', SUBGRAPH_URL_CATALOGUE: `http://127.0.0.1:${downPort}/graphql` });
    const call = serviceClient(config, 'catalogue', logger);
    // The calling subgraph (continues its caller's trace) and the router (starts its own).
    const app = express();
    const handle: express.RequestHandler = async (_req, res) => {
      logger.info('handling');
      await call('{ ok }', {});
      res.json({ traceId: currentTraceId() });
    };
    app.post('/subgraph', express.json(), traceHttpRequests('subgraph', true), handle);
    app.post('/router', express.json(), traceHttpRequests('router', false), handle);
    upstream = http.createServer(app);
    port = await listen(upstream);
  });
  afterAll(async () => {
    await new Promise((r) => upstream.close(r));
    await new Promise((r) => downstream.close(r));
  });

  const post = (path: string, headers: Record<string, string> = {}): Promise<any> =>
    fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' }).then((r) => r.json());

  it("a subgraph continues its caller's trace: its log lines and its own calls carry the same trace id", async () => {
    lines.length = seen.length = 0;
    expect(await post('/subgraph', { traceparent: TRACEPARENT })).toEqual({ traceId: TRACE });
    expect(lines.find((l) => l.msg === 'handling')?.trace_id).toBe(TRACE);
    expect(seen[0].traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
  });

  it('the router starts a new trace for each request, whatever the client sends', async () => {
    lines.length = seen.length = 0;
    const first = (await post('/router', { traceparent: TRACEPARENT })).traceId;
    const second = (await post('/router')).traceId;
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(second).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set([first, second, TRACE]).size).toBe(3);
    expect(lines.map((l) => l.trace_id)).toEqual([first, second]);
    expect(seen.map((s) => s.traceparent?.split('-')[1])).toEqual([first, second]);
  });

  it('a line written outside any request has no trace id, and no stray fields', () => {
    lines.length = 0;
    logger.info({ a: 1 }, 'idle');
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[0].a).toBe(1);
  });

  it('a call that fails is logged once, with its cause and the trace id, and answers SERVICE_UNAVAILABLE', async () => {
    const config = loadConfig('orders', { SERVICE_TOKEN: 'a-service-token-for-tests', SUBGRAPH_URL_PROMOTIONS: 'http://127.0.0.1:1/graphql' });
    const call = serviceClient(config, 'promotions', logger);
    const app = express();
    app.post('/', express.json(), traceHttpRequests('subgraph', true), async (_req, res) => {
      res.json(await call('{ ok }', {}, { retries: 1 }).catch((err) => ({ code: err.extensions?.code })));
    });
    const server = http.createServer(app);
    const p = await listen(server);
    lines.length = 0;
    const answer = await fetch(`http://127.0.0.1:${p}/`, { method: 'POST', headers: { 'content-type': 'application/json', traceparent: TRACEPARENT }, body: '{}' }).then((r) => r.json());
    await new Promise((r) => server.close(r));
    expect(answer).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    const failures = lines.filter((l) => l.msg === 'call to another service failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ service: 'promotions', attempts: 2, trace_id: TRACE, err: { code: 'ECONNREFUSED' } });
  });
});

describe('/metrics access', () => {
  it('with METRICS_TOKEN: only the bearer of that token, from anywhere', () => {
    const config = { metricsToken: 'a-metrics-token-of-16+', production: true };
    expect(metricsAllowed(config, 'Bearer a-metrics-token-of-16+', '10.0.0.7')).toBe(true);
    expect(metricsAllowed(config, 'Bearer a-metrics-token-of-16-', '127.0.0.1')).toBe(false);
    expect(metricsAllowed(config, undefined, '127.0.0.1')).toBe(false);
  });

  it('without it: loopback callers only, and nobody in production', () => {
    expect(metricsAllowed({ production: false }, undefined, '127.0.0.1')).toBe(true);
    expect(metricsAllowed({ production: false }, undefined, '::ffff:127.0.0.1')).toBe(true);
    expect(metricsAllowed({ production: false }, undefined, '192.168.1.20')).toBe(false);
    expect(metricsAllowed({ production: true }, undefined, '127.0.0.1')).toBe(false);
  });
});

it('an operation name label keeps the first names seen, then counts any new one as other', () => {
  const label = boundedLabel(2);
  expect(['A', 'B', 'C', 'A', 'x'.repeat(101)].map(label)).toEqual(['A', 'B', 'other', 'A', 'other']);
});

it('a failed fetch of the signing keys is logged once per outage, with its cause', async () => {
  const { lines, logger } = capturedLogger();
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const token = jwt.sign({ role: 'CUSTOMER' }, privateKey, { algorithm: 'RS256', keyid: 'k1', subject: 'u', issuer: 'shop-users', audience: 'shop' });
  const verifier = jwksVerifier('http://127.0.0.1:1/.well-known/jwks.json', { refreshCooldownMs: 10 }, logger);
  await expect(verifier.verify(token)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  await new Promise((r) => setTimeout(r, 20));
  await expect(verifier.verify(token)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  const warnings = lines.filter((l) => l.msg.startsWith('signing keys not fetched'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0].err.message).toMatch(/ECONNREFUSED|connect/);
});
