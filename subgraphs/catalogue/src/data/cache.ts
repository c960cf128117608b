import type { Redis } from 'ioredis';
import { productVersionName, versionedCache, type CachedProduct, type Logger } from '@shop/kernel';
import type { ProductDoc } from './product-model';

/**
 * Products in the kernel's versioned cache (never stale, invalidated exactly): each product
 * under its own version `product-rev:<id>`, its write count (`rev`), which every write to the
 * product (price, stock, ...) increments and returns; the writer stores what it wrote, so a
 * purchase costs the next reader of the product no database read. When Redis fails, reads go
 * to the database. `prefix`: the cache's own (Infrastructure.cachePrefix of PRODUCT_CACHE).
 */
export function productCache(redis: Redis, prefix: string, logger: Logger, ttlSeconds = 300) {
  const cache = versionedCache(redis, prefix, logger, { name: 'catalogue', ttlSeconds });
  // Not `product:`, whose versions (before 2026-12-02) counted bumps, not revisions.
  const productName = productVersionName;

  return {
    /** Products by id (unknown ones left out) from the cache, the misses in one query (`load`). */
    async products(ids: string[], load: (ids: string[]) => Promise<ProductDoc[]>): Promise<ProductDoc[]> {
      const docs = await cache.readMany<ProductDoc | null>(ids.map(productName), ids, async (missing) => {
        const byId = new Map((await load(missing)).map((p) => [String(p._id), p]));
        return missing.map((id) => byId.get(id) ?? null);
      });
      return docs.filter((p): p is ProductDoc => !!p);
    },

    /** After writes to these products (price, stock, ...), with the documents they returned. */
    productsWritten: (docs: ProductDoc[]) =>
      cache.written(docs.map((doc) => ({ name: productName(String(doc._id)), args: String(doc._id), revision: doc.rev ?? 0, value: doc satisfies CachedProduct }))),

    /** Lets other services read the products cached here (the recommendations: kernel's product-cache.ts). */
    publish: cache.publish,
  };
}

export type ProductCache = ReturnType<typeof productCache>;
