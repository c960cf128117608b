import path from 'node:path';
import { Redis } from 'ioredis';
import { connectBroker, connectDatabase, createLogger, loadConfig, loadSchema, runService, serveSubgraph, startOutboxRelay, syncIndexes } from '@shop/kernel';
import { resolvers } from './resolvers';
import { userModel } from './data/user-model';
import { refreshTokenModel } from './data/session-model';
import { signingKeyModel } from './data/signing-key-model';
import { accounts } from './domain/accounts';
import { loginGuard } from './domain/login-guard';
import { signingKeys } from './domain/signing-keys';

const config = loadConfig('users');
const logger = createLogger('users');

runService(logger, async () => {
  const db = await connectDatabase(config);
  const users = userModel(db);
  const refreshTokens = refreshTokenModel(db);
  const keys = signingKeys(signingKeyModel(db), {
    rotateAfterDays: config.signingKeyRotateDays,
    tokenTtlSeconds: config.accessTokenTtlSeconds,
  });
  await syncIndexes(db);
  await keys.ensureCurrent();
  // Rotation is checked hourly too, so a long-running replica rotates on schedule.
  const rotation = setInterval(() => keys.ensureCurrent().catch((err) => logger.error({ err }, 'key rotation failed')), 3600_000);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  const broker = connectBroker(config, logger);
  const relay = startOutboxRelay(users, broker, logger);
  const service = accounts({ config, users, refreshTokens, keys, guard: loginGuard(redis, config.redisPrefix), relay });
  await service.ensureAdmin();
  const server = await serveSubgraph({
    config,
    logger,
    typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')),
    resolvers,
    context: (auth) => ({ ...auth, accounts: service, users }),
    routes: (app) =>
      app.get('/.well-known/jwks.json', async (_req, res) => {
        res.set('cache-control', 'public, max-age=300').json(await keys.jwks());
      }),
  });
  return [server.stop, () => clearInterval(rotation), relay.stop, broker.close, () => redis.quit(), () => db.close()];
});
