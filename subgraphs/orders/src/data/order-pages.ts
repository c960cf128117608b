import { badInput } from '@shop/kernel';
import type { OrderDoc, OrderModel } from './order-model';

const MAX_PAGE = 100;
const encode = (n: number) => Buffer.from(`order:${n}`).toString('base64url');
function decode(cursor: string): number {
  const match = /^order:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badInput('Invalid cursor', { field: 'after' });
  return Number(match[1]);
}

/** Newest first; the order number is unique and increasing, so it is the whole cursor. */
export async function pageOfOrders(orders: OrderModel, filter: Record<string, unknown>, first?: number | null, after?: string | null) {
  const size = first ?? 20;
  if (size < 1 || size > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`, { field: 'first' });
  const query = after ? { ...filter, number: { $lt: decode(after) } } : filter;
  const [docs, totalCount] = await Promise.all([
    orders.find(query).sort({ number: -1 }).limit(size + 1).exec(),
    orders.countDocuments(filter),
  ]);
  const edges = docs.slice(0, size).map((node: OrderDoc) => ({ node, cursor: encode(node.number) }));
  return { totalCount, edges, pageInfo: { hasNextPage: docs.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}
