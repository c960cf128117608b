/** The versioned cache against real Redis servers: exact invalidation, and no stale value after an outage. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../src/logger';
import { publishedCacheKey, versionedCache, versionedCacheReader } from '../src/versioned-cache';
import { tcpProxy } from '../../../test/support/tcp-proxy';
import { eventually } from '../../../test/support/graphql';

const logger = createLogger('test', 'silent');

/** Runs a test on a Redis connection and a fresh key prefix, and deletes its keys after. */
async function onRedis(run: (redis: Redis, prefix: string) => Promise<void>) {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `t:vc_${randomBytes(4).toString('hex')}:`;
  try {
    await run(redis, prefix);
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
}

it('serves the cached value until a bump, then the value read after the write', () =>
  onRedis(async (redis, prefix) => {
    const cache = versionedCache(redis, prefix, logger);
    let stored = 'one';
    let loads = 0;
    const load = async () => (loads++, stored);
    expect(await cache.read('thing', 'a', load)).toBe('one');
    await eventually(async () => ((await cache.read('thing', 'a', load)) === 'one' && loads === 1 ? true : undefined));
    stored = 'two';
    expect(await cache.read('thing', 'a', load)).toBe('one'); // not bumped: the cache does not know
    await cache.bump(['thing']);
    expect(await cache.read('thing', 'a', load)).toBe('two');
    expect(await cache.read('thing', 'b', load)).toBe('two'); // other arguments, same version
    // Many at once, a name each: what one name's bump drops, and nothing else.
    const many = (value: string) => cache.readMany(['thing', 'other'], ['a', 'a'], async (missing) => missing.map(() => value));
    expect(await many('x')).toEqual(['two', 'x']);
    await eventually(async () => ((await cache.lookup(['other'], ['a'])).hits[0] ? true : undefined)); // stored
    await cache.bump(['other']);
    expect(await many('y')).toEqual(['two', 'y']);
  }));

it('never serves a value filled from data older than the last bump (fill after invalidate)', () =>
  onRedis(async (redis, prefix) => {
    const cache = versionedCache(redis, prefix, logger);
    let release: (() => void) | undefined;
    const slowOldRead = cache.read('price', '', () => new Promise<string>((r) => (release = () => r('old'))));
    await eventually(async () => (release ? true : undefined));
    await cache.bump(['price']); // the write happened while the slow reader held the old value
    release!();
    expect(await slowOldRead).toBe('old'); // that reader answers what it read...
    await new Promise((r) => setTimeout(r, 50)); // ...and stores it, under the old version
    expect(await cache.read('price', '', async () => 'new')).toBe('new');
  }));

describe('written: versions that are the revisions writes return', () => {
  const withCache = (run: (cache: ReturnType<typeof versionedCache>) => Promise<void>) => onRedis((redis, prefix) => run(versionedCache(redis, prefix, logger)));
  const noLoad = async (): Promise<never> => {
    throw new Error('read the source');
  };

  it('makes the written value the next read, without reading the source', () =>
    withCache(async (cache) => {
      expect(await cache.read('item', 'a', async () => ({ rev: 0, price: 1 }))).toEqual({ rev: 0, price: 1 });
      await cache.written([{ name: 'item', args: 'a', revision: 1, value: { rev: 1, price: 2 } }]);
      expect(await cache.read('item', 'a', noLoad)).toEqual({ rev: 1, price: 2 });
      await cache.written([{ name: 'item', args: 'a', revision: 2, value: { rev: 2, price: 3 } }]);
      expect(await cache.readMany('item', ['a'], noLoad)).toEqual([{ rev: 2, price: 3 }]);
    }));

  it('keeps the highest revision whatever order writers tell in', () =>
    withCache(async (cache) => {
      // Two replicas' writes: the newer one tells first.
      await cache.written([{ name: 'item', args: 'a', revision: 6, value: 'six' }]);
      await cache.written([{ name: 'item', args: 'a', revision: 5, value: 'five' }]);
      expect(await cache.read('item', 'a', noLoad)).toBe('six');
    }));

  it('never serves what a slow reader loaded before a write told', () =>
    withCache(async (cache) => {
      await cache.written([{ name: 'item', args: 'a', revision: 3, value: 'three' }]);
      let release: (() => void) | undefined;
      // A reader that missed (another argument of the same name) and loaded before the write.
      const slow = cache.read('item', 'b', () => new Promise<string>((r) => (release = () => r('three, for b'))));
      await eventually(async () => (release ? true : undefined));
      await cache.written([{ name: 'item', args: 'b', revision: 4, value: 'four, for b' }]);
      release!();
      expect(await slow).toBe('three, for b');
      await new Promise((r) => setTimeout(r, 50)); // stored, under revision 3
      expect(await cache.read('item', 'b', noLoad)).toBe('four, for b');
    }));

  it('refuses a revision that is not a count', () =>
    withCache(async (cache) => {
      await expect(cache.written([{ name: 'item', args: 'a', revision: Number.NaN, value: 'x' }])).rejects.toThrow('not a count');
    }));
});

it('reads from the source while Redis is unreachable, and never serves what it cached before once back', async () => {
  // Redis keeps its data; only this process loses it (a cut TCP proxy), so its bumps are lost.
  const proxy = await tcpProxy(Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379));
  const redis = new Redis(`redis://127.0.0.1:${proxy.port}`, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100 });
  redis.on('error', () => undefined);
  const prefix = `t:vc_${randomBytes(4).toString('hex')}:`;
  const cache = versionedCache(redis, prefix, logger);
  let stored = 'before';
  const read = () => cache.read('thing', '', async () => stored);
  try {
    await eventually(async () => (redis.status === 'ready' ? true : undefined));
    expect(await read()).toBe('before');
    await eventually(async () => ((await cache.lookup(['thing'], ['']).then((found) => found.hits[0])) ? true : undefined));
    await proxy.cut();
    stored = 'during';
    expect(await read()).toBe('during');
    await cache.bump(['thing']); // lost: Redis is out of reach
    await proxy.open();
    await eventually(async () => (redis.status === 'ready' ? true : undefined), 10_000);
    await eventually(async () => ((await read()) === 'during' ? true : undefined), 10_000);
    expect(await redis.get(`${prefix}cache-epoch`)).toBe('1');
  } finally {
    const keys = await redis.keys(`${prefix}*`).catch(() => []);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await proxy.cut();
  }
});

it("another service reads a published cache exactly as fresh as its owner: the owner's versions, revisions and epoch", async () => {
  const [owner, reader] = [new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'), new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')];
  const prefix = `t:vc_${randomBytes(4).toString('hex')}:`;
  const key = publishedCacheKey(prefix, 'products');
  const cache = versionedCache(owner, `${prefix}gen1:`, logger);
  const published = versionedCacheReader(reader, key);
  const read = (...ids: string[]) => published.lookup(ids.map((id) => `p:${id}`), ids);
  const tell = (id: string, revision: number, price: number) => cache.written([{ name: `p:${id}`, args: id, revision, value: { price } }]);
  try {
    expect(await read('1')).toBeUndefined(); // nothing published: ask the owner
    cache.publish(key);
    await eventually(async () => ((await read('1')) ? true : undefined));
    expect(await read('1', '2')).toEqual([null, null]);
    await tell('1', 3, 30);
    expect(await read('1', '2')).toEqual([JSON.stringify({ price: 30 }), null]);
    // What a reader of the owner filled is read too.
    expect(await cache.readMany('p:2', ['2'], async () => [{ price: 7 }])).toEqual([{ price: 7 }]);
    await eventually(async () => ((await read('2'))?.[0] ? true : undefined));
    // A newer revision replaces the value; one told late does not.
    await tell('1', 4, 40);
    await tell('1', 2, 20);
    expect(await read('1')).toEqual([JSON.stringify({ price: 40 })]);
    // A new epoch (the owner lost Redis and is back) drops every value for readers too.
    await owner.incr(`${prefix}gen1:cache-epoch`);
    expect(await read('1', '2')).toEqual([null, null]);
    // Redis emptied: nothing is published until the owner reconnects, then it is again.
    await reader.del(key);
    expect(await read('1')).toBeUndefined();
    owner.disconnect(true);
    await eventually(async () => ((await read('1')) ? true : undefined), 10_000);
  } finally {
    const keys = await reader.keys(`${prefix}*`);
    if (keys.length) await reader.del(...keys);
    owner.disconnect();
    reader.disconnect();
  }
});

it('reads what a cached list points to in a published cache in the same round trip (Follow): as fresh as the owner, only for values found', () =>
  onRedis(async (redis, prefix) => {
    const key = publishedCacheKey(prefix, 'products');
    const owner = versionedCache(redis, `${prefix}owner:`, logger);
    const lists = versionedCache(redis, `${prefix}lists:`, logger);
    const tell = (id: string, revision: number, price: number) => owner.written([{ name: `p:${id}`, args: id, revision, value: { price } }]);
    const followed: [string[], (string | null)[]][] = [];
    const follow = (first: number) => ({ key, namePrefix: 'p:', first, found: (ids: string[], values: (string | null)[]) => void followed.push([ids, values]) });
    const loads: string[][] = [];
    const read = (names: string[], first: number) =>
      lists.readMany<string[]>(names, names, async (missing) => (loads.push(missing), missing.map((name) => (name === 'l:1' ? ['1', '2', '1', '3', '4'] : ['4', '5']))), follow(first));
    // Nothing published: the lists are read, and nothing is followed.
    expect(await read(['l:1'], 3)).toEqual([['1', '2', '1', '3', '4']]);
    expect(followed).toEqual([]);
    owner.publish(key);
    await eventually(async () => ((await redis.get(key)) ? true : undefined));
    await tell('1', 1, 10);
    await tell('3', 1, 30);
    await tell('5', 1, 50);
    // A list found: the first 3 distinct ids it holds, each with the owner's value (null: not cached).
    await eventually(async () => ((await redis.get(`${prefix}lists:c:l:1@0.0:l:1`)) ? true : undefined));
    expect(await read(['l:1'], 3)).toEqual([['1', '2', '1', '3', '4']]);
    expect(followed).toEqual([[['1', '2', '3'], [JSON.stringify({ price: 10 }), null, JSON.stringify({ price: 30 })]]]);
    // Several lists: each one's first ids, once each; a list missed (l:2, loaded) is not followed.
    followed.length = 0;
    await tell('1', 2, 11);
    expect(await read(['l:1', 'l:2'], 2)).toEqual([['1', '2', '1', '3', '4'], ['4', '5']]);
    expect(followed).toEqual([[['1', '2'], [JSON.stringify({ price: 11 }), null]]]);
    expect(loads).toEqual([['l:1'], ['l:2']]);
  }));

it("follows the arrays of ids an object value holds in the fields named, in their order (Follow's fields)", () =>
  onRedis(async (redis, prefix) => {
    const key = publishedCacheKey(prefix, 'products');
    const owner = versionedCache(redis, `${prefix}owner:`, logger);
    const rankings = versionedCache(redis, `${prefix}rankings:`, logger);
    const followed: [string[], (string | null)[]][] = [];
    const follow = { key, namePrefix: 'p:', first: 4, fields: ['ranked', 'bestSellers'], found: (ids: string[], values: (string | null)[]) => void followed.push([ids, values]) };
    const read = () => rankings.readMany('ranking', ['c1'], async () => [{ ranked: ['1', '2'], bestSellers: ['2', '3', '4', '5'] }], follow);
    owner.publish(key);
    await eventually(async () => ((await redis.get(key)) ? true : undefined));
    await owner.written([{ name: 'p:3', args: '3', revision: 1, value: { price: 30 } }]);
    await read();
    expect(followed).toEqual([[[], []]]); // a miss: nothing to follow yet
    followed.length = 0;
    await eventually(async () => ((await redis.keys(`${prefix}rankings:c:*`)).length ? true : undefined));
    expect(await read()).toEqual([{ ranked: ['1', '2'], bestSellers: ['2', '3', '4', '5'] }]);
    expect(followed).toEqual([[['1', '2', '3', '4'], [null, null, JSON.stringify({ price: 30 }), null]]]);
  }));
