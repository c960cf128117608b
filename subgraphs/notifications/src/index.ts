import { runSubgraph } from '@shop/kernel';
import { resolvers } from './resolvers';
import { notificationModel } from './data/notification-model';

runSubgraph('notifications', async ({ models }) => {
  const { notifications } = await models((db) => ({ notifications: notificationModel(db) }));
  return { resolvers, context: (auth) => ({ ...auth, notifications }) };
});
