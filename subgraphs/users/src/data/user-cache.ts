import { isValidObjectId } from 'mongoose';
import DataLoader from 'dataloader';
import { badInput, keptFound } from '@shop/kernel';
import type { UserDoc, UserModel } from './user-model';

/** What a user may change (updatePreferences): never cached, read per request by `preferencesLoader`. */
export const PREFERENCE_FIELDS = ['marketingOptIn', 'locale', 'phone', 'preferencesRevision'] as const;
export type Preferences = Pick<UserDoc, 'marketingOptIn' | 'locale' | 'phone'>;

/**
 * Users by id, from memory after the first read: `me` and every `User` reference the router
 * asks for would otherwise cost a database read each. Exact on every replica because what it
 * keeps never changes once the account exists: the preferences, which do, are left out.
 */
export function userCache(users: UserModel) {
  // The hash, the pending events and the preferences stay out of memory.
  const projection = Object.fromEntries(['passwordHash', 'outbox', ...PREFERENCE_FIELDS].map((f) => [f, 0]));
  const read = keptFound('users', (id) => users.findById(id, projection).exec() as Promise<UserDoc | null>);
  return {
    // An entity representation is client input: only an id string may reach the filter.
    async byId(id: unknown): Promise<UserDoc | null> {
      if (typeof id !== 'string' || !isValidObjectId(id)) throw badInput('Not a user id', { field: 'id' });
      return read(id);
    },
  };
}

export type UserCache = ReturnType<typeof userCache>;

/** One request's reads of preferences, from the database (they change), batched by DataLoader. */
export const preferencesLoader = (users: UserModel) =>
  // Reads by _id, the one filter FerretDB does not scan for; a request names one user or few.
  new DataLoader<string, Preferences>((ids) =>
    Promise.all(
      ids.map(async (id) => (await users.findById(id, { marketingOptIn: 1, locale: 1, phone: 1 }).lean<Preferences>()) ?? new Error(`user ${id} not found`)),
    ),
  );
export type PreferencesLoader = ReturnType<typeof preferencesLoader>;
