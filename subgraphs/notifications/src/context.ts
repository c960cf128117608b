import type { AuthContext } from '@shop/kernel';
import type { NotificationModel } from './data/notification-model';

export interface Context extends AuthContext {
  notifications: NotificationModel;
}
