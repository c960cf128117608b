import { badInput } from '@shop/kernel';

export interface PricedLine {
  productId: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  currency: string;
}

/**
 * Bounds on one order. The shop takes no payment, so without them one free account could
 * reserve a product's whole stock (or every product's) in one order.
 */
export const ORDER_LIMITS = { maxLines: 100, maxQuantityPerLine: 20, maxUnitsPerOrder: 100 };

/** Money is a GraphQL Int: no line total or subtotal may exceed it. */
const MAX_CENTS = 2 ** 31 - 1;

/** Subtotal of lines priced by the catalogue; one order has one currency. */
export function subtotalOf(lines: PricedLine[]): { subtotalCents: number; currency: string } {
  const currencies = new Set(lines.map((l) => l.currency));
  if (currencies.size !== 1) throw badInput('All items of an order must have the same currency');
  const subtotalCents = lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
  if (subtotalCents > MAX_CENTS) throw badInput('The order total is too large; split it into several orders', { field: 'items' });
  return { subtotalCents, currency: lines[0].currency };
}

export function checkItems(items: { productId: string; quantity: number }[], limits = ORDER_LIMITS): void {
  if (!items.length) throw badInput('An order needs at least one item', { field: 'items' });
  if (items.length > limits.maxLines) throw badInput(`An order has at most ${limits.maxLines} lines`, { field: 'items' });
  const perProduct = new Map<string, number>();
  for (const item of items) {
    if (!Number.isInteger(item.quantity) || item.quantity < 1)
      throw badInput('Quantity must be at least 1', { field: 'quantity', productId: item.productId });
    // Lines of one product count together: two lines of 20 are 40 of it.
    const quantity = (perProduct.get(item.productId) ?? 0) + item.quantity;
    if (quantity > limits.maxQuantityPerLine)
      throw badInput(`At most ${limits.maxQuantityPerLine} of one product per order`, { field: 'quantity', productId: item.productId, max: limits.maxQuantityPerLine });
    perProduct.set(item.productId, quantity);
  }
  const units = [...perProduct.values()].reduce((a, b) => a + b, 0);
  if (units > limits.maxUnitsPerOrder)
    throw badInput(`At most ${limits.maxUnitsPerOrder} items per order`, { field: 'items', max: limits.maxUnitsPerOrder });
}
