import path from 'node:path';
import { connectBroker, connectDatabase, createLogger, loadConfig, loadSchema, runService, serveSubgraph, startOutboxRelay, syncIndexes } from '@shop/kernel';
import { resolvers } from './resolvers';
import { userModel } from './data/user-model';
import { refreshTokenModel } from './data/session-model';
import { accounts } from './domain/accounts';

const config = loadConfig('users');
const logger = createLogger('users');

runService(logger, async () => {
  const db = await connectDatabase(config);
  const users = userModel(db);
  const tokens = refreshTokenModel(db);
  await syncIndexes(db);
  const broker = connectBroker(config, logger);
  const relay = startOutboxRelay(users, broker, logger);
  const service = accounts(config, users, tokens, relay);
  await service.ensureAdmin();
  const server = await serveSubgraph({
    config,
    logger,
    typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')),
    resolvers,
    context: (auth) => ({ ...auth, accounts: service, users }),
  });
  return [server.stop, relay.stop, broker.close, () => db.close()];
});
