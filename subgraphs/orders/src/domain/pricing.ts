import { badInput } from '@shop/kernel';

export interface PricedLine {
  productId: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  currency: string;
}

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

/** What an order may ask for at all; the caps per product and per order are the catalogue's (RESERVATION_LIMITS), after its stock check. */
export function checkItems(items: { productId: string; quantity: number }[]): void {
  if (!items.length) throw badInput('An order needs at least one item', { field: 'items' });
  if (items.length > 100) throw badInput('An order has at most 100 lines', { field: 'items' });
  for (const item of items)
    if (!Number.isInteger(item.quantity) || item.quantity < 1)
      throw badInput('Quantity must be at least 1', { field: 'quantity', productId: item.productId });
}
