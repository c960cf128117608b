import { LRUCache } from 'lru-cache';
import { cacheCounters } from './telemetry/metrics';

/**
 * A read of something that never changes once it exists (an account, a recipient), kept in
 * memory after it was first found: exact on every replica without any invalidation. What was
 * not found is not kept, as it may exist by the next call. Values are shared: read only.
 * `name` labels its hits and misses in shop_cache_requests_total.
 */
export function keptFound<T extends object>(name: string, load: (key: string) => Promise<T | null>, max = 10_000) {
  const known = new LRUCache<string, T>({ max });
  const counted = cacheCounters(name);
  return async (key: string): Promise<T | null> => {
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
}
