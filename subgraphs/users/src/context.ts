import type { AuthContext } from '@shop/kernel';
import type { Accounts } from './domain/accounts';
import type { UserModel } from './data/user-model';

export interface Context extends AuthContext {
  accounts: Accounts;
  users: UserModel;
}
