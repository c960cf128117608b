/**
 * The router resolves each order event for its subscribers as a query on the order. That query
 * may run after a later change is stored, so the router pins it with this header to the order as
 * it was right after the event's change. Statuses never repeat in an order's history, so the new
 * status names that point. Only the router sets it (it forwards no client header but the token);
 * it shows nothing the order's statusHistory does not already show.
 */
export const ORDER_AS_OF_HEADER = 'x-order-as-of';

export interface OrderAsOf {
  orderId: string;
  status: string;
}

export const formatOrderAsOf = ({ orderId, status }: OrderAsOf) => `${orderId} ${status}`;

export function parseOrderAsOf(value: string | string[] | undefined): OrderAsOf | undefined {
  const [orderId, status, ...rest] = (Array.isArray(value) ? value[0] : value)?.trim().split(/\s+/) ?? [];
  return orderId && status && !rest.length ? { orderId, status } : undefined;
}
