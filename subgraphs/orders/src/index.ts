import { ORDER_AS_OF_HEADER, parseOrderAsOf, runSubgraph, versionedCache } from '@shop/kernel';
import { resolvers } from './resolvers';
import { checkoutModel, compensationModel, counterModel, orderModel } from './data/order-model';
import { customerOrders } from './data/customer-orders';
import { catalogueClient } from './clients/catalogue';
import { promotionsClient } from './clients/promotions';
import { checkoutClaims } from './domain/checkout-claims';
import { orderDesk } from './domain/checkout';

runSubgraph('orders', async ({ config, logger, models, redis, cachePrefix, outbox, every, client }) => {
  const { orders, counters, checkouts, compensations } = await models((db) => ({
    orders: orderModel(db),
    counters: counterModel(db),
    checkouts: checkoutModel(db),
    compensations: compensationModel(db),
  }));
  const byCustomer = customerOrders(orders, versionedCache(redis(), await cachePrefix('orders'), logger, { name: 'orders' }));
  const desk = orderDesk({
    orders,
    counters,
    catalogue: catalogueClient(client('catalogue')),
    promotions: promotionsClient(client('promotions')),
    claims: checkoutClaims(checkouts, orders),
    compensations,
    relay: outbox(orders),
    customerChanged: byCustomer.changed,
    logger,
    deadlineMs: config.checkoutDeadlineMs,
  });
  every(5000, 'compensation retry', () => desk.retryCompensations());
  every(1000, 'settled journal entries', () => desk.dropSettled());
  return {
    resolvers,
    context: (auth, req) => ({ ...auth, orders, desk, customerOrders: byCustomer, asOf: parseOrderAsOf(req.headers[ORDER_AS_OF_HEADER]) }),
  };
});
