/** Money, dates and the contract's error codes and refusal reasons, in words. */
import { CombinedGraphQLErrors } from '@apollo/client';
import { locale, t } from './i18n';

export function money(m: { cents: number; currency: string } | null | undefined): string {
  if (!m) return '';
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: m.currency }).format(m.cents / 100);
}

export const date = (iso: string) => new Date(iso).toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });

/** Why a promo code was refused (PROMO_CODE_INVALID's extensions.reason), in words (English keys of i18n.ts). */
const REASONS: Record<string, string> = {
  UNKNOWN: 'This code does not exist.',
  INACTIVE: 'This code is no longer active.',
  NOT_STARTED: 'This code is not valid yet.',
  EXPIRED: 'This code has expired.',
  EXHAUSTED: 'This code has been used up.',
  CUSTOMER_LIMIT: 'You have already used this code as often as allowed.',
  MIN_SUBTOTAL: 'Your order is below the minimum amount for this code.',
};
export const promoReason = (reason: string) => t(REASONS[reason] ?? 'This code cannot be used.');

export interface ShopErrorInfo {
  code?: string;
  message: string;
  extensions: Record<string, unknown>;
}

const CODES: Record<string, string> = {
  UNAUTHENTICATED: 'Please log in first.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'Not found.',
  EMAIL_TAKEN: 'An account with this email already exists.',
  INVALID_CREDENTIALS: 'Wrong email or password.',
  TOO_MANY_REQUESTS: 'Too many attempts: please wait a minute and try again.',
};

/** The first error's contract code and a sentence for the shopper. */
export function explain(error: unknown): ShopErrorInfo {
  const first = CombinedGraphQLErrors.is(error) ? error.errors[0] : undefined;
  const extensions = (first?.extensions ?? {}) as Record<string, unknown>;
  const code = extensions.code as string | undefined;
  if (code === 'PROMO_CODE_INVALID') return { code, extensions, message: promoReason(extensions.reason as string) };
  if (code === 'BAD_USER_INPUT') return { code, extensions, message: first?.message ?? t('Please check what you entered.') };
  if (code && CODES[code]) return { code, extensions, message: t(CODES[code]) };
  return { code, extensions, message: t('Something went wrong. Please try again.') };
}
