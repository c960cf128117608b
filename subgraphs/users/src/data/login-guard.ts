import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { ShopError } from '@shop/kernel';

export const LOGIN_LIMITS = {
  windowSeconds: 15 * 60,
  /** Failed log-ins for one email from one address before each further attempt is slowed down. */
  slowAfter: 3,
  /** Failed log-ins for one email from one address, before that pair is refused. */
  maxPerPair: 10,
  /** Failed log-ins from one address, whatever the emails, before the address is refused. */
  maxPerAddress: 50,
  /** Failed log-ins for one email from all addresses, before addresses that never signed in to it are refused. */
  maxPerEmail: 100,
  /** How long a successful log-in vouches for its address (for that email). */
  knownForSeconds: 30 * 24 * 3600,
};
export type LoginLimits = typeof LOGIN_LIMITS;

/** The delay before checking an attempt after `failures` failed ones: 0, then 250 ms doubling, at most 4 s. */
export const delayAfter = (failures: number, slowAfter = LOGIN_LIMITS.slowAfter) =>
  failures < slowAfter ? 0 : Math.min(4000, 250 * 2 ** (failures - slowAfter));

const hashed = (s: string) => createHash('sha256').update(s).digest('base64url');

/**
 * Brute-force protection for log-in that slows and stops the attacker, not the owner: failures
 * count per email *and address* pair, so wrong passwords sent from one place do not lock the
 * owner out from another. An address is refused after its failures over all emails. An email
 * under attack from many addresses (more than maxPerEmail failures) is refused only to addresses
 * that have not signed in to it recently: a success is the proof, remembered per pair.
 * Counted in Redis so it holds across users replicas (rate-limiter-flexible); if Redis is
 * unreachable, each replica counts in memory instead.
 */
export function loginGuard(redis: Redis, prefix: string, limits: LoginLimits = LOGIN_LIMITS) {
  const limiter = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}login-failures:${name}`,
      points,
      duration: limits.windowSeconds,
      insuranceLimiter: new RateLimiterMemory({ points, duration: limits.windowSeconds }),
    });
  const byPair = limiter('pair', limits.maxPerPair);
  const byAddress = limiter('address', limits.maxPerAddress);
  const byEmail = limiter('email', limits.maxPerEmail);
  // Hashed: the key names neither the email nor the address in clear.
  const knownKey = (email: string, address: string) => `${prefix}login-known:${hashed(`${email}\n${address}`)}`;
  const isKnown = (email: string, address: string) => redis.exists(knownKey(email, address)).then((n) => n > 0, () => false);

  const refuse = (res: RateLimiterRes) =>
    new ShopError('TOO_MANY_REQUESTS', 'Too many failed log-ins, try again later', {
      retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    });

  return {
    /**
     * Counts the attempt before the password is checked, with Redis's atomic increment, so
     * parallel attempts cannot slip past a limit together; refuses beyond a limit, and slows
     * down once failures pile up for this email from this address. A success gives its counts back.
     */
    async attempt(email: string, address = 'unknown'): Promise<void> {
      const pair = `${email}\n${address}`;
      const [forPair, forAddress, forEmail] = await Promise.all([byPair.penalty(pair, 1), byAddress.penalty(address, 1), byEmail.penalty(email, 1)]);
      if (forPair.consumedPoints > limits.maxPerPair) throw refuse(forPair);
      if (forAddress.consumedPoints > limits.maxPerAddress) throw refuse(forAddress);
      if (forEmail.consumedPoints > limits.maxPerEmail && !(await isKnown(email, address))) throw refuse(forEmail);
      const delay = delayAfter(forPair.consumedPoints - 1, limits.slowAfter);
      if (delay) await new Promise((r) => setTimeout(r, delay));
    },
    async succeeded(email: string, address = 'unknown'): Promise<void> {
      await Promise.all([
        byPair.delete(`${email}\n${address}`),
        byAddress.reward(address, 1),
        byEmail.reward(email, 1),
        redis.set(knownKey(email, address), '1', 'EX', limits.knownForSeconds).catch(() => undefined),
      ]);
    },
  };
}

export type LoginGuard = ReturnType<typeof loginGuard>;

export const SIGN_UP_LIMITS = { perAddress: 30, windowSeconds: 3600 };

/**
 * Sign-ups per client address (each costs a bcrypt hash and an account): TOO_MANY_REQUESTS
 * beyond the limit, counted before anything else is done.
 */
export function signUpGuard(redis: Redis, prefix: string, limits = SIGN_UP_LIMITS) {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}sign-ups:address`,
    points: limits.perAddress,
    duration: limits.windowSeconds,
    insuranceLimiter: new RateLimiterMemory({ points: limits.perAddress, duration: limits.windowSeconds }),
  });
  return {
    async attempt(address = 'unknown'): Promise<void> {
      const res = await limiter.penalty(address, 1);
      if (res.consumedPoints > limits.perAddress)
        throw new ShopError('TOO_MANY_REQUESTS', 'Too many sign-ups from this address, try again later', {
          retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
        });
    },
  };
}

export type SignUpGuard = ReturnType<typeof signUpGuard>;
