import { runWorker, versionedCache } from '@shop/kernel';
import { notificationModel, recipientModel } from './data/notification-model';
import { NOTIFICATIONS_CACHE, recipientNotifications } from './data/recipient-notifications';
import { emailSender, smsSender } from './adapters/senders';
import { eventHandlers } from './events/handlers';

/** The notifications worker: consumes shop.events and sends messages. Bootstrap only. */
runWorker('notifications-worker', 'notifications', async ({ config, logger, models, redis, cachePrefix, broker }) => {
  const { notifications, recipients } = await models((db) => ({ notifications: notificationModel(db), recipients: recipientModel(db) }));
  const cache = versionedCache(redis(), await cachePrefix(NOTIFICATIONS_CACHE), logger, { name: NOTIFICATIONS_CACHE });
  const handlers = eventHandlers({
    notifications,
    shown: recipientNotifications(notifications, cache).changed,
    recipients,
    email: emailSender(config.smtpUrl, config.dataDir),
    sms: smsSender(config.dataDir),
    logger,
    leaseMs: config.notificationLeaseMs,
  });
  broker().consume('notifications.events', handlers, { delaysMs: config.retryDelaysMs });
});
