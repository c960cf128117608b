import { runSubgraph } from '@shop/kernel';
import { resolvers } from './resolvers';
import { learningModels } from './data/models';
import { learningLoaders } from './data/loaders';
import { catalogueClient } from './clients/catalogue';
import { learner } from './events/learn';

runSubgraph('recommendations', async ({ models, broker, client }) => {
  const learning = await models(learningModels);
  broker().consume('recommendations.learning', learner(learning));
  const catalogue = catalogueClient(client('catalogue'));
  return {
    resolvers,
    context: (auth) => ({
      ...auth,
      loaders: learningLoaders(learning),
      histories: learning.histories,
      topOfCategory: catalogue.topOfCategory(),
      inStock: catalogue.inStock(),
      popular: catalogue.popular,
    }),
  };
});
