import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { ShopError } from '@shop/kernel';

export const LOGIN_LIMITS = {
  windowSeconds: 15 * 60,
  /** Failed log-ins for one email before each further attempt is slowed down. */
  slowAfter: 3,
  /** Failed log-ins for one email, and for one client address, before attempts are refused. */
  maxPerEmail: 10,
  maxPerAddress: 50,
};
export type LoginLimits = typeof LOGIN_LIMITS;

/** The delay before checking an attempt after `failures` failed ones: 0, then 250 ms doubling, at most 4 s. */
export const delayAfter = (failures: number, slowAfter = LOGIN_LIMITS.slowAfter) =>
  failures < slowAfter ? 0 : Math.min(4000, 250 * 2 ** (failures - slowAfter));

/**
 * Brute-force protection for log-in, counted in Redis so it holds across users replicas
 * (rate-limiter-flexible). If Redis is unreachable, each replica counts in memory instead.
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
  const byEmail = limiter('email', limits.maxPerEmail);
  const byAddress = limiter('address', limits.maxPerAddress);

  const refuse = (res: RateLimiterRes) =>
    new ShopError('TOO_MANY_REQUESTS', 'Too many failed log-ins, try again later', {
      retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000),
    });

  return {
    /**
     * Counts the attempt before the password is checked, with Redis's atomic increment, so
     * parallel attempts cannot slip past a limit together; refuses beyond a limit, and slows
     * down once failures pile up for this email. A success gives its count back.
     */
    async attempt(email: string, address: string | undefined): Promise<void> {
      const [forEmail, forAddress] = await Promise.all([byEmail.penalty(email, 1), address ? byAddress.penalty(address, 1) : null]);
      if (forEmail.consumedPoints > limits.maxPerEmail) throw refuse(forEmail);
      if (forAddress && forAddress.consumedPoints > limits.maxPerAddress) throw refuse(forAddress);
      const delay = delayAfter(forEmail.consumedPoints - 1, limits.slowAfter);
      if (delay) await new Promise((r) => setTimeout(r, delay));
    },
    async succeeded(email: string, address: string | undefined): Promise<void> {
      await Promise.all([byEmail.delete(email), address ? byAddress.reward(address, 1) : null]);
    },
  };
}

export type LoginGuard = ReturnType<typeof loginGuard>;
