import path from 'node:path';
import { connectBroker, connectDatabase, createLogger, loadConfig, loadSchema, runService, serveSubgraph, serviceClient, syncIndexes } from '@shop/kernel';
import { resolvers } from './resolvers';
import { learningModels } from './data/models';
import { learningLoaders } from './data/loaders';
import { catalogueQueries } from './domain/catalogue-queries';
import { learner } from './events/learn';

const config = loadConfig('recommendations');
const logger = createLogger('recommendations');

runService(logger, async () => {
  const db = await connectDatabase(config);
  const models = learningModels(db);
  await syncIndexes(db);
  const broker = connectBroker(config, logger);
  broker.consume('recommendations.learning', learner(models));
  const catalogue = catalogueQueries(serviceClient(config, 'catalogue'));
  const server = await serveSubgraph({
    config,
    logger,
    typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')),
    resolvers,
    context: (auth) => ({
      ...auth,
      loaders: learningLoaders(models),
      histories: models.histories,
      topOfCategory: catalogue.topOfCategory(),
      inStock: catalogue.inStock(),
      popular: catalogue.popular,
    }),
  });
  return [server.stop, broker.close, () => db.close()];
});
