import { badInput, ShopError } from '@shop/kernel';

export type RefusalReason = 'UNKNOWN' | 'INACTIVE' | 'NOT_STARTED' | 'EXPIRED' | 'EXHAUSTED' | 'CUSTOMER_LIMIT' | 'MIN_SUBTOTAL' | 'CURRENCY';

export const refuse = (reason: RefusalReason, message: string) =>
  new ShopError('PROMO_CODE_INVALID', message, { reason });

export interface PromotionTerms {
  code: string;
  percentOff?: number | null;
  amountOffCents?: number | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  remaining?: number | null;
  minSubtotalCents?: number | null;
  /** The currency of amountOffCents and minSubtotalCents (EUR when unset). */
  currency?: string | null;
  enabled: boolean;
}

export const normaliseCode = (code: string) => code.trim().toUpperCase();

/**
 * Why a code cannot be used now, whatever the subtotal, or null when it can. Reads the terms
 * by property only: `p` may be a hydrated mongoose document, whose fields are getters that a
 * spread (`{ ...doc }`) does not copy.
 */
function availabilityRefusal(p: PromotionTerms, now: Date): ShopError | null {
  if (!p.enabled) return refuse('INACTIVE', `${p.code} is not active`);
  if (p.startsAt && now < p.startsAt) return refuse('NOT_STARTED', `${p.code} is not valid yet`);
  if (p.endsAt && now >= p.endsAt) return refuse('EXPIRED', `${p.code} has expired`);
  if (p.remaining != null && p.remaining <= 0) return refuse('EXHAUSTED', `${p.code} has been used up`);
  return null;
}

/** Why a code cannot be used now for this subtotal (in `currency`), or null when it can. */
export function refusalFor(p: PromotionTerms, subtotalCents: number, currency: string, now = new Date()): ShopError | null {
  const refusal = availabilityRefusal(p, now);
  if (refusal) return refusal;
  // An amount (off, or a minimum) means nothing in another currency: 10 EUR off is not 10 JPY off.
  const own = p.currency ?? 'EUR';
  if ((p.amountOffCents != null || p.minSubtotalCents != null) && currency !== own)
    return refuse('CURRENCY', `${p.code} applies to orders in ${own} only`);
  if (p.minSubtotalCents != null && subtotalCents < p.minSubtotalCents)
    return refuse('MIN_SUBTOTAL', `${p.code} needs a subtotal of at least ${p.minSubtotalCents} cents`);
  return null;
}

/** Whether the code is accepted now for a large enough basket (the minimum subtotal is not checked). */
export function isActive(p: PromotionTerms, now = new Date()): boolean {
  return availabilityRefusal(p, now) === null;
}

/** Discount in cents, never more than the subtotal. Percentages round down (in the shop's favour). */
export function discountFor(p: PromotionTerms, subtotalCents: number): number {
  const raw = p.percentOff != null ? Math.floor((subtotalCents * p.percentOff) / 100) : (p.amountOffCents ?? 0);
  return Math.min(raw, subtotalCents);
}

export interface NewPromotion {
  code: string;
  description: string;
  percentOff?: number | null;
  amountOffCents?: number | null;
  startsAt?: string | null;
  endsAt?: string | null;
  maxRedemptions?: number | null;
  perCustomerLimit?: number | null;
  minSubtotalCents?: number | null;
}

const positiveInt = (value: number | null | undefined, field: string) => {
  if (value != null && (!Number.isInteger(value) || value < 1)) throw badInput(`${field} must be a whole number, at least 1`, { field });
  return value ?? null;
};

const date = (value: string | null | undefined, field: string) => {
  if (value == null) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw badInput(`${field} must be an ISO-8601 date`, { field });
  return d;
};

export function checkNewPromotion(input: NewPromotion) {
  const code = normaliseCode(input.code);
  if (!/^[A-Z0-9_-]{3,32}$/.test(code)) throw badInput('code must have 3 to 32 letters, digits, - or _', { field: 'code' });
  const description = input.description.trim();
  // The bound of promotion.created's description.
  if (!description || description.length > 1000) throw badInput('description must have 1 to 1000 characters', { field: 'description' });
  if ((input.percentOff == null) === (input.amountOffCents == null))
    throw badInput('Give exactly one of percentOff and amountOffCents', { field: 'percentOff' });
  if (input.percentOff != null && (!Number.isInteger(input.percentOff) || input.percentOff < 1 || input.percentOff > 100))
    throw badInput('percentOff must be between 1 and 100', { field: 'percentOff' });
  const startsAt = date(input.startsAt, 'startsAt');
  const endsAt = date(input.endsAt, 'endsAt');
  if (startsAt && endsAt && endsAt <= startsAt) throw badInput('endsAt must be after startsAt', { field: 'endsAt' });
  const maxRedemptions = positiveInt(input.maxRedemptions, 'maxRedemptions');
  return {
    code,
    description,
    percentOff: input.percentOff ?? null,
    amountOffCents: positiveInt(input.amountOffCents, 'amountOffCents'),
    startsAt,
    endsAt,
    maxRedemptions,
    remaining: maxRedemptions,
    perCustomerLimit: positiveInt(input.perCustomerLimit, 'perCustomerLimit'),
    minSubtotalCents: input.minSubtotalCents ?? null,
  };
}
