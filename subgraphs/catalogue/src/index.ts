import { PRODUCT_CACHE, publishedCacheKey, rekeyBy, runSubgraph } from '@shop/kernel';
import { resolvers } from './resolvers';
import { productModel } from './data/product-model';
import { reservationModel } from './data/reservation-model';
import { productLoader } from './data/product-loader';
import { productCache } from './data/cache';
import { productIndex } from './data/product-index';
import { productChanges } from './data/product-changes';
import { seedCatalogue } from './data/seed';
import { stockKeeper } from './domain/stock';

runSubgraph('catalogue', async ({ config, logger, models, redis, cachePrefix, renewCacheGeneration, broker, every }) => {
  const { products, reservations } = await models((db) => ({
    products: productModel(db),
    reservations: reservationModel(db),
  }));
  await rekeyBy(reservations, 'orderId');
  // A catalogue seeded anew is new data: no value cached from an earlier one may be read.
  if ((await seedCatalogue(products)).fresh) await renewCacheGeneration();
  const cache = productCache(redis(), await cachePrefix(PRODUCT_CACHE), logger);
  cache.publish(publishedCacheKey(config.redisPrefix, PRODUCT_CACHE));
  const index = productIndex(products, cache);
  await index.loadAll();
  const { changed, follow } = productChanges(cache, index, broker(), logger);
  follow();
  // What another replica wrote and this one missed (a message lost while telling) is read here.
  every(300_000, 'listing reload', () => index.loadAll());
  const stock = stockKeeper(products, reservations, changed, (id) => index.listing.get(id)?.stock);
  // The marks this process's settled reservations left are pulled, without a scan.
  every(10_000, 'settled reservations', () => stock.settleOwn());
  // Reservations a crash left half-done are undone or finished, and marks another process left
  // pulled: a scan of every reservation ever made (about 0.1 ms each on FerretDB, 2 s at
  // 20,000), so it takes 5 % of the time at most, and runs less often as the shop grows.
  every(30_000, 'reservation recovery', () => stock.recover(), { maxShare: 0.05 });
  // Units sold are counted by the stock writes now; the queue that counted them from events goes.
  void broker().retire('catalogue.popularity');
  return {
    resolvers,
    context: (auth) => ({ ...auth, products, listing: index.listing, changed, stock, productById: productLoader(products, cache) }),
  };
});
