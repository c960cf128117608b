import path from 'node:path';
import { Redis } from 'ioredis';
import { connectBroker, connectDatabase, createLogger, loadConfig, loadSchema, runService, serveSubgraph, syncIndexes } from '@shop/kernel';
import { resolvers } from './resolvers';
import { productModel } from './data/product-model';
import { reservationModel } from './data/reservation-model';
import { processedEventModel } from './data/processed-event-model';
import { productLoader } from './data/product-loader';
import { productCache } from './data/cache';
import { seedCatalogue } from './data/seed';
import { stockKeeper } from './domain/stock';
import { popularityConsumer } from './events/popularity';

const config = loadConfig('catalogue');
const logger = createLogger('catalogue');

runService(logger, async () => {
  const db = await connectDatabase(config);
  const products = productModel(db);
  const reservations = reservationModel(db);
  const processed = processedEventModel(db);
  await syncIndexes(db);
  await seedCatalogue(products);
  // Fail fast when Redis is down (no offline queue): the database answers instead.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  const cache = productCache(redis, config.redisPrefix, logger);
  const stock = stockKeeper(products, reservations, cache.productsChanged);
  // Reservations a crash left half-done are undone or finished.
  const recovery = setInterval(
    () => stock.recover().catch((err) => logger.warn({ err }, 'reservation recovery failed')),
    10_000,
  );
  const broker = connectBroker(config, logger);
  broker.consume('catalogue.popularity', popularityConsumer(products, processed, cache));
  const server = await serveSubgraph({
    config,
    logger,
    typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')),
    resolvers,
    context: (auth) => ({ ...auth, products, cache, stock, productById: productLoader(products, cache) }),
  });
  return [server.stop, () => clearInterval(recovery), broker.close, () => redis.quit(), () => db.close()];
});
