import type { AuthContext } from '@shop/kernel';
import type { Accounts } from './domain/accounts';
import type { UserCache } from './data/user-cache';

export interface Context extends AuthContext {
  accounts: Accounts;
  userById: UserCache;
}
