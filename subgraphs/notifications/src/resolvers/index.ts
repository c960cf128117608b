import { findPage, withAccessPolicy, type KeysetOrder } from '@shop/kernel';
import type { NotificationDoc } from '../data/notification-model';
import type { Resolvers } from '../__generated__/resolvers-types';

/** Newest first. */
const NEWEST: KeysetOrder = { name: 'notifications', field: 'createdAt', direction: -1 };

const resolverMap: Resolvers = {
  User: {
    notifications: (user, { first, after }, ctx) => findPage<NotificationDoc>(ctx.notifications, { recipientId: user.id }, NEWEST, { first, after }),
  },
  Notification: {
    id: (n) => n.id,
    createdAt: (n) => n.createdAt.toISOString(),
    sentAt: (n) => n.sentAt?.toISOString() ?? null,
  },
};

export const resolvers = withAccessPolicy(resolverMap, {
  User: { notifications: 'self' },
});
