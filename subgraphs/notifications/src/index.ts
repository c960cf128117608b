import path from 'node:path';
import { connectDatabase, createLogger, loadConfig, loadSchema, runService, serveSubgraph, syncIndexes } from '@shop/kernel';
import { resolvers } from './resolvers';
import { notificationModel } from './data/notification-model';

const config = loadConfig('notifications');
const logger = createLogger('notifications');

runService(logger, async () => {
  const db = await connectDatabase(config);
  const notifications = notificationModel(db);
  await syncIndexes(db);
  const server = await serveSubgraph({
    config,
    logger,
    typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')),
    resolvers,
    context: (auth) => ({ ...auth, notifications }),
  });
  return [server.stop, () => db.close()];
});
