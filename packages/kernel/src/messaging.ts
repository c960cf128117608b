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
  /**
   * Durable queue bound to the given routing keys. A message is acknowledged only after its
   * handler resolved; a failure goes to a retry queue and comes back after a growing delay;
   * after the last attempt, or if it is not an event at all, it goes to `<queue>.dead`.
   */
  consume(queue: keyof typeof EVENT_QUEUES, handler: EventHandler, options?: RetryOptions): void;
  close(): Promise<void>;
}

/**
 * Every queue that consumes domain events, with the routing keys it takes. Publishers declare
 * them too, before their first message, so an event published before its consumer first
 * started is queued, not dropped by an exchange with no queue bound yet.
 */
export const EVENT_QUEUES: Record<string, string[]> = {
  'notifications.events': ['user.registered', 'order.created', 'order.status_changed', 'order.cancelled', 'promotion.created'],
  'catalogue.popularity': ['order.created', 'order.cancelled'],
  'recommendations.learning': ['order.created', 'order.cancelled'],
};

/** Which delivery of an event this is: on the final one, a failure sends it to the dead letters. */
export interface Delivery {
  attempt: number;
  final: boolean;
}

export type EventHandler = (event: DomainEvent, delivery: Delivery) => Promise<void>;

export interface RetryOptions {
  /** Delay before each retry; a message is tried delays.length + 1 times in all. */
  delaysMs?: number[];
  prefetch?: number;
}

export const DEFAULT_RETRY_DELAYS_MS = [1000, 5000, 25_000, 60_000];
const ATTEMPT_HEADER = 'x-attempt';

/** The queues one consumer uses: its own, one per retry delay, and its dead letters. */
export const queueNames = (name: string, delays: number[] = DEFAULT_RETRY_DELAYS_MS) => ({
  main: name,
  retries: delays.map((_, i) => `${name}.retry.${i + 1}`),
  dead: `${name}.dead`,
});

/** The domain event in a message body; null when it is not one. */
export function parseEvent(body: unknown): DomainEvent | null {
  try {
    const event = (Buffer.isBuffer(body) ? JSON.parse(body.toString()) : typeof body === 'string' ? JSON.parse(body) : body) as DomainEvent;
    return event && typeof event.id === 'string' && typeof event.type === 'string' ? event : null;
  } catch {
    return null;
  }
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
      publisher ??= connection.createPublisher({
        confirm: true,
        maxAttempts: 3,
        exchanges: [exchange],
        queues: Object.keys(EVENT_QUEUES).map((q) => ({ queue: `${config.queuePrefix}${q}`, durable: true })),
        queueBindings: Object.entries(EVENT_QUEUES).flatMap(([q, keys]) =>
          keys.map((routingKey) => ({ queue: `${config.queuePrefix}${q}`, exchange: config.eventsExchange, routingKey })),
        ),
      });
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
    consume(queue, handler, options = {}) {
      const routingKeys = EVENT_QUEUES[queue];
      const delays = options.delaysMs ?? DEFAULT_RETRY_DELAYS_MS;
      const names = queueNames(`${config.queuePrefix}${queue}`, delays);
      // Each retry queue holds a message for its delay, then dead-letters it back to the main queue.
      const retryQueues = names.retries.map((name, i) => ({
        queue: name,
        durable: true,
        arguments: { 'x-message-ttl': delays[i], 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': names.main },
      }));
      const parking = connection.createPublisher({ confirm: true, queues: [...retryQueues, { queue: names.dead, durable: true }] });
      const consumer = connection.createConsumer(
        {
          queue: names.main,
          queueOptions: { durable: true },
          qos: { prefetchCount: options.prefetch ?? 20 },
          exchanges: [exchange],
          queueBindings: routingKeys.map((routingKey) => ({ exchange: config.eventsExchange, routingKey })),
        },
        async (msg: AsyncMessage) => {
          const attempt = Number(msg.headers?.[ATTEMPT_HEADER] ?? 0) + 1;
          const event = parseEvent(msg.body);
          let error: unknown = new Error('not a domain event');
          if (event) {
            try {
              await handler(event, { attempt, final: attempt > delays.length });
              return ConsumerStatus.ACK;
            } catch (err) {
              error = err;
            }
          }
          const dead = !event || attempt > delays.length;
          const target = dead ? names.dead : names.retries[attempt - 1];
          logger.warn({ err: error, eventId: event?.id, type: event?.type, attempt, to: target }, 'event handling failed');
          // Parked with confirms before the original is acknowledged: nothing is lost in between.
          await parking.send(
            { routingKey: target, durable: true, contentType: 'application/json', messageId: msg.messageId, headers: { [ATTEMPT_HEADER]: attempt, 'x-error': String((error as Error)?.message ?? error).slice(0, 500) } },
            msg.body,
          );
          return ConsumerStatus.ACK;
        },
      );
      consumer.on('error', (err) => logger.warn({ err, queue: names.main }, 'consumer error'));
      consumers.push(consumer, parking);
    },
    async close() {
      await Promise.all(consumers.map((c) => c.close()));
      await publisher?.close();
      await connection.close();
    },
  };
}
