import path from 'node:path';
import { createLogger, loadConfig, loadSchema, runService, serveSubgraph, serviceClient } from '@shop/kernel';
import { resolvers } from './resolvers';
import { catalogueQueries } from './domain/catalogue-queries';

const config = loadConfig('recommendations');
const logger = createLogger('recommendations');

runService(logger, async () => {
  const catalogue = catalogueQueries(serviceClient(config, 'catalogue'));
  const server = await serveSubgraph({
    config,
    logger,
    typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')),
    resolvers,
    context: (auth) => ({ ...auth, topOfCategory: catalogue.topOfCategory(), popular: catalogue.popular }),
  });
  return [server.stop];
});
