import { Types } from 'mongoose';
import { groupedWrites, inSpan, isDuplicateKey, keptFound, notificationLatency, op, SpanKind, type AnyDomainEvent, type Delivery, type DomainEvent, type EventHandlers, type Logger } from '@shop/kernel';
import type { NotificationModel, RecipientDoc, RecipientModel } from '../data/notification-model';
import type { Sender } from '../adapters/senders';
import { orderCreatedMessage, orderStatusMessage, promotionMessage, type Message } from '../domain/templates';

interface Deps {
  notifications: NotificationModel;
  /** After a write a customer sees in their list (a new notification, SENT, FAILED). */
  shown: (recipientId: string) => Promise<unknown>;
  recipients: RecipientModel;
  email: Sender;
  sms: Sender;
  logger: Logger;
  /** How long a delivery may hold a QUEUED notification before another may send it. */
  leaseMs: number;
}

/** What the worker does with each event; a handler that throws leaves the event to be retried. */
export function eventHandlers({ notifications, shown, recipients, email, sms, logger, leaseMs }: Deps): EventHandlers<'notifications.events'> {
  // Under a burst, the inserts and SENT marks of many notifications share commands.
  const write = groupedWrites(notifications);
  /**
   * One notification per event, recipient and channel: recorded before sending (the unique
   * index makes every other delivery of the event find it), marked SENT after. Another
   * delivery sends nothing while the first holds its lease, and nothing once SENT; it takes
   * over only a lease that expired, that is a delivery that died before it could send. A send
   * that fails frees the notification for the next delivery at once, or marks it FAILED when
   * no delivery will follow (the event goes to the dead letters).
   */
  async function notify(event: AnyDomainEvent, delivery: Delivery, recipient: RecipientDoc, channel: 'EMAIL' | 'SMS', message: Message) {
    const key = { eventId: event.id, recipientId: recipient._id, channel };
    let notification: { _id: unknown } | null;
    try {
      notification = { _id: new Types.ObjectId() };
      await write({ insertOne: { document: { ...notification, ...key, kind: event.type, subject: message.subject, status: 'QUEUED', claimedAt: new Date() } } });
      await shown(recipient._id);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await notifications.findOne(key);
      if (!existing || existing.status === 'SENT') return;
      notification = await notifications.findOneAndUpdate(
        { _id: existing._id, status: 'QUEUED', claimedAt: op({ $lt: new Date(Date.now() - leaseMs) }) },
        { $set: { claimedAt: new Date() } },
        { new: true },
      );
      // Another delivery is sending it: fail, so this one is retried after it finished.
      if (!notification) throw new Error(`notification ${existing.id} is being sent by another delivery`);
    }
    const to = channel === 'EMAIL' ? recipient.email : recipient.phone!;
    try {
      const id = `${event.id}.${recipient._id}.${channel.toLowerCase()}`;
      await inSpan(`send ${channel}`, SpanKind.CLIENT, { 'shop.notification.channel': channel, 'shop.event.type': event.type }, () =>
        (channel === 'EMAIL' ? email : sms).send(to, message, id),
      );
    } catch (err) {
      await notifications.updateOne({ _id: notification._id }, { $set: delivery.final ? { status: 'FAILED' } : { claimedAt: new Date(0) } });
      if (delivery.final) await shown(recipient._id);
      throw err;
    }
    notificationLatency.labels(channel).observe((Date.now() - Date.parse(event.occurredAt)) / 1000);
    await write({ updateOne: { filter: { _id: notification._id }, update: { $set: { status: 'SENT', sentAt: new Date() } } } });
    await shown(recipient._id);
    logger.info({ eventId: event.id, type: event.type, channel }, 'notification sent');
  }

  // Kept in memory: read for every order event, changed only by the customer's preferences.
  // The replica that applies a change forgets its copy; another one serves the old one for a minute at most.
  const recipientById = keptFound('recipients', (id) => recipients.findById(id).lean<RecipientDoc>().exec(), { ttlMs: 60_000 });

  async function customerOf(event: DomainEvent<'order.created' | 'order.status_changed' | 'order.cancelled'>): Promise<RecipientDoc> {
    const { customerId } = event.data;
    const recipient = await recipientById(customerId);
    // user.registered normally comes first; if not yet, fail so the event is retried later.
    if (!recipient) throw new Error(`recipient ${customerId} not known yet`);
    return recipient;
  }

  /** A status change: by email, and by SMS too when the customer gave a phone number. */
  async function statusChange(event: DomainEvent<'order.status_changed' | 'order.cancelled'>, delivery: Delivery) {
    const recipient = await customerOf(event);
    const message = orderStatusMessage(event.data, recipient);
    await notify(event, delivery, recipient, 'EMAIL', message);
    if (recipient.phone) await notify(event, delivery, recipient, 'SMS', message);
  }

  return {
    async 'user.registered'(event) {
      const { userId, email: address, name, locale, phone, marketingOptIn } = event.data;
      // A user registers once: another user.registered for a known id (forged) changes nothing.
      await recipients.updateOne(
        { _id: userId },
        { $setOnInsert: { email: address, name, locale, phone: phone ?? null, marketingOptIn } },
        { upsert: true },
      );
    },
    async 'user.preferences_changed'(event) {
      const { userId, revision, ...preferences } = event.data;
      const recipient = await recipients.findById(userId).lean<RecipientDoc>();
      // Its user.registered has not arrived yet: retried later, as for an order event.
      if (!recipient) throw new Error(`recipient ${userId} not known yet`);
      // Events may arrive out of order (a retried one after a newer one): the newest stands.
      const applied = recipient.preferencesRevision ?? 0;
      if (revision <= applied) return;
      // Compare-and-set: two deliveries at once cannot put an older revision back.
      const { modifiedCount } = await recipients.updateOne(
        { _id: userId, preferencesRevision: recipient.preferencesRevision ?? null },
        { $set: { ...preferences, preferencesRevision: revision } },
      );
      recipientById.forget(userId);
      if (!modifiedCount) throw new Error(`recipient ${userId} changed meanwhile; retried`);
    },
    async 'order.created'(event, delivery) {
      const recipient = await customerOf(event);
      await notify(event, delivery, recipient, 'EMAIL', orderCreatedMessage(event.data, recipient));
    },
    async 'order.status_changed'(event, delivery) {
      // A cancellation also publishes order.cancelled, which sends its own message.
      if (event.data.status !== 'CANCELLED') await statusChange(event, delivery);
    },
    'order.cancelled': statusChange,
    async 'promotion.created'(event, delivery) {
      for (const recipient of await recipients.find({ marketingOptIn: true }).lean<RecipientDoc[]>())
        await notify(event, delivery, recipient, 'EMAIL', promotionMessage(event.data, recipient));
    },
  };
}
