import { findPage, type Connection, type KeysetOrder, type PageArgs, type VersionedCache } from '@shop/kernel';
import type { NotificationDoc, NotificationModel, NotificationView } from './notification-model';

const NEWEST: KeysetOrder = { name: 'notifications', field: 'createdAt', direction: -1 };

/**
 * What was sent to one customer, newest first: the account page reads it on every visit, so
 * pages are kept in the versioned cache under the recipient's version, which the worker bumps
 * after each write that shows (a new notification, SENT, FAILED). The subgraph and the worker
 * build it on the same Redis prefix. On FerretDB a filter on recipientId scans the collection.
 */
/** A notification as cached (JSON) made readable again: its dates are Dates, with no mongoose document's cost. */
const revive = (n: NotificationView): NotificationView => ({
  ...n,
  createdAt: new Date(n.createdAt),
  sentAt: n.sentAt ? new Date(n.sentAt) : null,
  claimedAt: n.claimedAt ? new Date(n.claimedAt) : null,
});

export function recipientNotifications(notifications: NotificationModel, cache: VersionedCache) {
  const name = (recipientId: string) => `recipient:${recipientId}`;
  return {
    async page(recipientId: string, args: PageArgs): Promise<Connection<NotificationView>> {
      const page = await cache.read(name(recipientId), `${args.first ?? ''}:${args.after ?? ''}`, async () => {
        const found = await findPage<NotificationDoc>(notifications, { recipientId }, NEWEST, args);
        return { ...found, edges: found.edges.map(({ node, cursor }) => ({ cursor, node: node.toObject() })) };
      });
      return { ...page, edges: page.edges.map(({ node, cursor }) => ({ cursor, node: revive(node) })) };
    },
    changed: (recipientId: string) => cache.bump([name(recipientId)]),
  };
}

export type RecipientNotifications = ReturnType<typeof recipientNotifications>;

/** The name of the cache both processes of the notifications service share. */
export const NOTIFICATIONS_CACHE = 'notifications';
