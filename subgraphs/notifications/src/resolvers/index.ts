import { withAccessPolicy } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';

const resolverMap: Resolvers = {
  User: {
    notifications: (user, { first, after }, ctx) => ctx.notifications.page(user.id, { first, after }),
  },
  Notification: {
    id: (n) => String(n._id),
    createdAt: (n) => n.createdAt.toISOString(),
    sentAt: (n) => n.sentAt?.toISOString() ?? null,
  },
};

export const resolvers = withAccessPolicy(resolverMap, {
  User: { notifications: 'self' },
});
