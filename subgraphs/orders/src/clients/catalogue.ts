import type { ServiceCall } from '@shop/kernel';
import type { PricedLine } from '../domain/pricing';

const RESERVE = `mutation($orderId: ID!, $lines: [StockLineInput!]!) {
  reserveStock(orderId: $orderId, lines: $lines) { productId quantity unitPriceCents currency name }
}`;
const RELEASE = `mutation($orderId: ID!) { releaseStock(orderId: $orderId) }`;

// Both are idempotent per order id, so retrying them is safe. The timeout is generous: under a
// burst, requests queue behind each other's database writes.
const CALL = { timeoutMs: 30_000, retries: 1 };

/** The catalogue's internal stock operations, as the checkout uses them. */
export function catalogueClient(call: ServiceCall) {
  return {
    /** All lines or none, priced at this moment; the same order id reserves once. */
    reserveStock: async (orderId: string, lines: { productId: string; quantity: number }[]) =>
      (await call<{ reserveStock: PricedLine[] }>(RESERVE, { orderId, lines }, CALL)).reserveStock,
    releaseStock: async (orderId: string) => (await call<{ releaseStock: boolean }>(RELEASE, { orderId }, CALL)).releaseStock,
  };
}

export type CatalogueClient = ReturnType<typeof catalogueClient>;
