/**
 * Accounts against the real FerretDB and Redis: the generated admin password, sign-up's order of
 * work and its limit per address, bcrypt's 72 bytes, and the purge of expired sessions.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { loadConfig } from '@shop/kernel';
import { testDatabase } from '../../../test/support/database';
import { thrownCode } from '../../../test/support/graphql';
import { accounts } from '../src/domain/accounts';
import { checkPassword } from '../src/domain/validation';
import { loginGuard, signUpGuard } from '../src/data/login-guard';
import { refreshTokenModel } from '../src/data/session-model';
import { userModel } from '../src/data/user-model';

let db: Connection;
let drop: () => Promise<void>;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `t:accounts_${randomBytes(4).toString('hex')}:`;

beforeAll(async () => {
  ({ db, drop } = await testDatabase('accounts'));
  await userModel(db).init();
  await refreshTokenModel(db).init();
});
afterAll(async () => {
  await drop();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const key = { kid: 'k', privateKeyPem: '' };
function service(env: Record<string, string> = {}, signUpsPerAddress = 30) {
  const config = loadConfig('users', { SERVICE_TOKEN: 'a-service-token-of-32-characters', ADMIN_EMAIL: 'root@example.com', ...env });
  const users = userModel(db);
  const refreshTokens = refreshTokenModel(db);
  const keys = { current: async () => key } as never; // sessions are not started in these tests
  const signUps = signUpGuard(redis, prefix, { perAddress: signUpsPerAddress, windowSeconds: 60 });
  return { users, refreshTokens, desk: accounts({ config, users, refreshTokens, keys, guard: loginGuard(redis, prefix), signUps, relay: { flush: async () => undefined } as never }) };
}
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (err) => err.extensions?.code ?? String(err));

it('without ADMIN_PASSWORD, creates the admin with a generated password, returned once, stored only as a bcrypt hash', async () => {
  const { desk, users } = service();
  const password = await desk.ensureAdmin();
  expect(password).toMatch(/^[\w-]{24}$/);
  const admin = await users.findOne({ email: 'root@example.com' }).lean();
  expect({ role: admin!.role, hashed: admin!.passwordHash.startsWith('$2') }).toEqual({ role: 'ADMIN', hashed: true });
  expect(await bcrypt.compare(password!, admin!.passwordHash)).toBe(true);
  expect(JSON.stringify(admin)).not.toContain(password);
  // Shown once: the next start finds the admin and generates nothing.
  expect(await desk.ensureAdmin()).toBeNull();
  expect(await service({ ADMIN_PASSWORD: 'another-password' }).desk.ensureAdmin()).toBeNull();
});

it('with ADMIN_PASSWORD, the admin gets that one and nothing is generated', async () => {
  const { desk, users } = service({ ADMIN_EMAIL: 'chief@example.com', ADMIN_PASSWORD: 'chosen-password' });
  expect(await desk.ensureAdmin()).toBeNull();
  expect(await bcrypt.compare('chosen-password', (await users.findOne({ email: 'chief@example.com' }).lean())!.passwordHash)).toBe(true);
});

it('a taken email is refused before any hashing; passwords over 72 bytes are refused, whatever their characters', async () => {
  const { desk } = service();
  const hash = jest.spyOn(bcrypt, 'hash');
  expect(await codeOf(desk.signUp({ email: 'ROOT@example.com', password: 'long-enough-1', name: 'X' }, '192.0.2.1'))).toBe('EMAIL_TAKEN');
  expect(hash).not.toHaveBeenCalled();
  // 36 two-byte characters: 72 bytes, accepted; 37: 74 bytes, which bcrypt would cut.
  expect(await codeOf(desk.signUp({ email: 'long@example.com', password: 'é'.repeat(37), name: 'X' }, '192.0.2.1'))).toBe('BAD_USER_INPUT');
  expect(hash).not.toHaveBeenCalled();
  hash.mockRestore();
  expect(thrownCode(() => checkPassword('é'.repeat(36)))).toBe('ok');
  expect(thrownCode(() => checkPassword('x'.repeat(73)))).toBe('BAD_USER_INPUT');
});

it('refuses sign-ups from one address beyond its limit with TOO_MANY_REQUESTS, before anything is done; other addresses go on', async () => {
  const { desk, users } = service({}, 3);
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push(await codeOf(desk.signUp({ email: 'root@example.com', password: 'long-enough-1', name: 'X' }, '192.0.2.9')));
  expect(codes).toEqual(['EMAIL_TAKEN', 'EMAIL_TAKEN', 'EMAIL_TAKEN', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
  expect(await codeOf(desk.signUp({ email: 'root@example.com', password: 'long-enough-1', name: 'X' }, '192.0.2.10'))).toBe('EMAIL_TAKEN');
  expect(await users.countDocuments({ email: 'root@example.com' })).toBe(1);
});

it('purges expired refresh tokens, spent or not, and keeps live ones (a shape FerretDB runs: deleteMany with $lt on a date)', async () => {
  const { desk, refreshTokens } = service();
  const now = new Date();
  const day = 24 * 3600_000;
  await refreshTokens.create([
    { tokenHash: 'expired', family: 'f1', userId: 'u', expiresAt: new Date(now.getTime() - day) },
    { tokenHash: 'expired-spent', family: 'f1', userId: 'u', expiresAt: new Date(now.getTime() - 1), spentAt: now },
    { tokenHash: 'live', family: 'f2', userId: 'u', expiresAt: new Date(now.getTime() + day) },
    { tokenHash: 'live-spent', family: 'f2', userId: 'u', expiresAt: new Date(now.getTime() + day), spentAt: now },
  ]);
  expect(await desk.purgeExpiredSessions(now)).toBe(2);
  expect((await refreshTokens.find().lean()).map((t) => t.tokenHash).sort()).toEqual(['live', 'live-spent']);
});
