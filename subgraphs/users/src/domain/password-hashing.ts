import bcrypt from 'bcryptjs';
import { E_TIMEOUT, Semaphore, withTimeout } from 'async-mutex';
import { ShopError } from '@shop/kernel';

export const BCRYPT_COST = 10;

export const HASHING_LIMITS = {
  /** bcrypt runs at most this many at once in a users process (each costs ~50-100 ms of CPU). */
  concurrent: 2,
  /** A hash or compare waits at most this long for its turn, then is refused. */
  waitMs: 5000,
};

export interface BcryptWork {
  hash(password: string, cost: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
}

/**
 * bcrypt behind one semaphore per process: a flood of logIn/signUp queues here instead of taking
 * every core, so the rest of the users subgraph (token refresh, JWKS, user lookups) keeps its
 * CPU. A caller that waits past `waitMs` gets TOO_MANY_REQUESTS with `retryAfterSeconds`.
 * bcryptjs hashes on the main thread in slices, so more at once only interleaves them.
 */
export function passwordHashing(limits = HASHING_LIMITS, work: BcryptWork = bcrypt) {
  const busy = new ShopError('TOO_MANY_REQUESTS', 'The service is busy, try again in a moment', {
    retryAfterSeconds: Math.max(1, Math.ceil(limits.waitMs / 1000)),
  });
  const semaphore = withTimeout(new Semaphore(limits.concurrent), limits.waitMs);
  const limited = async <T>(task: () => Promise<T>): Promise<T> => {
    try {
      return await semaphore.runExclusive(task);
    } catch (err) {
      throw err === E_TIMEOUT ? busy : err;
    }
  };
  return {
    hash: (password: string) => limited(() => work.hash(password, BCRYPT_COST)),
    compare: (password: string, hash: string) => limited(() => work.compare(password, hash)),
  };
}

export type PasswordHashing = ReturnType<typeof passwordHashing>;
