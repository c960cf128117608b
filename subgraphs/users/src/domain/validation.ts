import { badInput } from '@shop/kernel';

export const MIN_PASSWORD_LENGTH = 8;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased, trimmed email; BAD_USER_INPUT when it is not an email. */
export function normaliseEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (!EMAIL.test(normalised) || normalised.length > 254) throw badInput('Invalid email address', { field: 'email' });
  return normalised;
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw badInput(`Password must have at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  if (password.length > 72) throw badInput('Password must have at most 72 characters', { field: 'password' });
}

export function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw badInput('Name must have 1 to 100 characters', { field: 'name' });
  return trimmed;
}

export function checkLocale(locale: string | null | undefined): 'en' | 'fr' {
  if (!locale) return 'en';
  if (locale !== 'en' && locale !== 'fr') throw badInput('Locale must be en or fr', { field: 'locale' });
  return locale;
}
