import { badInput, withAccessPolicy } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';

const encode = (createdAt: Date, id: string) => Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
function decode(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return { createdAt: new Date(at), id: String(id) };
  } catch {
    throw badInput('Invalid cursor', { field: 'after' });
  }
}

const resolverMap: Resolvers = {
  User: {
    async notifications(user, { first, after }, ctx) {
      const size = first ?? 10;
      if (size < 1 || size > 100) throw badInput('first must be between 1 and 100', { field: 'first' });
      const mine = { recipientId: user.id };
      let query: Record<string, unknown> = mine;
      if (after) {
        const c = decode(after);
        query = { ...mine, $or: [{ createdAt: { $lt: c.createdAt } }, { createdAt: c.createdAt, _id: { $lt: c.id } }] };
      }
      const [docs, totalCount] = await Promise.all([
        ctx.notifications.find(query).sort({ createdAt: -1, _id: -1 }).limit(size + 1).exec(),
        ctx.notifications.countDocuments(mine),
      ]);
      const edges = docs.slice(0, size).map((node) => ({ node, cursor: encode(node.createdAt, node.id) }));
      return { totalCount, edges, pageInfo: { hasNextPage: docs.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
    },
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
