import { createHash, randomBytes, randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { createEvent, isDuplicateKey, op, ShopError, signAccessToken, type Config, type Identity, type OutboxRelay } from '@shop/kernel';
import type { UserDoc, UserModel } from '../data/user-model';
import type { RefreshTokenModel } from '../data/session-model';
import type { LoginGuard, SignUpGuard } from '../data/login-guard';
import type { SigningKeys } from './signing-keys';
import { BCRYPT_COST, passwordHashing, type PasswordHashing } from './password-hashing';
import { checkLocale, checkName, checkPassword, checkPhone, normaliseEmail } from './validation';

const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;
// A real bcrypt hash of a random password, compared against when the email is unknown.
const DUMMY_HASH = bcrypt.hashSync(randomBytes(16).toString('hex'), BCRYPT_COST);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface Session {
  token: string;
  refreshToken: string;
  user: UserDoc;
}

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
  marketingOptIn?: boolean | null;
  locale?: string | null;
  phone?: string | null;
}

export const identityOf = (user: UserDoc): Identity => ({
  userId: user.id,
  role: user.role as Identity['role'],
  email: user.email,
});

/** Sign-up, log-in and refresh-token rotation. */
export interface AccountsDeps {
  config: Config;
  users: UserModel;
  refreshTokens: RefreshTokenModel;
  keys: SigningKeys;
  guard: LoginGuard;
  signUps: SignUpGuard;
  relay: OutboxRelay;
  /** bcrypt, limited per process (password-hashing.ts); one of its own by default. */
  passwords?: PasswordHashing;
}

/** Sign-up, log-in and refresh-token rotation. */
export function accounts({ config, users, refreshTokens, keys, guard, signUps, relay, passwords = passwordHashing() }: AccountsDeps) {
  async function startSession(user: UserDoc, family: string = randomUUID()): Promise<Session> {
    const refreshToken = randomBytes(32).toString('base64url');
    await refreshTokens.create({
      tokenHash: sha256(refreshToken),
      family,
      userId: user.id,
      expiresAt: new Date(Date.now() + REFRESH_TTL_MS),
    });
    const token = signAccessToken(identityOf(user), await keys.current(), config.accessTokenTtlSeconds);
    return { token, refreshToken, user };
  }

  async function createUser(input: SignUpInput, role: 'CUSTOMER' | 'ADMIN'): Promise<UserDoc> {
    const email = normaliseEmail(input.email);
    checkPassword(input.password);
    const name = checkName(input.name);
    const locale = checkLocale(input.locale);
    const phone = checkPhone(input.phone);
    // Before the hash (the expensive part): a taken email costs one lookup. The unique index
    // still decides between two sign-ups at once.
    if (await users.exists({ email })) throw new ShopError('EMAIL_TAKEN', 'This email is already registered');
    const doc = new users({
      email,
      name,
      role,
      passwordHash: await passwords.hash(input.password),
      marketingOptIn: input.marketingOptIn ?? false,
      locale,
      phone: phone ?? undefined,
    });
    // The event rides in the same write as the user (outbox), so it cannot be lost.
    const registered = createEvent('user.registered', {
      userId: doc.id,
      email,
      name,
      locale,
      phone,
      marketingOptIn: doc.marketingOptIn,
    });
    doc.outbox.push(registered);
    try {
      await doc.save();
      void relay.flush(doc._id, [registered]);
      return doc;
    } catch (err) {
      if (isDuplicateKey(err)) throw new ShopError('EMAIL_TAKEN', 'This email is already registered');
      throw err;
    }
  }

  return {
    async signUp(input: SignUpInput, clientAddress?: string): Promise<Session> {
      await signUps.attempt(clientAddress);
      return startSession(await createUser(input, 'CUSTOMER'));
    },

    /**
     * Deletes refresh tokens past their expiry, spent or not: they can no longer be used, and a
     * reuse of one is refused anyway. FerretDB 1.24 has no TTL indexes, so a sweep does it.
     */
    async purgeExpiredSessions(now = new Date()): Promise<number> {
      return (await refreshTokens.deleteMany({ expiresAt: op({ $lt: now }) })).deletedCount;
    },

    async logIn(rawEmail: string, password: string, clientAddress?: string): Promise<Session> {
      const email = rawEmail.trim().toLowerCase();
      await guard.attempt(email, clientAddress);
      const user = await users.findOne({ email });
      // Compare even when the user is unknown, so timing does not tell which emails exist.
      const ok = await passwords.compare(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) throw new ShopError('INVALID_CREDENTIALS', 'Wrong email or password');
      await guard.succeeded(email, clientAddress);
      return startSession(user);
    },

    /** Spends a refresh token once; presenting a spent one revokes its whole family. */
    async refresh(refreshToken: string): Promise<Session> {
      const tokenHash = sha256(refreshToken);
      const now = new Date();
      const spent = await refreshTokens.findOneAndUpdate(
        { tokenHash, spentAt: null, revokedAt: null, expiresAt: op({ $gt: now }) },
        { $set: { spentAt: now } },
      );
      if (!spent) {
        const known = await refreshTokens.findOne({ tokenHash });
        if (known) await refreshTokens.updateMany({ family: known.family, revokedAt: null }, { $set: { revokedAt: now } });
        throw new ShopError('UNAUTHENTICATED', 'Invalid refresh token');
      }
      const user = await users.findById(spent.userId);
      if (!user) throw new ShopError('UNAUTHENTICATED', 'Invalid refresh token');
      return startSession(user, spent.family);
    },

    async logOut(refreshToken: string): Promise<boolean> {
      const known = await refreshTokens.findOne({ tokenHash: sha256(refreshToken) });
      if (!known) return false;
      await refreshTokens.updateMany({ family: known.family, revokedAt: null }, { $set: { revokedAt: new Date() } });
      return true;
    },

    /**
     * The admin account from ADMIN_EMAIL / ADMIN_PASSWORD, created only if absent. Without
     * ADMIN_PASSWORD it gets a generated password (144 random bits), which is returned to be
     * shown once and stored nowhere but as its hash; null when nothing was generated.
     */
    async ensureAdmin(): Promise<string | null> {
      if (await users.exists({ email: normaliseEmail(config.adminEmail) })) return null;
      const generated = config.adminPassword ? null : randomBytes(18).toString('base64url');
      try {
        await createUser({ email: config.adminEmail, password: config.adminPassword ?? generated!, name: 'Admin' }, 'ADMIN');
        return generated;
      } catch (err) {
        // Another replica created it first: its password stands.
        if (!(err instanceof ShopError && err.extensions.code === 'EMAIL_TAKEN')) throw err;
        return null;
      }
    },
  };
}

export type Accounts = ReturnType<typeof accounts>;
