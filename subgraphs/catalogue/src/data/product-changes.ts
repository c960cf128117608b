import type { ProductCache } from './cache';
import type { ProductIndex } from './product-index';

/**
 * After any write to products, before it returns: their cache versions are bumped (the next
 * read of a price or stock is current) and this process's listing re-reads them (the next
 * search sees the write). Re-read rather than taken from the write's answer: the reads of one
 * connection run in order, so concurrent writes to one product cannot leave an older copy last.
 */
export type ProductsChanged = (ids: string[]) => Promise<void>;

export function productChanges(cache: ProductCache, index: ProductIndex): ProductsChanged {
  return async (ids) => {
    if (!ids.length) return;
    await cache.productsChanged(ids);
    await index.refresh(ids);
  };
}
