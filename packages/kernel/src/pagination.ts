import { Types, type Model } from 'mongoose';
import { badInput } from './errors';
import { op } from './mongo';

/**
 * Cursor pagination (Relay connections) over a keyset: one sort field, then `_id` in the same
 * direction, so the order is total and a walk returns each document once even while others are
 * inserted. A cursor names its order, the sort value and the id; it is opaque to clients.
 */
export interface KeysetOrder {
  /** Names the order in its cursors: a cursor of another order is refused. */
  name: string;
  field: string;
  direction: 1 | -1;
}

export interface Connection<T> {
  totalCount: number;
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** `first`, or the default; BAD_USER_INPUT outside 1..max. */
export function pageSize(first: number | null | undefined, defaultSize = 20, max = 100): number {
  const size = first ?? defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > max) throw badInput(`first must be between 1 and ${max}`, { field: 'first' });
  return size;
}

export function encodeCursor(order: KeysetOrder, doc: Record<string, unknown>): string {
  const value = doc[order.field];
  const encoded = value instanceof Date ? { d: value.toISOString() } : value;
  return Buffer.from(JSON.stringify([order.name, encoded, String(doc._id)])).toString('base64url');
}

/** The sort value and id a cursor of this order names; BAD_USER_INPUT for anything else. */
export function decodeCursor(order: KeysetOrder, cursor: string): { value: string | number | Date | null; id: string } {
  try {
    const [name, raw, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Only plain values come out: a string, a number, or a date; never an object of operators.
    const date = raw && typeof raw === 'object' && typeof raw.d === 'string' ? new Date(raw.d) : undefined;
    const plain = raw === null || typeof raw === 'string' || (typeof raw === 'number' && Number.isFinite(raw));
    if (name !== order.name || typeof id !== 'string' || !Types.ObjectId.isValid(id) || !(plain || (date && !Number.isNaN(date.getTime()))))
      throw new Error('mismatch');
    return { value: date ?? raw, id };
  } catch {
    throw badInput('Invalid cursor: use a pageInfo.endCursor of the same list and order', { field: 'after' });
  }
}

/** The filter for "after this cursor" in the order. */
export function afterCursor(order: KeysetOrder, cursor: string): Record<string, unknown> {
  const { value, id } = decodeCursor(order, cursor);
  const beyond = order.direction === 1 ? '$gt' : '$lt';
  // decodeCursor let only plain values through, so the operators are ours.
  return { $or: [{ [order.field]: op({ [beyond]: value }) }, { [order.field]: value, _id: op({ [beyond]: new Types.ObjectId(id) }) }] };
}

export const sortOf = (order: KeysetOrder): Record<string, 1 | -1> => ({ [order.field]: order.direction, _id: order.direction });

/** A connection from `size + 1` documents read in order: the extra one only says a next page exists. */
export function toConnection<T extends object>(docs: T[], size: number, totalCount: number, order: KeysetOrder): Connection<T> {
  const edges = docs.slice(0, size).map((node) => ({ node, cursor: encodeCursor(order, node as Record<string, unknown>) }));
  return { totalCount, edges, pageInfo: { hasNextPage: docs.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** One page of `model` matching `filter` in `order`: the page and the total, in two queries. */
export async function findPage<T extends object>(
  model: Model<any>,
  filter: Record<string, unknown>,
  order: KeysetOrder,
  args: PageArgs,
  limits: { defaultSize?: number; max?: number } = {},
): Promise<Connection<T>> {
  const size = pageSize(args.first, limits.defaultSize, limits.max);
  const query = !args.after ? filter : Object.keys(filter).length ? { $and: [filter, afterCursor(order, args.after)] } : afterCursor(order, args.after);
  const [docs, totalCount] = await Promise.all([
    model.find(query).sort(sortOf(order)).limit(size + 1).exec() as Promise<T[]>,
    model.countDocuments(filter),
  ]);
  return toConnection(docs, size, totalCount, order);
}
