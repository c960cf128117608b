import type { AuthContext } from '@shop/kernel';
import type { OrderModel } from './data/order-model';
import type { OrderDesk } from './domain/checkout';

export interface Context extends AuthContext {
  orders: OrderModel;
  desk: OrderDesk;
}
