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

  return {
    /** Products by id (unknown ones left out) from the cache, the misses in one query (`load`). */
    async products(ids: string[], load: (ids: string[]) => Promise<ProductDoc[]>): Promise<ProductDoc[]> {
      const docs = await cache.readMany<ProductDoc | null>(ids.map(productName), ids, async (missing) => {
        const byId = new Map((await load(missing)).map((p) => [String(p._id), p]));
        return missing.map((id) => byId.get(id) ?? null);
      });
      return docs.filter((p): p is ProductDoc => !!p);
    },

    /** After a write to these products (price, stock, ...). */
    productsChanged: (ids: string[]) => cache.bump(ids.map(productName)),
  };
}

export type ProductCache = ReturnType<typeof productCache>;
