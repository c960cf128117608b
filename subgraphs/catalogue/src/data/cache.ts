import type { Redis } from 'ioredis';
import { versionedCache, type Logger } from '@shop/kernel';
import type { ProductDoc } from './product-model';

/**
 * Products in the kernel's versioned cache (never stale, invalidated exactly): each product
 * under its own version `product:<id>`, bumped by every write to the product (price, stock,
 * ...). When Redis fails, reads go to the database. `prefix`: the cache's own (Infrastructure.cachePrefix).
 */
export function productCache(redis: Redis, prefix: string, logger: Logger, ttlSeconds = 300) {
  const cache = versionedCache(redis, prefix, logger, { name: 'catalogue', ttlSeconds });
  const productName = (id: string) => `product:${id}`;

  /**
   * Products by id from the product cache, the misses in one query (`load`); from the
   * database alone while Redis is down.
   */
  async function products(ids: string[], load: (ids: string[]) => Promise<ProductDoc[]>): Promise<ProductDoc[]> {
    if (!ids.length) return [];
    let keys: string[];
    let hits: (string | null)[];
    try {
      const versions = await cache.versions(ids.map(productName));
      keys = ids.map((id, i) => cache.key(productName(id), versions[i]));
      hits = await cache.get(keys);
    } catch (err) {
      cache.failed(err);
      return load(ids);
    }
    const missing = ids.filter((_, i) => !hits[i]);
    const loaded = new Map((missing.length ? await load(missing) : []).map((p) => [String(p._id), p]));
    cache.set(ids.flatMap((id, i) => (loaded.has(id) ? [[keys[i], JSON.stringify(loaded.get(id))] as [string, string]] : [])));
    return ids.flatMap((id, i) => {
      const p = hits[i] ? (JSON.parse(hits[i]!) as ProductDoc) : loaded.get(id);
      return p ? [p] : [];
    });
  }

  return {
    products,

    /** After a write to these products (price, stock, ...). */
    productsChanged: (ids: string[]) => cache.bump(ids.map(productName)),
  };
}

export type ProductCache = ReturnType<typeof productCache>;
