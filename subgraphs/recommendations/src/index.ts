import { PRODUCT_CACHE, publishedCacheKey, runSubgraph, versionedCache, versionedCacheReader } from '@shop/kernel';
import { resolvers } from './resolvers';
import { learningModels } from './data/models';
import { learningLoaders } from './data/loaders';
import { catalogueClient } from './clients/catalogue';
import { candidateLoaders, rankingsChangedBy } from './domain/recommender';
import { learner } from './events/learn';

runSubgraph('recommendations', async ({ config, logger, models, redis, cachePrefix, broker, client }) => {
  const learning = await models(learningModels);
  const cache = versionedCache(redis(), await cachePrefix('recommendations'), logger, { name: 'recommendations' });
  broker().consume('recommendations.learning', learner(learning, (learnt) => cache.bump(rankingsChangedBy(learnt))));
  // Stock, names and prices of what is listed come from the catalogue's cache, as fresh as its own reads.
  const catalogue = catalogueClient(client('catalogue'), versionedCacheReader(redis(), publishedCacheKey(config.redisPrefix, PRODUCT_CACHE)));
  return {
    resolvers,
    context: (auth) => {
      const stocked = catalogue.stocked();
      const recommender = {
        loaders: learningLoaders(learning),
        histories: learning.histories,
        topOfCategory: catalogue.topOfCategory(),
        stocked,
        prefetchStocked: catalogue.prefetchInto(stocked),
        popular: catalogue.popular,
      };
      return { ...auth, ...recommender, candidates: candidateLoaders(recommender, cache) };
    },
  };
});
