import { randomUUID } from 'node:crypto';
import { Connection, ConsumerStatus, type AsyncMessage, type Publisher } from 'rabbitmq-client';
import type { Config } from './config';
import { parseEvent, type AnyDomainEvent, type DomainEvent, type EventType } from './events';
import type { Logger } from './logger';
import { consumeTraced, publishTraced, traceHeaders, watchQueueDepth } from './telemetry/broker-telemetry';

export interface Broker {
  connection: Connection;
  /** Publishes with publisher confirms: resolves only once the broker has the message. */
  publish(event: AnyDomainEvent): Promise<void>;
  /**
   * Durable queue bound to the queue's event types, one handler per type. A message is
   * acknowledged only after its handler resolved; a failure goes to a retry queue and comes
   * back after a growing delay; after the last attempt it goes to `<queue>.dead`. A message
   * that is not an event of the queue's types by the catalogue's schemas never reaches a
   * handler: it goes to `<queue>.dead` at once, since retrying cannot fix it.
   */
  consume<Q extends EventQueue>(queue: Q, handlers: EventHandlers<Q>, options?: RetryOptions): void;
  /**
   * Events of `types` for this process alone: a queue of its own (`<name>.<uuid>`), so every
   * replica gets every such event once, whichever replica published it. Durable and not
   * exclusive, so a dropped connection loses nothing; once its replica is gone the broker
   * deletes it (x-expires). A message refused by its schema is logged and dropped: a replica's
   * queue has no dead letters. Closing deletes the queue.
   */
  follow<T extends EventType>(name: string, types: readonly T[], handle: (event: DomainEvent<T>) => void | Promise<void>): Followed;
  /**
   * Deletes a queue no consumer reads any more, with its retry and dead-letter queues: left
   * bound, it would keep every event it takes. Best effort: a failure is logged, and tried
   * again at the next start.
   */
  retire(queue: string): Promise<void>;
  close(): Promise<void>;
}

/** A replica's queue, from follow(). */
export interface Followed {
  /** Resolves once the queue is bound and consumed: events published before may not reach it. */
  bound: Promise<void>;
  close(): Promise<void>;
}

/** An idle replica queue is deleted by the broker after this long (its replica is gone). */
const REPLICA_QUEUE_EXPIRES_MS = 60_000;

/**
 * Every queue that consumes domain events, with the routing keys it takes. Publishers declare
 * them too, before their first message, so an event published before its consumer first
 * started is queued, not dropped by an exchange with no queue bound yet.
 */
export const EVENT_QUEUES = {
  'notifications.events': ['user.registered', 'user.preferences_changed', 'order.created', 'order.status_changed', 'order.cancelled', 'promotion.created'],
  'recommendations.learning': ['order.created', 'order.cancelled'],
} as const satisfies Record<string, readonly EventType[]>;

export type EventQueue = keyof typeof EVENT_QUEUES;
/** The event types a queue takes. */
export type QueueEventType<Q extends EventQueue> = (typeof EVENT_QUEUES)[Q][number];

/** Which delivery of an event this is: on the final one, a failure sends it to the dead letters. */
export interface Delivery {
  attempt: number;
  final: boolean;
}

export type EventHandler<T extends EventType> = (event: DomainEvent<T>, delivery: Delivery) => Promise<void>;
/** A handler for each event type the queue takes, given that type's event. */
export type EventHandlers<Q extends EventQueue> = { [T in QueueEventType<Q>]: EventHandler<T> };

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
      const confirming = publisher;
      await publishTraced(config.eventsExchange, event, (headers) =>
        confirming.send(
          {
            exchange: config.eventsExchange,
            routingKey: event.type,
            durable: true,
            contentType: 'application/json',
            messageId: event.id,
            headers,
          },
          event,
        ),
      );
    },
    consume(queue, handlers, options = {}) {
      // (TS widens EVENT_QUEUES[queue] to every queue's types; these are Q's.)
      const types = EVENT_QUEUES[queue] as readonly QueueEventType<typeof queue>[];
      const delays = options.delaysMs ?? DEFAULT_RETRY_DELAYS_MS;
      const names = queueNames(`${config.queuePrefix}${queue}`, delays);
      // Each retry queue holds a message for its delay, then dead-letters it back to the main queue.
      const retryQueues = names.retries.map((name, i) => ({
        queue: name,
        durable: true,
        arguments: { 'x-message-ttl': delays[i], 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': names.main },
      }));
      const parking = connection.createPublisher({ confirm: true, queues: [...retryQueues, { queue: names.dead, durable: true }] });
      // Parked with confirms before the original is acknowledged: nothing is lost in between.
      const park = (msg: AsyncMessage, target: string, attempt: number, error: string) =>
        parking.send(
          { routingKey: target, durable: true, contentType: 'application/json', messageId: msg.messageId, headers: { ...traceHeaders(msg.headers), [ATTEMPT_HEADER]: attempt, 'x-error': error.slice(0, 500) } },
          msg.body,
        );
      const consumer = connection.createConsumer(
        {
          queue: names.main,
          queueOptions: { durable: true },
          qos: { prefetchCount: options.prefetch ?? 20 },
          exchanges: [exchange],
          queueBindings: types.map((routingKey) => ({ exchange: config.eventsExchange, routingKey })),
        },
        async (msg: AsyncMessage) => {
          const attempt = Number(msg.headers?.[ATTEMPT_HEADER] ?? 0) + 1;
          const { event, error: invalid } = parseEvent(msg.body, types);
          if (!event) {
            logger.warn({ queue: names.main, messageId: msg.messageId, error: invalid }, 'event refused by its schema, dead-lettered');
            await park(msg, names.dead, attempt, `invalid event: ${invalid}`);
            return ConsumerStatus.ACK;
          }
          // parseEvent checked that the queue takes this type, so it has a handler.
          const handle = handlers[event.type] as EventHandler<typeof event.type>;
          // In the trace of the work that published the event (the request that placed an order).
          await consumeTraced(names.main, event, msg.headers, async () => {
            try {
              await handle(event, { attempt, final: attempt > delays.length });
              return 'ok';
            } catch (err) {
              const target = attempt > delays.length ? names.dead : names.retries[attempt - 1];
              logger.warn({ err, eventId: event.id, type: event.type, attempt, to: target }, 'event handling failed');
              await park(msg, target, attempt, String((err as Error)?.message ?? err));
              return target === names.dead ? 'dead' : 'retry';
            }
          });
          return ConsumerStatus.ACK;
        },
      );
      watchQueueDepth(connection, [names.main, ...names.retries, names.dead]);
      consumer.on('error', (err) => logger.warn({ err, queue: names.main }, 'consumer error'));
      consumers.push(consumer, parking);
    },
    follow(name, types, handle) {
      const queue = `${config.queuePrefix}${name}.${randomUUID()}`;
      const consumer = connection.createConsumer(
        {
          queue,
          queueOptions: { durable: true, arguments: { 'x-expires': REPLICA_QUEUE_EXPIRES_MS } },
          qos: { prefetchCount: 100 },
          exchanges: [exchange],
          queueBindings: types.map((routingKey) => ({ exchange: config.eventsExchange, routingKey })),
        },
        async (msg: AsyncMessage) => {
          const { event, error } = parseEvent(msg.body, types);
          if (!event) logger.warn({ queue, messageId: msg.messageId, error }, 'event refused by its schema, dropped');
          else await Promise.resolve(handle(event)).catch((err) => logger.warn({ err, queue, eventId: event.id }, 'event handling failed'));
          return ConsumerStatus.ACK;
        },
      );
      consumer.on('error', (err) => logger.warn({ err, queue }, 'consumer error'));
      let closed = false;
      const followed: Followed = {
        bound: new Promise((resolve) => consumer.once('ready', resolve)),
        async close() {
          if (closed) return;
          closed = true;
          await consumer.close();
          await connection.queueDelete({ queue }).catch((err) => logger.warn({ err, queue }, 'queue not deleted; the broker drops it once idle'));
        },
      };
      consumers.push(followed);
      return followed;
    },
    async retire(queue) {
      const { main, retries, dead } = queueNames(`${config.queuePrefix}${queue}`);
      for (const name of [main, ...retries, dead])
        await connection.queueDelete({ queue: name }).catch((err) => logger.warn({ err, queue: name }, 'retired queue not deleted; tried again at the next start'));
    },
    async close() {
      await Promise.all(consumers.map((c) => c.close()));
      await publisher?.close();
      await connection.close();
    },
  };
}
