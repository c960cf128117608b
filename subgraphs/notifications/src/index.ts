import { runSubgraph, versionedCache } from '@shop/kernel';
import { resolvers } from './resolvers';
import { notificationModel } from './data/notification-model';
import { notificationsCachePrefix, recipientNotifications } from './data/recipient-notifications';

runSubgraph('notifications', async ({ config, logger, models, redis }) => {
  const { notifications } = await models((db) => ({ notifications: notificationModel(db) }));
  const cache = versionedCache(redis(), notificationsCachePrefix(config.redisPrefix), logger);
  return { resolvers, context: (auth) => ({ ...auth, notifications: recipientNotifications(notifications, cache) }) };
});
