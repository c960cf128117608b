/** The router's subgraph client against a real HTTP server: what the gateway reads of a response. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { subgraphFetcher } from '../src/subgraph-fetcher';

let server: http.Server;
let url: string;
const seen: { method?: string; auth?: string; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, auth: req.headers.authorization, body });
      const status = JSON.parse(body).query === 'bad' ? 400 : 200;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private' });
      res.end(JSON.stringify(status === 200 ? { data: { ok: true } } : { errors: [{ message: 'no' }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((r) => server.close(r)));

it('sends the method, headers and body, and gives status, headers and the parsed body back', async () => {
  const { fetcher, close } = subgraphFetcher();
  try {
    const init = { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' } };
    const ok = await fetcher(url, { ...init, body: JSON.stringify({ query: '{ ok }' }) });
    expect([ok.ok, ok.status, ok.statusText, ok.headers.get('content-type'), ok.headers.get('Cache-Control')]).toEqual([
      true, 200, 'OK', 'application/json; charset=utf-8', 'private',
    ]);
    expect(await ok.json()).toEqual({ data: { ok: true } });
    expect(seen.at(-1)).toEqual({ method: 'POST', auth: 'Bearer t', body: '{"query":"{ ok }"}' });

    const refused = await fetcher(url, { ...init, body: JSON.stringify({ query: 'bad' }) });
    expect([refused.ok, refused.status, refused.statusText]).toEqual([false, 400, 'Bad Request']);
    expect(JSON.parse(await refused.text())).toEqual({ errors: [{ message: 'no' }] });
  } finally {
    await close();
  }
});

it('fails a call to a subgraph that is not listening, without hanging', async () => {
  const { fetcher, close } = subgraphFetcher();
  try {
    await expect(fetcher('http://127.0.0.1:1/graphql', { method: 'POST', body: '{}' })).rejects.toThrow();
  } finally {
    await close();
  }
});

it('merges identical anonymous reads in flight when asked to, never mutations or signed-in calls', async () => {
  const { fetcher, close } = subgraphFetcher({ mergeAnonymousReads: true });
  const count = () => seen.length;
  const send = (query: string, headers: Record<string, string> = {}) =>
    Array.from({ length: 5 }, () => fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) }).then((r) => r.json()));
  try {
    let before = count();
    expect(await Promise.all(send('{ ok }'))).toEqual(Array(5).fill({ data: { ok: true } }));
    expect(count() - before).toBe(1);

    before = count();
    await Promise.all(send('mutation { ok }'));
    expect(count() - before).toBe(5);

    before = count();
    await Promise.all(send('{ ok }', { authorization: 'Bearer t' }));
    expect(count() - before).toBe(5);

    // Once answered, the next read is sent again: nothing is cached.
    before = count();
    await Promise.all(send('{ ok }'));
    expect(count() - before).toBe(1);
  } finally {
    await close();
  }
});

it('sends every read by default: one started after a write never shares an answer read before it', async () => {
  const { fetcher, close } = subgraphFetcher();
  const before = seen.length;
  try {
    await Promise.all(Array.from({ length: 5 }, () => fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ ok }' }) })));
    expect(seen.length - before).toBe(5);
  } finally {
    await close();
  }
});
