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
  /**
   * The key of each (names[i], args[i]) under its name's current version, and the value stored
   * there (null for a miss): one round trip for all.
   */
  lookup(names: string[], args: string[], follow?: Follow): Promise<Lookup>;
  /** Stores values in the background; a failure only costs a later miss. */
  set(entries: [key: string, value: string][]): void;
  /** After a write to what these names cache. */
  bump(names: string[]): Promise<void>;
  /**
   * After writes that return what they wrote with its revision (a count every write to it
   * increments, as a product's `rev`), in place of bump: each name's version becomes the highest
   * revision told, and each value is stored under its own revision, in one round trip, so the next
   * read is a hit, not a database read. The order in which writers tell does not matter: under
   * revision r there is r's value or a newer one (a reader that missed stores what it loaded under
   * the version it looked up, and its load is at least that new). Every write to such a name must
   * tell this way: an INCR of bump would point at revisions that were never written.
   */
  written(entries: { name: string; args: string; revision: number; value: unknown }[]): Promise<void>;
  /**
   * One JSON value under one name: from the cache, or `load` (stored for the next read). From
   * `load` alone while Redis is down.
   */
  read<T>(name: string, args: string, load: () => Promise<T>): Promise<T>;
  /**
   * Many JSON values, one per `args`, in one round trip; `load` gets the misses at once. Under
   * one name, or under a name each (`names[i]` versions `args[i]`). A null that `load` gives
   * (nothing found) is answered, not stored. `follow`: what the values found point to in
   * another service's published cache, read in the same round trip.
   */
  readMany<T>(names: string | string[], args: string[], load: (missing: string[]) => Promise<T[]>, follow?: Follow): Promise<T[]>;
  /** Reports a failed Redis call: logged once per outage, and the epoch is bumped when Redis is back. */
  failed(err: unknown): void;
  /**
   * Lets other services read this cache (versionedCacheReader): its prefix, which names this
   * service's database generation, is stored under `key` now and whenever Redis is back.
   */
  publish(key: string): void;
}

/**
 * What a read also fetches from a cache another service published (versionedCacheReader's), in
 * its round trip: the entries of the ids that each value found lists first. A value that lists
 * what to show next to it (a ranking) then costs one round trip with what it lists, not two.
 */
export interface Follow {
  /** Where that cache is published (publishedCacheKey). */
  key: string;
  /** The entry of an id there is named `${namePrefix}${id}`, and the id is its args. */
  namePrefix: string;
  /** How many distinct ids to read from the start of each value found (a JSON array of ids). */
  first: number;
  /** When each value is an object: the fields that hold its arrays of ids, read in this order. */
  fields?: string[];
  /** The ids read and their values there (null: not cached), before the read returns; not called when nothing is published. */
  found(ids: string[], values: (string | null)[]): void;
}

/** lookup()'s answer: each entry's key and value (null for a miss), and what a Follow read. */
export interface Lookup {
  keys: string[];
  hits: (string | null)[];
  followed?: { ids: string[]; values: (string | null)[] };
}

/**
 * Lua: the versions of versionKeys (under the epoch at epochKey) and the values stored under
 * them, whose keys are parts[2i-1] .. version .. parts[2i] (from parts[offset + 1] on): a read
 * costs one round trip, not two. The value keys are built in the script, which Redis allows
 * outside a cluster (docker-compose.yml runs one Redis, and docs/deploy.md asks for one, not a
 * Redis Cluster).
 */
const READ_OWN = `
local function readOwn(epochKey, versionKeys, parts, offset)
  local epoch = redis.call('GET', epochKey) or '0'
  local versions = redis.call('MGET', unpack(versionKeys))
  local keys = {}
  for i = 1, #versions do
    versions[i] = epoch .. '.' .. (versions[i] or '0')
    keys[i] = parts[offset + i * 2 - 1] .. versions[i] .. parts[offset + i * 2]
  end
  return versions, redis.call('MGET', unpack(keys))
end
`;
/** Lua: what versionedCacheReader reads, the values of names[i] with args[i] under another cache's published prefix. */
const READ_PUBLISHED = `
local function readPublished(prefix, names, args)
  local epoch = redis.call('GET', prefix .. 'cache-epoch') or '0'
  local versionKeys = {}
  for i = 1, #names do versionKeys[i] = prefix .. 'v:' .. names[i] end
  local versions = redis.call('MGET', unpack(versionKeys))
  local keys = {}
  for i = 1, #versions do
    keys[i] = prefix .. 'c:' .. names[i] .. '@' .. epoch .. '.' .. (versions[i] or '0') .. ':' .. args[i]
  end
  return redis.call('MGET', unpack(keys))
end
`;
/** lookup(): the values of KEYS[2..] under the epoch KEYS[1], with their versions. */
const LOOKUP = `${READ_OWN}
local versions, values = readOwn(KEYS[1], { unpack(KEYS, 2) }, ARGV, 0)
return { versions, values }
`;
/**
 * lookup() with a Follow: LOOKUP's work (its parts from ARGV[5] on), then, if a cache is
 * published under ARGV[1], the values there of the first ARGV[3] distinct ids of each value found,
 * named ARGV[2] .. id: { versions, values, ids, their values }. A value is a JSON array of ids,
 * or, when ARGV[4] names fields (comma-separated), an object whose arrays of ids they are, in
 * that order.
 */
const LOOKUP_FOLLOWING = `${READ_OWN}${READ_PUBLISHED}
local versions, values = readOwn(KEYS[1], { unpack(KEYS, 2) }, ARGV, 4)
local prefix = redis.call('GET', ARGV[1])
if not prefix then return { versions, values } end
local first, fields, ids, names, seen = tonumber(ARGV[3]), {}, {}, {}, {}
for field in string.gmatch(ARGV[4], '[^,]+') do fields[#fields + 1] = field end
for i = 1, #values do
  local ok, value = false, nil
  if values[i] then ok, value = pcall(cjson.decode, values[i]) end
  if ok and type(value) == 'table' then
    local lists = { value }
    if #fields > 0 then
      lists = {}
      for f, field in ipairs(fields) do lists[f] = type(value[field]) == 'table' and value[field] or {} end
    end
    local own, taken = {}, 0
    for _, list in ipairs(lists) do
      for _, id in ipairs(list) do
        if taken >= first then break end
        if type(id) == 'string' and not own[id] then
          own[id], taken = true, taken + 1
          if not seen[id] then
            local n = #ids + 1
            seen[id], ids[n], names[n] = true, id, ARGV[2] .. id
          end
        end
      end
    end
  end
end
if #ids == 0 then return { versions, values, ids, {} } end
return { versions, values, ids, readPublished(prefix, names, ids) }
`;
/**
 * For written(): under the epoch KEYS[1], each version KEYS[i] (i >= 2) rises to its revision
 * if that is higher, and the value is stored under the revision. ARGV[1] is the TTL, then four
 * per entry: revision, key before the version, key after it, value.
 */
const WRITTEN = `
local epoch = redis.call('GET', KEYS[1]) or '0'
for i = 2, #KEYS do
  local at = (i - 2) * 4 + 2
  local revision = ARGV[at]
  if tonumber(revision) > tonumber(redis.call('GET', KEYS[i]) or '-1') then redis.call('SET', KEYS[i], revision) end
  redis.call('SET', ARGV[at + 1] .. epoch .. '.' .. revision .. ARGV[at + 2], ARGV[at + 3], 'EX', ARGV[1])
end
`;

/** versionedCacheReader's lookup: the names and args in ARGV (two per entry) under the prefix published at KEYS[1]; false when none is. */
const PUBLISHED_LOOKUP = `${READ_PUBLISHED}
local prefix = redis.call('GET', KEYS[1])
if not prefix then return false end
local names, args = {}, {}
for i = 1, #ARGV / 2 do names[i], args[i] = ARGV[i * 2 - 1], ARGV[i * 2] end
return readPublished(prefix, names, args)
`;

/** Entries per script call: Lua's unpack() is bounded by its stack (about 8,000 values). */
const LOOKUP_CHUNK = 1000;

type LookupRedis = Redis & {
  publishedLookup(key: string, ...args: string[]): Promise<(string | null)[] | null>;
  versionedLookup(keyCount: number, ...keysAndArgs: string[]): Promise<[string[], (string | null)[]]>;
  versionedLookupFollowing(keyCount: number, ...keysAndArgs: string[]): Promise<[string[], (string | null)[], string[]?, (string | null)[]?]>;
  versionedWritten(keyCount: number, ...keysAndArgs: string[]): Promise<null>;
};

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

  if (!('versionedLookup' in redis)) redis.defineCommand('versionedLookup', { lua: LOOKUP });
  if (!('versionedLookupFollowing' in redis)) redis.defineCommand('versionedLookupFollowing', { lua: LOOKUP_FOLLOWING });
  if (!('versionedWritten' in redis)) redis.defineCommand('versionedWritten', { lua: WRITTEN });
  const valueKey = (name: string, version: string, args: string) => `${prefix}c:${name}@${version}:${args}`;

  async function lookupChunk(names: string[], args: string[], follow?: Follow): Promise<Lookup> {
    const keys = [epochKey, ...names.map(versionKey)];
    const argv = names.flatMap((name, i) => [`${prefix}c:${name}@`, `:${args[i]}`]);
    const [versions, hits, ids, values] = follow
      ? await (redis as LookupRedis).versionedLookupFollowing(keys.length, ...keys, follow.key, follow.namePrefix, String(follow.first), (follow.fields ?? []).join(','), ...argv)
      : await (redis as LookupRedis).versionedLookup(keys.length, ...keys, ...argv);
    return {
      keys: versions.map((version, i) => valueKey(names[i], version, args[i])),
      hits: countHits(hits),
      ...(ids && values && { followed: { ids, values } }),
    };
  }

  const cache: VersionedCache = {
    async lookup(names, args, follow) {
      if (!names.length) return { keys: [], hits: [] };
      const chunks = [];
      for (let from = 0; from < names.length; from += LOOKUP_CHUNK)
        chunks.push(lookupChunk(names.slice(from, from + LOOKUP_CHUNK), args.slice(from, from + LOOKUP_CHUNK), follow));
      const found = await Promise.all(chunks);
      const followed = found.flatMap((f) => (f.followed ? [f.followed] : []));
      return {
        keys: found.flatMap((f) => f.keys),
        hits: found.flatMap((f) => f.hits),
        ...(followed.length > 0 && { followed: { ids: followed.flatMap((f) => f.ids), values: followed.flatMap((f) => f.values) } }),
      };
    },
    // Plain commands, not a MULTI (which goes alone): the client's auto-pipelining sends those
    // of concurrent requests in one socket write. Nothing needs them applied together: a reader
    // checks each name's version on its own, and a bump half done is one not done yet.
    set(entries) {
      for (const [key, value] of entries) redis.set(key, value, 'EX', ttlSeconds).catch(note);
    },
    async bump(names) {
      await Promise.all(names.map((name) => redis.incr(versionKey(name)))).catch(note);
    },
    async written(entries) {
      for (const { name, revision } of entries)
        if (!Number.isSafeInteger(revision) || revision < 0) throw new Error(`${name}: revision ${revision} is not a count`);
      for (let from = 0; from < entries.length; from += LOOKUP_CHUNK) {
        const chunk = entries.slice(from, from + LOOKUP_CHUNK);
        const keys = [epochKey, ...chunk.map((e) => versionKey(e.name))];
        const argv = chunk.flatMap((e) => [String(e.revision), `${prefix}c:${e.name}@`, `:${e.args}`, JSON.stringify(e.value)]);
        await (redis as LookupRedis).versionedWritten(keys.length, ...keys, String(ttlSeconds), ...argv).catch(note);
      }
    },
    async read<T>(name: string, args: string, load: () => Promise<T>): Promise<T> {
      const [value] = await cache.readMany<T>(name, [args], async () => [await load()]);
      return value;
    },
    async readMany<T>(names: string | string[], args: string[], load: (missing: string[]) => Promise<T[]>, follow?: Follow): Promise<T[]> {
      let found: Lookup;
      try {
        found = await cache.lookup(typeof names === 'string' ? args.map(() => names) : names, args, follow);
      } catch (err) {
        note(err);
        return load(args);
      }
      if (follow && found.followed) follow.found(found.followed.ids, found.followed.values);
      const { keys, hits } = found;
      const missing = args.flatMap((a, i) => (hits[i] ? [] : [i]));
      const loaded = missing.length ? await load(missing.map((i) => args[i])) : [];
      cache.set(missing.flatMap((i, j) => (loaded[j] == null ? [] : [[keys[i], JSON.stringify(loaded[j])] as [string, string]])));
      const byIndex = new Map(missing.map((i, j) => [i, loaded[j]]));
      return args.map((_, i) => (hits[i] ? (JSON.parse(hits[i]!) as T) : byIndex.get(i)!));
    },
    failed: note,
    publish(key) {
      const publish = () => void redis.set(key, prefix).catch(note);
      publish();
      redis.on('ready', publish);
    },
  };
  return cache;
}

/** Where the cache `name` of a shop publishes its prefix (VersionedCache.publish). */
export const publishedCacheKey = (redisPrefix: string, name: string) => `${redisPrefix}${name}:published`;

/**
 * Reads a cache another service owns and published under `key`: its epoch, versions and values
 * under its current prefix, in one round trip, so a value read is exactly as fresh as one its
 * owner reads (under a version there is that version's value or a newer one). Values are the
 * owner's JSON; null for a miss. Undefined when nothing is published (Redis was emptied and the
 * owner has not reconnected yet): ask the owner. Throws while Redis is unreachable.
 */
export function versionedCacheReader(redis: Redis, key: string) {
  if (!('publishedLookup' in redis)) redis.defineCommand('publishedLookup', { lua: PUBLISHED_LOOKUP, numberOfKeys: 1 });
  return {
    /** Where the cache read is published (a Follow's key). */
    key,
    async lookup(names: string[], args: string[]): Promise<(string | null)[] | undefined> {
      const values: (string | null)[] = [];
      for (let from = 0; from < names.length; from += LOOKUP_CHUNK) {
        const argv = names.slice(from, from + LOOKUP_CHUNK).flatMap((name, i) => [name, args[from + i]]);
        const found = await (redis as LookupRedis).publishedLookup(key, ...argv);
        if (!found) return undefined;
        values.push(...found);
      }
      return values;
    },
  };
}
