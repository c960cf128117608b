import path from 'node:path';
import { connectBroker, connectDatabase, createLogger, loadConfig, loadSchema, runService, serveSubgraph, startOutboxRelay, syncIndexes } from '@shop/kernel';
import { resolvers } from './resolvers';
import { customerUseModel, promotionModel, redemptionModel } from './data/promotion-model';
import { promotionsDesk } from './domain/redemptions';

const config = loadConfig('promotions');
const logger = createLogger('promotions');

runService(logger, async () => {
  const db = await connectDatabase(config);
  const promotions = promotionModel(db);
  const redemptions = redemptionModel(db);
  await syncIndexes(db);
  const broker = connectBroker(config, logger);
  const relay = startOutboxRelay(promotions, broker, logger);
  const desk = promotionsDesk(promotions, redemptions, customerUseModel(db), relay);
  await desk.ensureDefaults();
  const server = await serveSubgraph({
    config,
    logger,
    typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')),
    resolvers,
    context: (auth) => ({ ...auth, promotions, desk }),
  });
  return [server.stop, relay.stop, broker.close, () => db.close()];
});
