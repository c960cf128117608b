import path from 'node:path';
import {
  connectBroker, connectDatabase, createLogger, loadConfig, loadSchema, ORDER_AS_OF_HEADER, parseOrderAsOf,
  runService, serveSubgraph, serviceClient, startOutboxRelay, syncIndexes,
} from '@shop/kernel';
import { resolvers } from './resolvers';
import { checkoutModel, compensationModel, counterModel, orderModel } from './data/order-model';
import { checkoutClaims } from './domain/checkout-claims';
import { orderDesk } from './domain/checkout';

const config = loadConfig('orders');
const logger = createLogger('orders');

runService(logger, async () => {
  const db = await connectDatabase(config);
  const orders = orderModel(db);
  const counters = counterModel(db);
  await syncIndexes(db);
  const broker = connectBroker(config, logger);
  const relay = startOutboxRelay(orders, broker, logger);
  const desk = orderDesk({
    orders,
    counters,
    catalogue: serviceClient(config, 'catalogue'),
    promotions: serviceClient(config, 'promotions'),
    claims: checkoutClaims(checkoutModel(db), orders),
    compensations: compensationModel(db),
    relay,
    logger,
  });
  const compensating = setInterval(() => desk.retryCompensations().catch((err) => logger.warn({ err }, 'compensation retry failed')), 5000);
  const server = await serveSubgraph({
    config,
    logger,
    typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')),
    resolvers,
    context: (auth, req) => ({ ...auth, orders, desk, asOf: parseOrderAsOf(req.headers[ORDER_AS_OF_HEADER]) }),
  });
  return [server.stop, () => clearInterval(compensating), relay.stop, broker.close, () => db.close()];
});
