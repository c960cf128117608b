import { LRUCache } from 'lru-cache';

/**
 * A read of something that never changes once it exists (an account, a recipient), kept in
 * memory after it was first found: exact on every replica without any invalidation. What was
 * not found is not kept, as it may exist by the next call. Values are shared: read only.
 */
export function keptFound<T extends object>(load: (key: string) => Promise<T | null>, max = 10_000) {
  const known = new LRUCache<string, T>({ max });
  return async (key: string): Promise<T | null> => {
    const held = known.get(key);
    if (held) return held;
    const found = await load(key);
    if (found) known.set(key, found);
    return found;
  };
}
