import type { AuthContext } from '@shop/kernel';
import type { RecipientNotifications } from './data/recipient-notifications';

export interface Context extends AuthContext {
  notifications: RecipientNotifications;
}
