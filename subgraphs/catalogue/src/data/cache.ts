import type { Redis } from 'ioredis';
import type { Logger } from '@shop/kernel';

/**
 * Cache-aside with version-stamped keys. Every product write bumps the version before it
 * returns, so a read after a write never finds an entry filled from older data: entries of old
 * versions are simply never read again and expire on their own.
 * When Redis fails, reads go to the database and writes are logged; nothing waits on it.
 */
export function productCache(redis: Redis, prefix: string, logger: Logger, ttlSeconds = 300) {
  const versionKey = `${prefix}catalogue:version`;
  let redisDown = false;
  const note = (err: unknown) => {
    if (!redisDown) logger.warn({ err }, 'redis unavailable: serving from the database');
    redisDown = true;
  };

  return {
    async getOrLoad<T>(name: string, load: () => Promise<T>): Promise<T> {
      let key: string | undefined;
      try {
        // Writes made while Redis was unreachable could not bump the version: bump it now.
        if (redisDown) await redis.incr(versionKey);
        const version = (await redis.get(versionKey)) ?? '0';
        key = `${prefix}catalogue:v${version}:${name}`;
        const hit = await redis.get(key);
        redisDown = false;
        if (hit) return JSON.parse(hit) as T;
      } catch (err) {
        note(err);
        return load();
      }
      const value = await load();
      redis.set(key, JSON.stringify(value), 'EX', ttlSeconds).catch(note);
      return value;
    },
    /** Call after every write that changes what a cached read returns. */
    async invalidate(): Promise<void> {
      await redis.incr(versionKey).catch(note);
    },
  };
}

export type ProductCache = ReturnType<typeof productCache>;
