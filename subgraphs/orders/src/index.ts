import { ORDER_AS_OF_HEADER, parseOrderAsOf, runSubgraph } from '@shop/kernel';
import { resolvers } from './resolvers';
import { checkoutModel, compensationModel, counterModel, orderModel } from './data/order-model';
import { catalogueClient } from './clients/catalogue';
import { promotionsClient } from './clients/promotions';
import { checkoutClaims } from './domain/checkout-claims';
import { orderDesk } from './domain/checkout';

runSubgraph('orders', async ({ logger, models, outbox, every, client }) => {
  const { orders, counters, checkouts, compensations } = await models((db) => ({
    orders: orderModel(db),
    counters: counterModel(db),
    checkouts: checkoutModel(db),
    compensations: compensationModel(db),
  }));
  const desk = orderDesk({
    orders,
    counters,
    catalogue: catalogueClient(client('catalogue')),
    promotions: promotionsClient(client('promotions')),
    claims: checkoutClaims(checkouts, orders),
    compensations,
    relay: outbox(orders),
    logger,
  });
  every(5000, 'compensation retry', () => desk.retryCompensations());
  return {
    resolvers,
    context: (auth, req) => ({ ...auth, orders, desk, asOf: parseOrderAsOf(req.headers[ORDER_AS_OF_HEADER]) }),
  };
});
