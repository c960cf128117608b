import { randomUUID } from 'node:crypto';
import { ConsumerStatus } from 'rabbitmq-client';
import { connectBroker, parseEvent, type Config, type EventData, type Logger } from '@shop/kernel';

/** One status change of an order, as `order.status_changed` tells it (`history`: every status so far, oldest first). */
export type OrderChange = Pick<EventData<'order.status_changed'>, 'orderId' | 'history'>;

type Listener = (change: OrderChange) => void;

/** The changes of one order from the moment it was watched, in the order they arrived. */
export interface OrderWatch {
  /** The next change; undefined once stopped. */
  next(): Promise<OrderChange | undefined>;
  stop(): void;
}

export interface OrderChangeFeed {
  watch(orderId: string): OrderWatch;
  /** How many watches are open, for /healthz: it falls back to 0 when clients leave. */
  watching(): number;
  stop(): Promise<void>;
}

/** An idle replica queue is deleted by the broker after this long (the replica is gone). */
const QUEUE_EXPIRES_MS = 60_000;

/**
 * Order changes for this router replica's subscribers. Every replica binds a queue of its own to
 * `order.status_changed`, so each replica gets every change once, whichever orders replica
 * published it, and hands it to its local subscribers of that order. The queue is durable and
 * not exclusive: a dropped connection or a broker restart loses nothing, since the replica
 * reconnects to the same queue; a replica that died leaves a queue the broker deletes once idle.
 */
export function orderChangeFeed(config: Config, logger: Logger): OrderChangeFeed {
  const broker = connectBroker({ ...config, serviceName: 'router-subscriptions' }, logger);
  const queue = `${config.queuePrefix}router.${randomUUID()}.order-changes`;
  const listeners = new Map<string, Set<Listener>>();

  const consumer = broker.connection.createConsumer(
    {
      queue,
      queueOptions: { durable: true, arguments: { 'x-expires': QUEUE_EXPIRES_MS } },
      qos: { prefetchCount: 100 },
      exchanges: [{ exchange: config.eventsExchange, type: 'topic', durable: true }],
      queueBindings: [{ exchange: config.eventsExchange, routingKey: 'order.status_changed' }],
    },
    async (msg) => {
      // Checked like every consumer's events; this feed has no dead letters, so a bad one is dropped.
      const { event, error } = parseEvent(msg.body, ['order.status_changed']);
      if (!event) {
        logger.warn({ messageId: msg.messageId, error }, 'order change refused by its schema, ignored');
        return ConsumerStatus.ACK;
      }
      const { orderId, history } = event.data;
      for (const listener of listeners.get(orderId) ?? []) listener({ orderId, history });
      return ConsumerStatus.ACK;
    },
  );
  consumer.on('error', (err) => logger.warn({ err, queue }, 'order change consumer error'));

  let watching = 0;
  return {
    watch(orderId) {
      // An order changes a few times in its life, so what waits here stays small.
      const backlog: OrderChange[] = [];
      let wake: ((change?: OrderChange) => void) | undefined;
      let stopped = false;
      const listener: Listener = (change) => (wake ? (wake(change), (wake = undefined)) : backlog.push(change));
      const set = listeners.get(orderId) ?? new Set();
      listeners.set(orderId, set.add(listener));
      watching++;
      return {
        next: () => (stopped || backlog.length ? Promise.resolve(backlog.shift()) : new Promise((resolve) => (wake = resolve))),
        stop() {
          if (stopped) return;
          stopped = true;
          backlog.length = 0;
          watching--;
          set.delete(listener);
          if (!set.size) listeners.delete(orderId);
          wake?.(undefined);
        },
      };
    },
    watching: () => watching,
    async stop() {
      await consumer.close();
      await broker.connection.queueDelete({ queue }).catch((err) => logger.warn({ err, queue }, 'queue not deleted; the broker drops it once idle'));
      await broker.close();
    },
  };
}
