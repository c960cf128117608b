import { randomUUID } from 'node:crypto';
import { createEvent, type Broker, type Logger } from '@shop/kernel';
import type { ProductCache } from './cache';
import type { ProductIndex } from './product-index';
import type { ProductDoc } from './product-model';

/**
 * After any write to products, before it returns, with the documents the write returned: the
 * cache stores them under their revisions (the next read of a price or stock is current and
 * costs no database read) and this process's listing takes them (the next search here sees the
 * write). Each copy carries the product's write count (rev), so one arriving late never
 * replaces a newer one.
 */
export type ProductsChanged = (written: ProductDoc[]) => Promise<void>;

/**
 * Also tells the other catalogue replicas (`product.changed`, to a queue of each replica's own),
 * which re-read those products into their listing. Telling is best effort, off the write's path:
 * a replica that misses a message catches up at its next full reload (`resync`). The products
 * changed while one message is on its way go together in the next (a group commit), so a burst
 * of orders costs a few messages, not one each (and each replica reads each product once).
 */
export function productChanges(cache: ProductCache, index: ProductIndex, broker: Broker, logger: Logger) {
  const source = randomUUID();
  const untold = new Set<string>();
  let telling = false;
  async function tell() {
    telling = true;
    while (untold.size) {
      const ids = [...untold].slice(0, 100);
      ids.forEach((id) => untold.delete(id));
      try {
        await broker.publish(createEvent('product.changed', { productIds: ids, source }));
      } catch (err) {
        logger.warn({ err }, 'product change not told to other replicas');
      }
    }
    telling = false;
  }
  const changed: ProductsChanged = async (written) => {
    if (!written.length) return;
    await cache.productsWritten(written);
    index.put(written);
    written.forEach((doc) => untold.add(String(doc._id)));
    if (!telling) void tell();
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
