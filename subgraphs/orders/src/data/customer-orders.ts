import { findPage, type Connection, type KeysetOrder, type PageArgs, type VersionedCache } from '@shop/kernel';
import type { OrderDoc, OrderModel, OrderView } from './order-model';

/** Newest first: order numbers are unique and increasing. */
export const NEWEST: KeysetOrder = { name: 'orders', field: 'number', direction: -1 };

/**
 * A customer's orders, newest first: what the account page reads on every visit, so pages are
 * kept in the versioned cache under the customer's version, which every write to one of their
 * orders bumps before it returns (a new order or status is visible to the next read). On
 * FerretDB a filter on customerId scans every order, twice (the page and its count).
 */
/** An order as cached (JSON) made readable again: its dates are Dates. A mongoose document would cost more than the rest of the page. */
const revive = (order: OrderView): OrderView => ({
  ...order,
  createdAt: new Date(order.createdAt),
  statusHistory: order.statusHistory.map((change) => ({ ...change, at: new Date(change.at) })),
});

export function customerOrders(orders: OrderModel, cache: VersionedCache) {
  const name = (customerId: string) => `customer-orders:${customerId}`;
  return {
    async page(customerId: string, args: PageArgs): Promise<Connection<OrderView>> {
      const page = await cache.read(name(customerId), `${args.first ?? ''}:${args.after ?? ''}`, async () => {
        const found = await findPage<OrderDoc>(orders, { customerId }, NEWEST, args);
        // Stored as plain data, without pending events.
        return { ...found, edges: found.edges.map(({ node, cursor }) => ({ cursor, node: { ...node.toObject(), outbox: [] } })) };
      });
      return { ...page, edges: page.edges.map(({ node, cursor }) => ({ cursor, node: revive(node) })) };
    },
    changed: (customerId: string) => cache.bump([name(customerId)]),
  };
}

export type CustomerOrders = ReturnType<typeof customerOrders>;
