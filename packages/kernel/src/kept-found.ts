import { LRUCache } from 'lru-cache';

export interface KeptFoundOptions {
  max?: number;
  /**
   * For what changes rarely (a recipient's preferences): how long another replica, which did
   * not see the change and cannot `forget`, may serve the old value. Unset: kept until evicted.
   */
  ttlMs?: number;
}

/**
 * A read of something that never changes once it exists (an account's identity), or rarely
 * (with `ttlMs`), kept in memory after it was first found: exact on every replica without any
 * invalidation when it never changes. What was not found is not kept, as it may exist by the
 * next call. Values are shared: read only.
 */
export function keptFound<T extends object>(load: (key: string) => Promise<T | null>, { max = 10_000, ttlMs }: KeptFoundOptions = {}) {
  const known = new LRUCache<string, T>({ max, ttl: ttlMs });
  const read = async (key: string): Promise<T | null> => {
    const held = known.get(key);
    if (held) return held;
    const found = await load(key);
    if (found) known.set(key, found);
    return found;
  };
  /** This replica changed it: the next read loads it again. */
  read.forget = (key: string) => void known.delete(key);
  return read;
}
