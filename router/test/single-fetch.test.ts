/**
 * The router's single-fetch shortcut (router/src/single-fetch.ts) against the real router process
 * and real subgraphs over HTTP: a query planned as one plain fetch is answered with the subgraph's
 * answer, sent with the same operation, variables and headers as the gateway sends; everything
 * else (errors, bad variables, plans that reshape the answer) is answered by the gateway as before.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, GraphQLError, parse, type GraphQLSchema } from 'graphql';

const SDL = {
  shop: `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
    type Query {
      items(first: Int!): [Item!]!
      item(id: ID!): Item
      broken: Item
      pets: [Pet!]!
      mood: Mood!
      door: Door!
    }
    type Item @key(fields: "id") { id: ID! name: String! }
    interface Pet { name: String! }
    type Cat implements Pet { name: String! }
    enum Mood { HAPPY SAD }
    enum Door { OPEN SECRET @inaccessible }`,
  ratings: `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Item @key(fields: "id") { id: ID! rating: Int! stars(scale: Int!): Int! review: String }
    type Mutation { rate(id: ID!): Int! }`,
};
const ITEMS = [1, 2, 3].map((n) => ({ id: `i${n}`, name: `Item ${n}` }));
const RESOLVERS = {
  shop: {
    Query: {
      items: (_: unknown, { first }: { first: number }) => ITEMS.slice(0, first),
      item: (_: unknown, { id }: { id: string }) => ITEMS.find((item) => item.id === id) ?? null,
      broken: () => {
        throw new Error('the shelf fell');
      },
      pets: () => [{ name: 'Tom' }],
      mood: () => 'HAPPY',
      door: () => 'OPEN',
    },
    Pet: { __resolveType: () => 'Cat' },
  },
  ratings: {
    Item: {
      __resolveReference: ({ id }: { id: string }) => ({ id, rating: Number(id.slice(1)) }),
      stars: ({ rating }: { rating: number }, { scale }: { scale: number }) => rating * scale,
      review: ({ id }: { id: string }) => {
        if (id === 'i2') throw new Error('the review was lost');
        return `review of ${id}`;
      },
    },
    Mutation: {
      rate: (_: unknown, { id }: { id: string }) => {
        if (id === 'bad') throw new GraphQLError('no such item', { extensions: { code: 'NOT_FOUND' } });
        return 5;
      },
    },
  },
};

interface Call {
  subgraph: string;
  headers: http.IncomingHttpHeaders;
  body: { query: string; variables?: Record<string, unknown>; operationName?: string };
}
const calls: Call[] = [];
const servers: http.Server[] = [];
let router: ChildProcess;
let url: string;

function serve(name: keyof typeof SDL): Promise<string> {
  const schema: GraphQLSchema = buildSubgraphSchema({ typeDefs: parse(SDL[name]), resolvers: RESOLVERS[name] as any });
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', async () => {
      const body = JSON.parse(text);
      calls.push({ subgraph: name, headers: req.headers, body });
      const result = await execute({ schema, document: parse(body.query), variableValues: body.variables, operationName: body.operationName });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`)));
}

beforeAll(async () => {
  const services = await Promise.all((['shop', 'ratings'] as const).map(async (name) => ({ name, url: await serve(name), typeDefs: parse(SDL[name]) })));
  const composed = composeServices(services);
  if (composed.errors) throw composed.errors[0];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'single-fetch-'));
  writeFileSync(path.join(dir, 'supergraph.graphql'), composed.supergraphSdl);
  const port = 40_000 + ((process.pid + 7) % 20_000);
  url = `http://127.0.0.1:${port}/graphql`;
  router = spawn(process.execPath, ['--import', 'tsx', 'router/src/index.ts'], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, PORT: String(port), SUPERGRAPH_FILE: path.join(dir, 'supergraph.graphql'), SERVICE_TOKEN: 'single-fetch-test-service-token-0123', QUEUE_PREFIX: `single-fetch-${process.pid}-`, LOG_LEVEL: 'fatal' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url.replace('/graphql', '/healthz'))).ok) return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('the router did not start');
}, 60_000);

afterAll(async () => {
  router?.kill('SIGTERM');
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const ask = async (query: string, variables?: Record<string, unknown>) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
const counted = async () => {
  const metrics = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  const value = (outcome: string) => Number(metrics.match(new RegExp(`shop_router_single_fetch_total\\{outcome="${outcome}"[^}]*\\} (\\d+)`))?.[1] ?? 0);
  const planned = (outcome: string) => Number(metrics.match(new RegExp(`shop_router_merged_plans_total\\{outcome="${outcome}"[^}]*\\} (\\d+)`))?.[1] ?? 0);
  return { answered: value('answered'), fullWay: value('full_way'), planned: planned('answered'), plannedFullWay: planned('full_way') };
};
/** Asks three times; gives the answers, the subgraph calls they made and what the shortcut counted. */
const thrice = async (query: string, variables?: Record<string, unknown>) => {
  const before = await counted();
  const firstCall = calls.length;
  const answers = [await ask(query, variables), await ask(query, variables), await ask(query, variables)];
  const after = await counted();
  return {
    answers,
    calls: calls.slice(firstCall),
    answered: after.answered - before.answered,
    fullWay: after.fullWay - before.fullWay,
    planned: after.planned - before.planned,
    plannedFullWay: after.plannedFullWay - before.plannedFullWay,
  };
};

test('a query planned as one plain fetch: the first by the gateway, then the subgraph answer as it is, sent alike', async () => {
  const { answers, calls, answered } = await thrice('query Items($n: Int!) { items(first: $n) { id name } }', { n: 2 });
  const expected = `${JSON.stringify({ data: { items: ITEMS.slice(0, 2) } })}\n`;
  expect(answers).toEqual(Array(3).fill({ status: 200, type: 'application/json; charset=utf-8', text: expected }));
  expect(answered).toBe(2);
  // The subgraph cannot tell the shortcut's calls from the gateway's: same operation, variables,
  // operation name, and the same headers (the router's own, the trace) but the trace's value.
  expect(calls).toHaveLength(3);
  const alike = (call: Call) => {
    const { traceparent, ...headers } = call.headers;
    return { body: call.body, headers, traceparent: typeof traceparent };
  };
  expect(alike(calls[1])).toEqual(alike(calls[0]));
  expect(alike(calls[2])).toEqual(alike(calls[0]));
  expect(calls[0].body).toEqual({ query: 'query Items__shop__0($n:Int!){items(first:$n){id name}}', variables: { n: 2 }, operationName: 'Items__shop__0' });
});

test("Apollo Client's extensions (clientLibrary) take the shortcut too; a persisted query's do not", async () => {
  const asked = async (extensions: unknown) => {
    const before = (await counted()).answered;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ items(first: 3) { id } }', extensions }) });
    return { data: ((await res.json()) as { data: unknown }).data, shortcut: (await counted()).answered - before };
  };
  const data = { items: ITEMS.map(({ id }) => ({ id })) };
  await asked(undefined); // remembered
  expect(await asked({ clientLibrary: { name: '@apollo/client', version: '4.0.0' } })).toEqual({ data, shortcut: 1 });
  const persisted = await asked({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update('{ items(first: 3) { id } }').digest('hex') } });
  expect(persisted).toEqual({ data, shortcut: 0 });
});

test('a subgraph error is answered by the gateway, as the first time (the subgraph asked again)', async () => {
  const { answers, calls, answered, fullWay } = await thrice('{ broken { id } }');
  expect(answers[1]).toEqual(answers[0]);
  expect(answers[2]).toEqual(answers[0]);
  expect(JSON.parse(answers[0].text)).toMatchObject({ data: { broken: null }, errors: [{ path: ['broken'] }] });
  expect([answered, fullWay, calls.length]).toEqual([0, 2, 5]);
});

test('variables the API schema refuses never reach the subgraph', async () => {
  await ask('query Items($n: Int!) { items(first: $n) { id } }', { n: 1 });
  const { answers, calls, answered } = await thrice('query Items($n: Int!) { items(first: $n) { id } }', { n: 'one' });
  expect(answers.map((a) => [a.status, JSON.parse(a.text).errors[0].extensions.code])).toEqual(Array(3).fill([400, 'BAD_USER_INPUT']));
  expect([answered, calls.length]).toEqual([0, 0]);
});

describe('a query planned as several plain fetches', () => {
  /** A call as the subgraph saw it, but the trace's value. */
  const alike = (call: Call) => {
    const { traceparent, ...headers } = call.headers;
    return { subgraph: call.subgraph, body: call.body, headers, traceparent: typeof traceparent };
  };

  test("is merged and shaped by the router as by the gateway, with the gateway's calls", async () => {
    const query = 'query Rated($n: Int!, $scale: Int!) { items(first: $n) { id name rating stars(scale: $scale) } }';
    const { answers, calls, answered, planned, plannedFullWay } = await thrice(query, { n: 3, scale: 10 });
    const items = ITEMS.map((item, i) => ({ ...item, rating: i + 1, stars: (i + 1) * 10 }));
    expect(answers).toEqual(Array(3).fill({ status: 200, type: 'application/json; charset=utf-8', text: `${JSON.stringify({ data: { items } })}\n` }));
    expect([answered, planned, plannedFullWay]).toEqual([0, 2, 0]);
    // Two calls a request, in the same order, with the same operations, variables, representations and headers.
    expect(calls).toHaveLength(6);
    expect(calls.slice(2).map(alike)).toEqual([...calls.slice(0, 2), ...calls.slice(0, 2)].map(alike));
    expect(calls[1].body).toEqual({
      query: expect.stringContaining('_entities(representations:$representations)'),
      variables: { scale: 10, representations: ITEMS.map(({ id }) => ({ __typename: 'Item', id })) },
      operationName: 'Rated__ratings__1',
    });
  });

  test('aliases, __typename and a nested object come out in the order the client asked', async () => {
    const { answers, planned } = await thrice('{ item(id: "i2") { rating __typename label: name } first: items(first: 1) { score: rating id } }');
    expect(answers.map((a) => a.text)).toEqual(
      Array(3).fill(`${JSON.stringify({ data: { item: { rating: 2, __typename: 'Item', label: 'Item 2' }, first: [{ score: 1, id: 'i1' }] } })}\n`),
    );
    expect(planned).toBe(2);
  });

  test('an object that is null skips its entity fetch, as the gateway does', async () => {
    const { answers, calls, planned } = await thrice('{ item(id: "none") { name rating } }');
    expect(answers.map((a) => JSON.parse(a.text))).toEqual(Array(3).fill({ data: { item: null } }));
    expect([planned, calls.map((c) => c.subgraph)]).toEqual([2, ['shop', 'shop', 'shop']]);
  });

  test('an error in any fetch sends it the full way: the gateway answers, as the first time', async () => {
    const { answers, answered, planned, plannedFullWay } = await thrice('{ items(first: 3) { id review } }');
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(JSON.parse(answers[0].text)).toMatchObject({
      data: { items: [{ id: 'i1', review: 'review of i1' }, { id: 'i2', review: null }, { id: 'i3', review: 'review of i3' }] },
      errors: [{ path: ['items', 1, 'review'] }],
    });
    expect([answered, planned, plannedFullWay]).toEqual([0, 0, 2]);
  });
});

test.each([
  ['an interface', '{ pets { name } }', { pets: [{ name: 'Tom' }] }],
  ['a fragment', '{ items(first: 1) { ... on Item { id } } }', { items: [{ id: 'i1' }] }],
  ['a directive', '{ items(first: 1) @include(if: true) { id } }', { items: [{ id: 'i1' }] }],
  ['an enum with a hidden value', '{ door }', { door: 'OPEN' }],
  ['introspection', '{ __typename items(first: 1) { id } }', { __typename: 'Query', items: [{ id: 'i1' }] }],
])('%s: the gateway answers each time', async (_, query, data) => {
  const { answers, answered, fullWay, planned } = await thrice(query);
  expect(answers.map((a) => JSON.parse(a.text))).toEqual(Array(3).fill({ data }));
  expect([answered, fullWay, planned]).toEqual([0, 0, 0]);
});

test("an enum with every value visible and an object's __typename (Apollo Client adds it) take the shortcut", async () => {
  expect((await thrice('{ mood }')).answered).toBe(2);
  const typed = await thrice('{ items(first: 1) { __typename id } }');
  expect(typed.answers.map((a) => JSON.parse(a.text))).toEqual(Array(3).fill({ data: { items: [{ __typename: 'Item', id: 'i1' }] } }));
  expect(typed.answered).toBe(2);
});

test('a mutation planned as one fetch takes the shortcut, and is sent once per request whatever it answers', async () => {
  const rated = await thrice('mutation Rate($id: ID!) { rate(id: $id) }', { id: 'i1' });
  expect(rated.answers.map((a) => JSON.parse(a.text))).toEqual(Array(3).fill({ data: { rate: 5 } }));
  expect([rated.answered, rated.calls.length]).toEqual([2, 3]);
  // An error goes the full way, which shapes it as the first time, with the answer the shortcut
  // kept: the subgraph is asked once per request, never twice.
  const refused = await thrice('mutation Rate($id: ID!) { rate(id: $id) }', { id: 'bad' });
  expect(refused.answers[1]).toEqual(refused.answers[0]);
  expect(refused.answers[2]).toEqual(refused.answers[0]);
  expect(JSON.parse(refused.answers[0].text)).toMatchObject({ data: null, errors: [{ message: 'no such item', path: ['rate'], extensions: { code: 'NOT_FOUND' } }] });
  expect([refused.answered, refused.fullWay, refused.calls.length]).toEqual([0, 3, 3]);
  expect(refused.calls.map((call) => call.headers['x-shop-kept-answer'])).toEqual([undefined, undefined, undefined]);
});

describe('a plain JSON POST, served without Express, answers as Express did', () => {
  const post = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
  const refused = (status: number, message: string) => ({ status, body: { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] } });

  test('malformed or non-object JSON: 400', async () => {
    expect(await post('{"query": ')).toEqual(refused(400, 'Malformed request body'));
    expect(await post('"{ items(first: 1) { id } }"')).toEqual(refused(400, 'Malformed request body'));
  });

  test('a body over 64 KiB, declared or streamed: 413', async () => {
    expect(await post(JSON.stringify({ query: `{ items(first: 1) { id } } #${'x'.repeat(70_000)}` }))).toEqual(refused(413, 'Request body too large'));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(i ? 'x'.repeat(10_000) : '{"query": "'));
        controller.close();
      },
    });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  test('an empty body and a batch are Apollo Server\'s 400s; a bad token is 401', async () => {
    const empty = await post('');
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].message).toMatch(/POST body missing/);
    const batch = await post(JSON.stringify([{ query: '{ mood }' }]));
    expect([batch.status, batch.body.errors[0].message]).toEqual([400, expect.stringMatching(/batch/i)]);
    const badToken = await post(JSON.stringify({ query: '{ mood }' }), { authorization: 'Basic x' });
    expect([badToken.status, badToken.body.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  test('another content type goes through Express: CSRF prevention still refuses a simple request', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ mood }' }) });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF|preflight/i);
  });
});
