import type { AuthContext } from '@shop/kernel';
import type { Accounts } from './domain/accounts';
import type { PreferencesLoader, UserCache } from './data/user-cache';
import type { PreferencesService } from './domain/preferences';

export interface Context extends AuthContext {
  accounts: Accounts;
  userById: UserCache;
  preferences: PreferencesService;
  /** This request's reads of preferences. */
  preferencesOf: PreferencesLoader;
}
