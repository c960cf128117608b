import type { AuthContext, OrderAsOf } from '@shop/kernel';
import type { OrderModel } from './data/order-model';
import type { CustomerOrders } from './data/customer-orders';
import type { OrderDesk } from './domain/checkout';

export interface Context extends AuthContext {
  orders: OrderModel;
  desk: OrderDesk;
  customerOrders: CustomerOrders;
  /** Set by the router when it resolves a subscription event: `order(id)` answers as of that change. */
  asOf?: OrderAsOf;
}
