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

