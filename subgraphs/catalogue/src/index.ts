import { rekeyBy, runSubgraph } from '@shop/kernel';
import { resolvers } from './resolvers';
import { productModel } from './data/product-model';
import { reservationModel } from './data/reservation-model';
import { processedEventModel } from './data/processed-event-model';
import { productLoader } from './data/product-loader';
import { productCache } from './data/cache';
import { productIndex } from './data/product-index';
import { productChanges } from './data/product-changes';
import { seedCatalogue } from './data/seed';
import { stockKeeper } from './domain/stock';
import { popularityConsumer } from './events/popularity';

runSubgraph('catalogue', async ({ logger, models, redis, cachePrefix, renewCacheGeneration, broker, every }) => {
  const { products, reservations, processed } = await models((db) => ({
    products: productModel(db),
    reservations: reservationModel(db),
    processed: processedEventModel(db),
  }));
  await rekeyBy(reservations, 'orderId');
  // A catalogue seeded anew is new data: no value cached from an earlier one may be read.
  if ((await seedCatalogue(products)).fresh) await renewCacheGeneration();
  const cache = productCache(redis(), await cachePrefix('catalogue'), logger);
  const index = productIndex(products);
  await index.loadAll();
  const { changed, follow } = productChanges(cache, index, broker(), logger);
  follow();
  // What another replica wrote and this one missed (a message lost while telling) is read here.
  every(300_000, 'listing reload', () => index.loadAll());
  const stock = stockKeeper(products, reservations, changed, (id) => index.listing.get(id)?.stock);
  // Reservations a crash left half-done are undone or finished.
  every(10_000, 'reservation recovery', () => stock.recover());
  broker().consume('catalogue.popularity', popularityConsumer(products, processed, changed));
  return {
    resolvers,
    context: (auth) => ({ ...auth, products, listing: index.listing, changed, stock, productById: productLoader(products, cache) }),
  };
});
