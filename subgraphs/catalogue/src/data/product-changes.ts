import { randomUUID } from 'node:crypto';
import { createEvent, type Broker, type Logger } from '@shop/kernel';
import type { ProductCache } from './cache';
import type { ProductIndex } from './product-index';
import type { ProductDoc } from './product-model';

/**
 * After any write to products, before it returns: their cache versions are bumped (the next
 * read of a price or stock is current) and this process's listing takes the documents the write
 * returned, or re-reads the others (the next search here sees the write). Each copy carries the
 * product's write count (rev), so one arriving late never replaces a newer one.
 */
export type ProductsChanged = (ids: string[], written?: ProductDoc[]) => Promise<void>;

/**
 * Also tells the other catalogue replicas (`product.changed`, to a queue of each replica's own),
 * which re-read those products into their listing. Telling is best effort, off the write's path:
 * a replica that misses a message catches up at its next full reload (`resync`).
 */
export function productChanges(cache: ProductCache, index: ProductIndex, broker: Broker, logger: Logger) {
  const source = randomUUID();
  const changed: ProductsChanged = async (ids, written = []) => {
    if (!ids.length) return;
    await cache.productsChanged(ids);
    index.put(written);
    const given = new Set(written.map((doc) => String(doc._id)));
    await index.refresh(ids.filter((id) => !given.has(id)));
    for (let i = 0; i < ids.length; i += 100)
      broker.publish(createEvent('product.changed', { productIds: ids.slice(i, i + 100), source })).catch((err) => logger.warn({ err }, 'product change not told to other replicas'));
  };
  return {
    changed,
    /** Follows the other replicas' writes. */
    follow: () =>
      broker.follow('catalogue.listing', ['product.changed'], async ({ data }) => {
        if (data.source !== source) await index.refresh(data.productIds);
      }),
  };
}
