/** The log-in limiter against the real Redis: limits per email and per client address. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { delayAfter, loginGuard } from '../src/data/login-guard';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `t:guard_${randomBytes(4).toString('hex')}:`;
const limits = { windowSeconds: 60, slowAfter: 100, maxPerEmail: 4, maxPerAddress: 3 };

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

it('refuses an email after its failures from any address; a success clears the count', async () => {
  const guard = loginGuard(redis, prefix, { ...limits, maxPerAddress: 100 });
  for (let i = 0; i < 3; i++) await guard.attempt('e@x.io', `10.1.0.${i}`);
  await guard.succeeded('e@x.io', '10.1.0.2');
  for (let i = 0; i < 4; i++) expect(await code(guard.attempt('e@x.io', `10.1.1.${i}`))).toBe('allowed');
  expect(await code(guard.attempt('e@x.io', '10.9.9.9'))).toBe('TOO_MANY_REQUESTS');
  expect(await code(guard.attempt('f@x.io', '10.9.9.9'))).toBe('allowed');
});

it('lets no more attempts through than the limit, however many arrive at once', async () => {
  const guard = loginGuard(redis, prefix, { ...limits, maxPerAddress: 100 });
  const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => code(guard.attempt('g@x.io', `10.2.0.${i}`))));
  expect(outcomes.filter((o) => o === 'allowed')).toHaveLength(limits.maxPerEmail);
});

it('slows down with doubling delays after a few failures, capped', () => {
  expect([0, 1, 2, 3, 4, 5, 9].map((n) => delayAfter(n, 3))).toEqual([0, 0, 0, 250, 500, 1000, 4000]);
});
