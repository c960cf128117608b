import { badInput, EVENTS } from '@shop/kernel';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_BYTES = 72;
// Sign-up takes what user.registered can carry: a customer gets BAD_USER_INPUT, not a failed event.
const registered = EVENTS['user.registered'].data.shape;

/** Lower-cased, trimmed email; BAD_USER_INPUT when it is not an email. */
export function normaliseEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (!registered.email.safeParse(normalised).success) throw badInput('Invalid email address', { field: 'email' });
  return normalised;
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw badInput(`Password must have at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  // bcrypt reads 72 bytes and ignores the rest: a longer password would match any with the same start.
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES)
    throw badInput(`Password must have at most ${MAX_PASSWORD_BYTES} bytes (UTF-8)`, { field: 'password' });
}

export function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw badInput('Name must have 1 to 100 characters', { field: 'name' });
  // NUL and other control characters have no place in a name, and would reach emails and logs.
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw badInput('Name must not contain control characters', { field: 'name' });
  return trimmed;
}

export function checkLocale(locale: string | null | undefined): 'en' | 'fr' {
  if (!locale) return 'en';
  if (locale !== 'en' && locale !== 'fr') throw badInput('Locale must be en or fr', { field: 'locale' });
  return locale;
}

/** An E.164 number (spaces, dots, dashes and brackets removed), or null when none was given. */
export function checkPhone(phone: string | null | undefined): string | null {
  const compact = phone?.replace(/[\s().-]/g, '');
  if (!compact) return null;
  if (!registered.phone.safeParse(compact).success)
    throw badInput('Phone must be an international number, like +33612345678', { field: 'phone' });
  return compact;
}
