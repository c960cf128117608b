import path from 'node:path';
import { Redis } from 'ioredis';
import { connectDatabase, createLogger, loadConfig, loadSchema, runService, serveSubgraph, syncIndexes } from '@shop/kernel';
import { resolvers } from './resolvers';
import { productModel } from './data/product-model';
import { reservationModel } from './data/reservation-model';
import { productLoader } from './data/product-loader';
import { productCache } from './data/cache';
import { seedCatalogue } from './data/seed';
import { stockKeeper } from './domain/stock';

const config = loadConfig('catalogue');
const logger = createLogger('catalogue');

runService(logger, async () => {
  const db = await connectDatabase(config);
  const products = productModel(db);
  const reservations = reservationModel(db);
  await syncIndexes(db);
  await seedCatalogue(products);
  // Fail fast when Redis is down (no offline queue): the database answers instead.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  redis.on('error', () => undefined);
  const cache = productCache(redis, config.redisPrefix, logger);
  const stock = stockKeeper(products, reservations, cache.invalidate);
  const server = await serveSubgraph({
    config,
    logger,
    typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')),
    resolvers,
    context: (auth) => ({ ...auth, products, cache, stock, productById: productLoader(products) }),
  });
  return [server.stop, () => redis.quit(), () => db.close()];
});
