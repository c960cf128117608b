import type { Redis } from 'ioredis';
import type { Logger } from './logger';
import { cacheCounters } from './telemetry/metrics';

/**
 * A Redis cache that is never stale, invalidated exactly. Each cached thing has a version
 * counter (`<name>`); a value is stored under the version current when it was read
 * (`<name>@<epoch>.<version>:<args>`). A write to the data bumps the version after the database
 * write and before it returns, and readers read only keys of the current version, so a value
 * filled from older data is never read again: the cache-aside race (fill after invalidate)
 * cannot serve a stale value.
 *
 * While Redis fails, reads go to the database (logged once) and bumps are lost; so when Redis is
 * back, the first process to see it bumps a global epoch that prefixes every version, which
 * drops every value at once.
 */
export interface VersionedCache {
  /** The current version of each name (one round trip for all). */
  versions(names: string[]): Promise<string[]>;
  /** Values of keys made with key(); null for each miss. */
  get(keys: string[]): Promise<(string | null)[]>;
  /** Stores values in the background; a failure only costs a later miss. */
  set(entries: [key: string, value: string][]): void;
  key(name: string, version: string, args?: string): string;
  /** After a write to what these names cache. */
  bump(names: string[]): Promise<void>;
  /**
   * One JSON value under one name: from the cache, or `load` (stored for the next read). From
   * `load` alone while Redis is down.
   */
  read<T>(name: string, args: string, load: () => Promise<T>): Promise<T>;
  /**
   * Many JSON values, one per `args`, in one round trip; `load` gets the misses at once. Under
   * one name, or under a name each (`names[i]` versions `args[i]`).
   */
  readMany<T>(names: string | string[], args: string[], load: (missing: string[]) => Promise<T[]>): Promise<T[]>;
  /** Reports a failed Redis call: logged once per outage, and the epoch is bumped when Redis is back. */
  failed(err: unknown): void;
}

export interface VersionedCacheOptions {
  /** Its label in shop_cache_requests_total (the service's cache: catalogue, orders, ...). */
  name?: string;
  ttlSeconds?: number;
}

export function versionedCache(redis: Redis, prefix: string, logger: Logger, { name: label = 'cache', ttlSeconds = 300 }: VersionedCacheOptions = {}): VersionedCache {
  const epochKey = `${prefix}cache-epoch`;
  const versionKey = (name: string) => `${prefix}v:${name}`;
  let failing = false;
  const counted = cacheCounters(label);
  const countHits = (values: (string | null)[]) => {
    let hits = 0;
    for (const v of values) if (v) hits++;
    counted.hit.inc(hits);
    counted.miss.inc(values.length - hits);
    return values;
  };
  const note = (err: unknown) => {
    if (!failing) logger.warn({ err }, 'redis unavailable: reading from the database');
    failing = true;
  };
  // Bumps made while Redis was away are lost: a new epoch drops everything filled before.
  redis.on('ready', () => {
    if (!failing) return;
    redis.incr(epochKey).then(
      () => {
        failing = false;
        logger.info('redis is back: cache reset');
      },
      (err) => logger.warn({ err }, 'cache epoch not bumped; will retry on the next reconnection'),
    );
  });

  const cache: VersionedCache = {
    async versions(names) {
      const values = await redis.mget(epochKey, ...names.map(versionKey));
      const epoch = values[0] ?? '0';
      return values.slice(1).map((v) => `${epoch}.${v ?? 0}`);
    },
    get: (keys) => (keys.length ? redis.mget(keys).then(countHits) : Promise.resolve([])),
    set(entries) {
      if (!entries.length) return;
      const fill = redis.multi();
      for (const [key, value] of entries) fill.set(key, value, 'EX', ttlSeconds);
      fill.exec().catch(note);
    },
    key: (name, version, args = '') => `${prefix}c:${name}@${version}:${args}`,
    async bump(names) {
      if (!names.length) return;
      const bump = redis.multi();
      for (const name of names) bump.incr(versionKey(name));
      await bump.exec().catch(note);
    },
    async read<T>(name: string, args: string, load: () => Promise<T>): Promise<T> {
      let key: string;
      try {
        const [version] = await cache.versions([name]);
        key = cache.key(name, version, args);
        const [hit] = await cache.get([key]);
        if (hit) return JSON.parse(hit) as T;
      } catch (err) {
        note(err);
        return load();
      }
      const value = await load();
      cache.set([[key, JSON.stringify(value)]]);
      return value;
    },
    async readMany<T>(names: string | string[], args: string[], load: (missing: string[]) => Promise<T[]>): Promise<T[]> {
      let keys: string[];
      let hits: (string | null)[];
      try {
        const each = typeof names === 'string' ? null : names;
        const versions = await cache.versions(each ?? [names as string]);
        keys = args.map((a, i) => (each ? cache.key(each[i], versions[i], a) : cache.key(names as string, versions[0], a)));
        hits = await cache.get(keys);
      } catch (err) {
        note(err);
        return load(args);
      }
      const missing = args.flatMap((a, i) => (hits[i] ? [] : [i]));
      const loaded = missing.length ? await load(missing.map((i) => args[i])) : [];
      cache.set(missing.map((i, j) => [keys[i], JSON.stringify(loaded[j])]));
      const byIndex = new Map(missing.map((i, j) => [i, loaded[j]]));
      return args.map((_, i) => (hits[i] ? (JSON.parse(hits[i]!) as T) : byIndex.get(i)!));
    },
    failed: note,
  };
  return cache;
}
