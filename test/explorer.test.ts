/**
 * The explorer through the real router code: in development GET /graphql serves Apollo Sandbox
 * and introspection answers; in production both are off unless GRAPHQL_EXPLORER=true; CSRF
 * prevention refuses a browser's simple GET either way. The router starts alone: a static
 * supergraph plans without reaching any subgraph, and these requests need none.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { Connection } from 'rabbitmq-client';
import { createLogger, loadConfig, type RunningServer } from '@shop/kernel';
import { exampleDocument } from '../router/src/explorer';
import { startRouter } from '../router/src/router';
import { isolatedEnv } from './support/env';

const env = isolatedEnv('explorer');
const routers: RunningServer[] = [];

async function router(extra: Record<string, string>) {
  const running = await startRouter(loadConfig('router', { ...env, PORT: '0', ...extra }), createLogger('router', 'silent'));
  routers.push(running);
  return running.url;
}

const landing = (url: string) => fetch(url, { headers: { accept: 'text/html' } });
const post = (url: string, query: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
const queryTypeName = '{ __schema { queryType { name } } }';

afterAll(async () => {
  for (const r of routers) await r.stop();
  const rabbit = new Connection(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  await rabbit.exchangeDelete({ exchange: env.EVENTS_EXCHANGE });
  await rabbit.close();
  rmSync(env.DATA_DIR, { recursive: true, force: true });
});

describe('in development', () => {
  let url: string;
  beforeAll(async () => {
    url = await router({ NODE_ENV: 'development' });
  });

  it('serves Apollo Sandbox, embedded, with example operations', async () => {
    const res = await landing(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('EmbeddedSandbox');
    expect(html).toContain('query Products');
    expect(html).toContain('"runTelemetry":false');
  });

  it("answers the explorer's full introspection query", async () => {
    const { status, body } = await post(url, getIntrospectionQuery());
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const types = body.data.__schema.types.map((t: { name: string }) => t.name);
    expect(types).toEqual(expect.arrayContaining(['Product', 'Order', 'User']));
    // @inaccessible parts stay out of the public schema.
    expect(types).not.toContain('ReservedLine');
  });

  it('refuses a GET that a browser could send cross-site (CSRF prevention)', async () => {
    const res = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
    const preflighted = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('in production', () => {
  it('serves no landing page and refuses introspection, but answers queries and keeps CSRF prevention', async () => {
    const url = await router({ NODE_ENV: 'production' });
    const res = await landing(url);
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('EmbeddedSandbox');
    const { status, body } = await post(url, queryTypeName);
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors[0].message).toMatch(/introspection is not allowed/i);
    expect(await post(url, '{ __typename }')).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    expect((await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`)).status).toBe(400);
  });

  it('opens both when GRAPHQL_EXPLORER=true', async () => {
    const url = await router({ NODE_ENV: 'production', GRAPHQL_EXPLORER: 'true' });
    expect(await (await landing(url)).text()).toContain('EmbeddedSandbox');
    expect(await post(url, queryTypeName)).toEqual({ status: 200, body: { data: { __schema: { queryType: { name: 'Query' } } } } });
  });
});

describe('the example operations', () => {
  it("are the contract's documents when they exist, else a products query", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'explorer-')), 'storefront.graphql');
    writeFileSync(file, 'query Me { me { id } }\n');
    expect(exampleDocument([file, '/nowhere/admin.graphql'])).toMatch(/^# The contract's operations[\s\S]*\n\nquery Me \{ me \{ id \} \}\n$/);
    expect(exampleDocument(['/nowhere/storefront.graphql'])).toMatch(/^# Sign in with the LogIn mutation[\s\S]*query Products \{\n  products\(first: 5\)/);
  });
});
