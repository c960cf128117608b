import type { ServiceCall } from '@shop/kernel';

const REDEEM = `mutation($input: RedeemInput!) { redeemPromotion(input: $input) { code discountCents } }`;
const UNREDEEM = `mutation($orderId: ID!) { releaseRedemption(orderId: $orderId) }`;

// Idempotent per order id, so retrying is safe (see catalogue.ts for the timeout).
const CALL = { timeoutMs: 30_000, retries: 1 };

export interface RedeemRequest {
  code: string;
  orderId: string;
  customerId: string;
  subtotalCents: number;
  currency: string;
}

/** The promotions subgraph's internal redemption operations, as the checkout uses them. */
export function promotionsClient(call: ServiceCall) {
  return {
    /** Counts one use of the code for the order and returns the discount; once per order. */
    redeem: async (input: RedeemRequest) =>
      (await call<{ redeemPromotion: { code: string; discountCents: number } }>(REDEEM, { input }, CALL)).redeemPromotion,
    release: async (orderId: string) => (await call<{ releaseRedemption: boolean }>(UNREDEEM, { orderId }, CALL)).releaseRedemption,
  };
}

export type PromotionsClient = ReturnType<typeof promotionsClient>;
