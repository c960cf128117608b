import { connectBroker, connectDatabase, createLogger, loadConfig, runService, syncIndexes } from '@shop/kernel';
import { notificationModel, recipientModel } from './data/notification-model';
import { createMailer } from './domain/mailer';
import { eventHandlers } from './events/handlers';

/** The notifications worker: consumes shop.events and sends messages. Bootstrap only. */
const config = loadConfig('notifications');
const logger = createLogger('notifications-worker');

runService(logger, async () => {
  const db = await connectDatabase(config);
  const notifications = notificationModel(db);
  const recipients = recipientModel(db);
  await syncIndexes(db);
  const handlers = eventHandlers({ notifications, recipients, mailer: createMailer(config.smtpUrl, config.dataDir), logger });
  const broker = connectBroker(config, logger);
  broker.consume('notifications.events', Object.keys(handlers), async (event) => {
    await handlers[event.type]?.(event);
  });
  logger.info('notifications worker consuming');
  return [broker.close, () => db.close()];
});
