/**
 * bcrypt behind one limit per process: never more than `concurrent` at once, the rest wait their
 * turn, and one that waits too long is refused with TOO_MANY_REQUESTS instead of piling up CPU.
 */
import bcrypt from 'bcryptjs';
import { passwordHashing, type BcryptWork } from '../src/domain/password-hashing';

/** bcrypt's work, counted: how many run at once, and the most that ever did. */
function counted(work: BcryptWork = bcrypt) {
  const seen = { running: 0, most: 0, calls: 0 };
  const around = async <T>(f: () => Promise<T>) => {
    seen.calls++;
    seen.most = Math.max(seen.most, ++seen.running);
    try {
      return await f();
    } finally {
      seen.running--;
    }
  };
  return { seen, work: { hash: (p: string, c: number) => around(() => work.hash(p, c)), compare: (p: string, h: string) => around(() => work.compare(p, h)) } };
}

it('a flood of 12 hashes and compares runs at most 2 at a time, and every one is right', async () => {
  const { seen, work } = counted();
  const passwords = passwordHashing({ concurrent: 2, waitMs: 60_000 }, work);
  const hashes = await Promise.all(Array.from({ length: 6 }, (_, i) => passwords.hash(`password-${i}`)));
  const checks = await Promise.all(hashes.flatMap((h, i) => [passwords.compare(`password-${i}`, h), passwords.compare('wrong-password', h)]));
  expect(checks).toEqual(Array.from({ length: 6 }, () => [true, false]).flat());
  expect(seen).toEqual({ running: 0, most: 2, calls: 18 });
}, 60_000);

it('one that waits past the limit is refused with TOO_MANY_REQUESTS, and the work already queued still finishes', async () => {
  // bcrypt that finishes only when the test says so: the two slots stay taken.
  const finish: (() => void)[] = [];
  const held: BcryptWork = {
    hash: (p) => new Promise((resolve) => finish.push(() => resolve(`hashed:${p}`))),
    compare: async () => true,
  };
  const { seen, work } = counted(held);
  const passwords = passwordHashing({ concurrent: 2, waitMs: 200 }, work);
  const first = [passwords.hash('a'), passwords.hash('b')];
  const refused = passwords.hash('c').then(() => 'ok', (err) => err.extensions);
  expect(await refused).toEqual({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 1 });
  expect(seen.calls).toBe(2); // the refused one never ran
  finish.forEach((f) => f());
  expect(await Promise.all(first)).toEqual(['hashed:a', 'hashed:b']);
  // Its slot was given back: the next one runs.
  const next = passwords.hash('d');
  await new Promise((r) => setImmediate(r));
  finish[2]();
  expect(await next).toBe('hashed:d');
});
