import { isDuplicateKey, type DomainEvent, type Logger } from '@shop/kernel';
import type { NotificationModel, RecipientModel } from '../data/notification-model';
import type { Mailer } from '../domain/mailer';
import { orderCreatedMessage, type OrderEventData } from '../domain/templates';

interface Deps {
  notifications: NotificationModel;
  recipients: RecipientModel;
  mailer: Mailer;
  logger: Logger;
}

/** What the worker does with each event; a handler that throws leaves the message to be redelivered. */
export function eventHandlers({ notifications, recipients, mailer, logger }: Deps) {
  async function userRegistered(event: DomainEvent) {
    const { userId, email, name, locale, phone, marketingOptIn } = event.data as Record<string, string | boolean | null>;
    await recipients.updateOne(
      { _id: userId },
      { $set: { email, name, locale: locale ?? 'en', phone: phone ?? null, marketingOptIn: !!marketingOptIn } },
      { upsert: true },
    );
  }

  async function orderCreated(event: DomainEvent) {
    const order = event.data as unknown as OrderEventData & { customerId: string };
    const recipient = await recipients.findById(order.customerId);
    // user.registered comes first in practice; if not yet, fail so the event is redelivered.
    if (!recipient) throw new Error(`recipient ${order.customerId} not known yet`);
    const message = orderCreatedMessage(order, recipient);
    // Record first: the unique (event, recipient, channel) index makes a redelivery a no-op.
    let notification;
    try {
      notification = await notifications.create({
        eventId: event.id,
        recipientId: recipient._id,
        channel: 'EMAIL',
        kind: event.type,
        subject: message.subject,
        status: 'QUEUED',
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      notification = await notifications.findOne({ eventId: event.id, recipientId: recipient._id, channel: 'EMAIL' });
      if (notification?.status === 'SENT') return;
    }
    await mailer.send(recipient.email, message);
    await notifications.updateOne({ _id: notification!._id }, { $set: { status: 'SENT', sentAt: new Date() } });
    logger.info({ eventId: event.id, orderId: order.orderId }, 'order confirmation sent');
  }

  return { 'user.registered': userRegistered, 'order.created': orderCreated } as Record<string, (e: DomainEvent) => Promise<void>>;
}
