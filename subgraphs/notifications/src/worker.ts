import { connectBroker, connectDatabase, createLogger, loadConfig, runService, syncIndexes } from '@shop/kernel';
import { notificationModel, recipientModel } from './data/notification-model';
import { emailSender, smsSender } from './domain/senders';
import { eventHandlers } from './events/handlers';

/** The notifications worker: consumes shop.events and sends messages. Bootstrap only. */
const config = loadConfig('notifications');

/** RETRY_DELAYS_MS=1000,5000,... overrides the kernel's delays (tests use short ones). */
const retryDelays = () => process.env.RETRY_DELAYS_MS?.split(',').map(Number);
const logger = createLogger('notifications-worker');

runService(logger, async () => {
  const db = await connectDatabase(config);
  const notifications = notificationModel(db);
  const recipients = recipientModel(db);
  await syncIndexes(db);
  const handlers = eventHandlers({
    notifications,
    recipients,
    email: emailSender(config.smtpUrl, config.dataDir),
    sms: smsSender(config.dataDir),
    logger,
    leaseMs: Number(process.env.NOTIFICATION_LEASE_MS ?? 30_000),
  });
  const broker = connectBroker(config, logger);
  broker.consume('notifications.events', handlers, { delaysMs: retryDelays() });
  logger.info('notifications worker consuming');
  return [broker.close, () => db.close()];
});
