import { randomUUID } from 'node:crypto';
import { createEvent, type Broker, type Logger } from '@shop/kernel';
import type { ProductCache } from './cache';
import type { ProductIndex } from './product-index';

/**
 * After any write to products, before it returns: their cache versions are bumped (the next
 * read of a price or stock is current) and this process's listing re-reads them (the next search
 * here sees the write). Re-read rather than taken from the write's answer: the reads of one
 * connection run in order, so concurrent writes to one product cannot leave an older copy last.
 */
export type ProductsChanged = (ids: string[]) => Promise<void>;

/**
 * Also tells the other catalogue replicas (`product.changed`, to a queue of each replica's own),
 * which re-read those products into their listing. Telling is best effort, off the write's path:
 * a replica that misses a message catches up at its next full reload (`resync`).
 */
export function productChanges(cache: ProductCache, index: ProductIndex, broker: Broker, logger: Logger) {
  const source = randomUUID();
  const changed: ProductsChanged = async (ids) => {
    if (!ids.length) return;
    await cache.productsChanged(ids);
    await index.refresh(ids);
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
