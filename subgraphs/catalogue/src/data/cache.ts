import type { Redis } from 'ioredis';
import type { Logger } from '@shop/kernel';
import type { ProductDoc } from './product-model';

/** The lists the storefront reads most; each is cached as ids, under its own version. */
export type CachedList = 'landing' | 'popular';

/**
 * Cache-aside for products, invalidating exactly what a write affects, with no stale reads:
 * - each product is cached under `product:<id>:v<n>`, where n is that product's version,
 *   bumped by every write to the product (price, stock, ...);
 * - each list is cached as ids under `list:<name>:v<n>:<args>`, its version bumped only by
 *   writes that change membership or order (a new product; a sale, for popularity).
 * A bump happens after the database write and before the write returns, and readers only read
 * keys of the current version, so a value filled from older data is never read again: the
 * classic cache-aside race (fill after invalidate) cannot serve a stale price.
 * When Redis fails, reads go to the database (logged once); when it is back, every version is
 * bumped once, since writes made meanwhile could not bump theirs.
 */
export function productCache(redis: Redis, prefix: string, logger: Logger, ttlSeconds = 300) {
  const k = {
    productVersion: (id: string) => `${prefix}catalogue:pv:${id}`,
    product: (id: string, v: string) => `${prefix}catalogue:product:${id}:v${v}`,
    listVersion: (list: CachedList) => `${prefix}catalogue:lv:${list}`,
    list: (list: CachedList, v: string, args: string) => `${prefix}catalogue:list:${list}:v${v}:${args}`,
    epoch: `${prefix}catalogue:epoch`,
  };
  let redisDown = false;
  const note = (err: unknown) => {
    if (!redisDown) logger.warn({ err }, 'redis unavailable: serving from the database');
    redisDown = true;
  };

  /** Versions are prefixed by an epoch, bumped after an outage: that invalidates every key at once. */
  async function epoch(): Promise<string> {
    if (redisDown) {
      await redis.incr(k.epoch);
      redisDown = false;
      logger.info('redis is back: cache reset');
    }
    return (await redis.get(k.epoch)) ?? '0';
  }

  async function productsById(ids: string[], load: (ids: string[]) => Promise<ProductDoc[]>): Promise<ProductDoc[]> {
    if (!ids.length) return [];
    const e = await epoch();
    const versions = (await redis.mget(ids.map(k.productVersion))).map((v) => `${e}.${v ?? 0}`);
    const keys = ids.map((id, i) => k.product(id, versions[i]));
    const hits = await redis.mget(keys);
    const missing = ids.filter((_, i) => !hits[i]);
    const loaded = new Map((missing.length ? await load(missing) : []).map((p) => [String(p._id), p]));
    if (loaded.size) {
      const fill = redis.multi();
      ids.forEach((id, i) => loaded.has(id) && fill.set(keys[i], JSON.stringify(loaded.get(id)), 'EX', ttlSeconds));
      fill.exec().catch(note);
    }
    return ids.flatMap((id, i) => {
      const p = hits[i] ? (JSON.parse(hits[i]!) as ProductDoc) : loaded.get(id);
      return p ? [p] : [];
    });
  }

  return {
    /**
     * Products by id from the product cache, the misses in one query (`load`); from the
     * database alone while Redis is down.
     */
    async products(ids: string[], load: (ids: string[]) => Promise<ProductDoc[]>): Promise<ProductDoc[]> {
      try {
        return await productsById(ids, load);
      } catch (err) {
        note(err);
        return load(ids);
      }
    },

    /**
     * A cached list: its ids from the list cache (or `loadIds`), each product from the product
     * cache (or `loadProducts`, in one query for all misses).
     */
    async list<T extends { ids: string[] }>(
      list: CachedList,
      args: string,
      loadIds: () => Promise<T>,
      loadProducts: (ids: string[]) => Promise<ProductDoc[]>,
    ): Promise<T & { products: ProductDoc[] }> {
      try {
        const e = await epoch();
        const key = k.list(list, `${e}.${(await redis.get(k.listVersion(list))) ?? 0}`, args);
        const hit = await redis.get(key);
        let value: T;
        if (hit) value = JSON.parse(hit) as T;
        else {
          value = await loadIds();
          redis.set(key, JSON.stringify(value), 'EX', ttlSeconds).catch(note);
        }
        return { ...value, products: await productsById(value.ids, loadProducts) };
      } catch (err) {
        note(err);
        const value = await loadIds();
        return { ...value, products: await loadProducts(value.ids) };
      }
    },

    /** After a write to these products (price, stock, ...). */
    async productsChanged(ids: string[]): Promise<void> {
      if (!ids.length) return;
      const bump = redis.multi();
      for (const id of ids) bump.incr(k.productVersion(id));
      await bump.exec().catch(note);
    },

    /** After a write that changes which products a list holds, or their order. */
    async listChanged(list: CachedList): Promise<void> {
      await redis.incr(k.listVersion(list)).catch(note);
    },
  };
}

export type ProductCache = ReturnType<typeof productCache>;
