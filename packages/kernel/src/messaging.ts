import { randomUUID } from 'node:crypto';
import { Connection, ConsumerStatus, type AsyncMessage, type Publisher } from 'rabbitmq-client';
import type { Config } from './config';
import type { Logger } from './logger';

/** The envelope of every domain event on `shop.events` (contract: "Events"). */
export interface DomainEvent<T = Record<string, unknown>> {
  id: string;
  type: string;
  occurredAt: string;
  data: T;
}

export function createEvent<T>(type: string, data: T): DomainEvent<T> {
  return { id: randomUUID(), type, occurredAt: new Date().toISOString(), data };
}

export interface Broker {
  connection: Connection;
  /** Publishes with publisher confirms: resolves only once the broker has the message. */
  publish(event: DomainEvent<unknown>): Promise<void>;
  /** Durable queue bound to the given routing keys, manual ack after the handler resolves. */
  consume(queue: string, routingKeys: string[], handler: (event: DomainEvent) => Promise<void>): void;
  close(): Promise<void>;
}

export function connectBroker(config: Config, logger: Logger): Broker {
  // Reconnect within seconds, not the default 30 s, so pending events flow soon after an outage.
  const connection = new Connection({ url: config.amqpUrl, connectionName: config.serviceName, retryLow: 500, retryHigh: 3000 });
  connection.on('error', (err) => logger.warn({ err }, 'rabbitmq connection error'));
  const exchange = { exchange: config.eventsExchange, type: 'topic', durable: true };
  let publisher: Publisher | undefined;
  const consumers: { close(): Promise<void> }[] = [];

  return {
    connection,
    async publish(event) {
      publisher ??= connection.createPublisher({ confirm: true, maxAttempts: 3, exchanges: [exchange] });
      await publisher.send(
        {
          exchange: config.eventsExchange,
          routingKey: event.type,
          durable: true,
          contentType: 'application/json',
          messageId: event.id,
        },
        event,
      );
    },
    consume(queue, routingKeys, handler) {
      const name = `${config.queuePrefix}${queue}`;
      const consumer = connection.createConsumer(
        {
          queue: name,
          queueOptions: { durable: true },
          qos: { prefetchCount: 20 },
          exchanges: [exchange],
          queueBindings: routingKeys.map((routingKey) => ({ exchange: config.eventsExchange, routingKey })),
        },
        async (msg: AsyncMessage) => {
          const event = (Buffer.isBuffer(msg.body) ? JSON.parse(msg.body.toString()) : msg.body) as DomainEvent;
          try {
            await handler(event);
            return ConsumerStatus.ACK;
          } catch (err) {
            logger.warn({ err, eventId: event.id, type: event.type, queue: name }, 'event handling failed; requeued');
            await new Promise((r) => setTimeout(r, 500));
            return ConsumerStatus.REQUEUE;
          }
        },
      );
      consumer.on('error', (err) => logger.warn({ err, queue: name }, 'consumer error'));
      consumers.push(consumer);
    },
    async close() {
      await Promise.all(consumers.map((c) => c.close()));
      await publisher?.close();
      await connection.close();
    },
  };
}
