import { LRUCache } from 'lru-cache';
import { cacheCounters } from './telemetry/metrics';

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
 * next call. Values are shared: read only. `name` labels its hits and misses in
 * shop_cache_requests_total.
 */
export function keptFound<T extends object>(name: string, load: (key: string) => Promise<T | null>, { max = 10_000, ttlMs }: KeptFoundOptions = {}) {
  const known = new LRUCache<string, T>({ max, ttl: ttlMs });
  const counted = cacheCounters(name);
  const read = async (key: string): Promise<T | null> => {
    const held = known.get(key);
    if (held) {
      counted.hit.inc();
      return held;
    }
    counted.miss.inc();
    const found = await load(key);
    if (found) known.set(key, found);
    return found;
  };
  /** This replica changed it: the next read loads it again. */
  read.forget = (key: string) => void known.delete(key);
  return read;
}
