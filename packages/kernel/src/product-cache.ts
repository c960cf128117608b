/**
 * The catalogue's product cache, which other services read too (VersionedCache.publish): the
 * recommendations check the stock, names and prices of what they list there, without a call to
 * the catalogue. The names both sides use, and what a cached product holds for its readers.
 */
export const PRODUCT_CACHE = 'catalogue';

/** A product's version name; its version is the product's revision, which every write to it increments. */
export const productVersionName = (id: string) => `${PRODUCT_VERSION_PREFIX}${id}`;
/** What productVersionName puts before the id (a Follow's namePrefix). */
export const PRODUCT_VERSION_PREFIX = 'product-rev:';

/** What other services read of a cached product: the catalogue's stored document has these fields. */
export interface CachedProduct {
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
}
