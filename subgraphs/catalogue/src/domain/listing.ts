import { afterCursor, sortOf, type KeysetOrder } from '@shop/kernel';
import type { ProductFilter, ProductSort } from '../__generated__/resolvers-types';

/** Each sort orders by one field, then by _id in the same direction (kernel pagination). */
export const SORTS: Record<ProductSort, KeysetOrder> = {
  NEWEST: { name: 'NEWEST', field: 'createdAt', direction: -1 },
  PRICE_ASC: { name: 'PRICE_ASC', field: 'priceCents', direction: 1 },
  PRICE_DESC: { name: 'PRICE_DESC', field: 'priceCents', direction: -1 },
  NAME: { name: 'NAME', field: 'name', direction: 1 },
  POPULAR: { name: 'POPULAR', field: 'unitsSold', direction: -1 },
};

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function filterQuery(filter: ProductFilter | null | undefined): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (!filter) return query;
  if (filter.category) query.category = filter.category;
  if (filter.inStock === true) query.stock = { $gt: 0 };
  if (filter.inStock === false) query.stock = 0;
  if (filter.minPriceCents != null || filter.maxPriceCents != null) {
    query.priceCents = {
      ...(filter.minPriceCents != null && { $gte: filter.minPriceCents }),
      ...(filter.maxPriceCents != null && { $lte: filter.maxPriceCents }),
    };
  }
  const search = filter.search?.trim();
  if (search) {
    // No text indexes on our database: every word must appear in the name or description.
    query.$and = search.split(/\s+/).slice(0, 8).map((word) => {
      const re = { $regex: escapeRegex(word), $options: 'i' };
      return { $or: [{ name: re }, { description: re }] };
    });
  }
  return query;
}

/** The page query: filter plus "after the cursor" in the sort order, and the sort itself. */
export function pageQuery(filter: ProductFilter | null | undefined, sort: ProductSort, after?: string | null) {
  const order = SORTS[sort];
  const base = filterQuery(filter);
  const beyond = after ? afterCursor(order, after) : null;
  const query = !beyond ? base : Object.keys(base).length ? { $and: [base, beyond] } : beyond;
  return { query, countQuery: base, sort: sortOf(order) };
}
