import { Types } from 'mongoose';
import { badInput } from '@shop/kernel';
import type { ProductFilter, ProductSort } from '../__generated__/resolvers-types';

type SortField = 'createdAt' | 'priceCents' | 'name' | 'unitsSold';
interface SortSpec {
  field: SortField;
  direction: 1 | -1;
}

/** Each sort orders by one field, then by _id in the same direction, so the order is total. */
export const SORTS: Record<ProductSort, SortSpec> = {
  NEWEST: { field: 'createdAt', direction: -1 },
  PRICE_ASC: { field: 'priceCents', direction: 1 },
  PRICE_DESC: { field: 'priceCents', direction: -1 },
  NAME: { field: 'name', direction: 1 },
  POPULAR: { field: 'unitsSold', direction: -1 },
};

export const MAX_PAGE_SIZE = 100;

/** Cursors are opaque to clients: the sort it was made for, the sort value and the id. */
export function encodeCursor(sort: ProductSort, doc: Record<string, unknown>): string {
  const value = doc[SORTS[sort].field];
  const encoded = value instanceof Date ? { d: value.toISOString() } : value;
  return Buffer.from(JSON.stringify([sort, encoded, String(doc._id)])).toString('base64url');
}

function decodeCursor(sort: ProductSort, cursor: string): { value: unknown; id: Types.ObjectId } {
  try {
    const [cursorSort, raw, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (cursorSort !== sort || !Types.ObjectId.isValid(id)) throw new Error('mismatch');
    const value = raw && typeof raw === 'object' && 'd' in raw ? new Date(raw.d) : raw;
    return { value, id: new Types.ObjectId(id) };
  } catch {
    throw badInput('Invalid cursor: use a pageInfo.endCursor of the same sort', { field: 'after' });
  }
}

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
  const { field, direction } = SORTS[sort];
  const base = filterQuery(filter);
  let query = base;
  if (after) {
    const { value, id } = decodeCursor(sort, after);
    const beyond = direction === 1 ? '$gt' : '$lt';
    const afterCursor = { $or: [{ [field]: { [beyond]: value } }, { [field]: value, _id: { [beyond]: id } }] };
    query = Object.keys(base).length ? { $and: [base, afterCursor] } : afterCursor;
  }
  return { query, countQuery: base, sort: { [field]: direction, _id: direction } as Record<string, 1 | -1> };
}

export function pageSize(first: number | null | undefined): number {
  const size = first ?? 20;
  if (size < 1 || size > MAX_PAGE_SIZE) throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, { field: 'first' });
  return size;
}
