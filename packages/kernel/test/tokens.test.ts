/**
 * The verifier's key set, against a real JWKS endpoint on loopback: made-up `kid`s cost at most
 * one fetch per cooldown, and valid tokens keep working whatever they send.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwksVerifier, signAccessToken } from '../src/tokens';

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = { kid: 'real-key', privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: key.kid, use: 'sig', alg: 'RS256' };

let server: http.Server;
let jwksUrl: string;
let fetches = 0;
let down = false;
let published: object[] = [jwk];

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    fetches++;
    if (down) return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  fetches = 0;
  down = false;
  published = [jwk];
});

const identity = { userId: 'u1', role: 'CUSTOMER' as const, email: 'u1@example.com' };
const valid = (k = key) => signAccessToken(identity, k, 600);
/** A token naming a key that does not exist, issued `ageSeconds` ago. */
const madeUp = (ageSeconds = 0) =>
  jwt.sign({ role: 'ADMIN', email: 'x@example.com', iat: Math.floor(Date.now() / 1000) - ageSeconds }, key.privateKeyPem, {
    algorithm: 'RS256', keyid: randomUUID(), subject: 'u1', issuer: 'shop-users', audience: 'shop', expiresIn: 600,
  });
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (err) => err.extensions?.code ?? String(err));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('made-up kids in tokens older than the key set cost nothing; recent ones at most one fetch per cooldown; valid tokens keep working', async () => {
  const verifier = jwksVerifier(jwksUrl, { refreshCooldownMs: 300 });
  expect(await outcome(verifier.verify(valid()))).toBe('ok');
  expect(fetches).toBe(1);

  const old = await Promise.all(Array.from({ length: 200 }, () => outcome(verifier.verify(madeUp(60)))));
  for (let i = 0; i < 100; i++) old.push(await outcome(verifier.verify(madeUp(60))));
  expect(new Set(old)).toEqual(new Set(['UNAUTHENTICATED']));
  expect(fetches).toBe(1);

  // Recent ones (they could name a key made since): 100 at once, then one after another for a
  // second. They wait out the cooldown and share fetches: bounded by time, not by their number.
  const started = Date.now();
  const recent = await Promise.all(Array.from({ length: 100 }, () => outcome(verifier.verify(madeUp()))));
  while (Date.now() - started < 1000) recent.push(await outcome(verifier.verify(madeUp())));
  expect(new Set(recent)).toEqual(new Set(['UNAUTHENTICATED']));
  expect(recent.length).toBeGreaterThan(100);
  expect(fetches - 1).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - started) / 300));
  for (let i = 0; i < 20; i++) expect(await outcome(verifier.verify(valid()))).toBe('ok');
});

it('the key set is fetched again once it is older than its maximum age, flood or not', async () => {
  const verifier = jwksVerifier(jwksUrl, { maxAgeMs: 500, refreshCooldownMs: 100 });
  expect(await outcome(verifier.verify(valid()))).toBe('ok');
  await Promise.all(Array.from({ length: 100 }, () => verifier.verify(madeUp(60)).catch(() => undefined)));
  await sleep(600);
  const before = fetches;
  for (let i = 0; i < 20; i++) expect(await outcome(verifier.verify(valid()))).toBe('ok');
  expect(fetches - before).toBe(1);
});

it('a rotated key is found by the first token that names it, even within the cooldown (it waits, it is not refused)', async () => {
  const verifier = jwksVerifier(jwksUrl, { refreshCooldownMs: 300 });
  expect(await outcome(verifier.verify(valid()))).toBe('ok');
  const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const nextKey = { kid: 'next-key', privateKeyPem: next.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  published = [jwk, { ...next.publicKey.export({ format: 'jwk' }), kid: nextKey.kid, use: 'sig', alg: 'RS256' }];
  expect(await outcome(verifier.verify(valid(nextKey)))).toBe('ok');
  expect(await outcome(verifier.verify(valid()))).toBe('ok');
  expect(fetches).toBe(2);
});

it('while the JWKS endpoint fails, known keys stay in use and a failed fetch is not retried before the cooldown', async () => {
  const verifier = jwksVerifier(jwksUrl, { maxAgeMs: 300, refreshCooldownMs: 300 });
  expect(await outcome(verifier.verify(valid()))).toBe('ok');
  down = true;
  await sleep(350);
  for (let i = 0; i < 20; i++) expect(await outcome(verifier.verify(valid()))).toBe('ok');
  for (let i = 0; i < 20; i++) expect(await outcome(verifier.verify(madeUp(60)))).toBe('UNAUTHENTICATED');
  expect(fetches).toBe(2);
});
