import { badInput } from '@shop/kernel';

export type OrderStatus = 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';

const NEXT: Record<OrderStatus, OrderStatus[]> = {
  CONFIRMED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
};

/** CONFIRMED -> SHIPPED -> DELIVERED, or CONFIRMED -> CANCELLED; BAD_USER_INPUT for any other move. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!NEXT[from].includes(to)) throw badInput(`An order cannot go from ${from} to ${to}`, { from, to });
}


interface HasHistory {
  status: string;
  statusHistory: { status: string }[];
}

/**
 * The order as it was right after it moved to `status`: that status, and its history up to
 * that change (a status occurs once at most in a history). Changes the loaded copy only, which
 * is never saved; an order that never had that status is returned as it is.
 */
export function orderAsOf<T extends HasHistory>(order: T, status: string): T {
  const at = order.statusHistory.findIndex((change) => change.status === status);
  if (at < 0) return order;
  order.status = status;
  order.statusHistory = order.statusHistory.slice(0, at + 1);
  return order;
}
