/** The log-in limiter against the real Redis: limits per email and address pair, per address, and per email from unknown addresses. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { delayAfter, loginGuard } from '../src/data/login-guard';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `t:guard_${randomBytes(4).toString('hex')}:`;
const limits = { windowSeconds: 60, slowAfter: 100, maxPerPair: 4, maxPerAddress: 3, maxPerEmail: 6, knownForSeconds: 60 };

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const code = (p: Promise<unknown>) => p.then(() => 'allowed', (err) => err.extensions.code);

it('refuses an address after its failures, whatever email it tries next, and no other address', async () => {
  const guard = loginGuard(redis, prefix, limits);
  for (const email of ['a@x.io', 'b@x.io', 'c@x.io']) expect(await code(guard.attempt(email, '10.0.0.1'))).toBe('allowed');
  expect(await code(guard.attempt('d@x.io', '10.0.0.1'))).toBe('TOO_MANY_REQUESTS');
  expect(await code(guard.attempt('d@x.io', '10.0.0.2'))).toBe('allowed');
});

it("refuses an email from the attacker's address, not from the owner's: failures count per email and address pair", async () => {
  const guard = loginGuard(redis, prefix, { ...limits, maxPerAddress: 100 });
  for (let i = 0; i < 4; i++) expect(await code(guard.attempt('e@x.io', '10.1.0.66'))).toBe('allowed');
  expect(await code(guard.attempt('e@x.io', '10.1.0.66'))).toBe('TOO_MANY_REQUESTS');
  // The owner, elsewhere, is not locked out by someone else's wrong passwords.
  expect(await code(guard.attempt('e@x.io', '10.1.0.7'))).toBe('allowed');
  await guard.succeeded('e@x.io', '10.1.0.7');
  // A success clears its own pair only.
  expect(await code(guard.attempt('e@x.io', '10.1.0.66'))).toBe('TOO_MANY_REQUESTS');
});

it('an email attacked from many addresses is refused to new addresses, never to one that signed in to it recently', async () => {
  const guard = loginGuard(redis, prefix, { ...limits, maxPerAddress: 100 });
  expect(await code(guard.attempt('f@x.io', '10.3.0.1'))).toBe('allowed');
  await guard.succeeded('f@x.io', '10.3.0.1'); // the owner's address, now known
  const spread = [];
  for (let i = 0; i < 8; i++) spread.push(await code(guard.attempt('f@x.io', `10.4.0.${i}`)));
  expect(spread).toEqual(['allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
  expect(await code(guard.attempt('f@x.io', '10.3.0.1'))).toBe('allowed');
  expect(await code(guard.attempt('f@x.io', '10.4.0.99'))).toBe('TOO_MANY_REQUESTS');
  expect(await code(guard.attempt('other@x.io', '10.4.0.99'))).toBe('allowed');
});

it('lets no more attempts through than the limit, however many arrive at once', async () => {
  const guard = loginGuard(redis, prefix, { ...limits, maxPerAddress: 100 });
  const outcomes = await Promise.all(Array.from({ length: 20 }, () => code(guard.attempt('g@x.io', '10.2.0.1'))));
  expect(outcomes.filter((o) => o === 'allowed')).toHaveLength(limits.maxPerPair);
});

it('slows down with doubling delays after a few failures, capped', () => {
  expect([0, 1, 2, 3, 4, 5, 9].map((n) => delayAfter(n, 3))).toEqual([0, 0, 0, 250, 500, 1000, 4000]);
});
