import { runSubgraph, versionedCache } from '@shop/kernel';
import { resolvers } from './resolvers';
import { notificationModel } from './data/notification-model';
import { NOTIFICATIONS_CACHE, recipientNotifications } from './data/recipient-notifications';

runSubgraph('notifications', async ({ logger, models, redis, cachePrefix }) => {
  const { notifications } = await models((db) => ({ notifications: notificationModel(db) }));
  const cache = versionedCache(redis(), await cachePrefix(NOTIFICATIONS_CACHE), logger, { name: NOTIFICATIONS_CACHE });
  return { resolvers, context: (auth) => ({ ...auth, notifications: recipientNotifications(notifications, cache) }) };
});
