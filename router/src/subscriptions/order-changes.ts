import { connectBroker, type Config, type EventData, type Logger } from '@shop/kernel';

/** One status change of an order, as `order.status_changed` tells it (`history`: every status so far, oldest first). */
export type OrderChange = Pick<EventData<'order.status_changed'>, 'orderId' | 'history'>;

type Listener = (change: OrderChange) => void;

/** The changes of one order from the moment it was watched, in the order they arrived. */
export interface OrderWatch {
  /** The next change; undefined once stopped. */
  next(): Promise<OrderChange | undefined>;
  /** Its subscriber is set up (the order checked, what it has seen known): watching() counts it from now on. */
  ready(): void;
  stop(): void;
}

export interface OrderChangeFeed {
  watch(orderId: string): OrderWatch;
  /**
   * How many watches are open and ready, for /healthz: a subscription counts once it is set up,
   * so a change made after it shows up is delivered; it falls back to 0 when clients leave.
   */
  watching(): number;
  /**
   * Whether this replica's queue has been bound once, for /readyz: a change published before
   * would never reach its subscribers. A later broker outage does not unset it (the durable
   * queue keeps the changes meanwhile).
   */
  bound(): boolean;
  stop(): Promise<void>;
}

/**
 * Order changes for this router replica's subscribers: `order.status_changed` on a queue of this
 * replica's own (the broker's follow), so each replica gets every change once, whichever orders
 * replica published it, and hands it to its local subscribers of that order.
 */
export function orderChangeFeed(config: Config, logger: Logger): OrderChangeFeed {
  const broker = connectBroker({ ...config, serviceName: 'router-subscriptions' }, logger);
  const listeners = new Map<string, Set<Listener>>();

  const followed = broker.follow('router.order-changes', ['order.status_changed'], (event) => {
    const { orderId, history } = event.data;
    for (const listener of listeners.get(orderId) ?? []) listener({ orderId, history });
  });

  let bound = false;
  void followed.bound.then(() => (bound = true));
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
      let counted = false;
      return {
        next: () => (stopped || backlog.length ? Promise.resolve(backlog.shift()) : new Promise((resolve) => (wake = resolve))),
        ready() {
          if (stopped || counted) return;
          counted = true;
          watching++;
        },
        stop() {
          if (stopped) return;
          stopped = true;
          backlog.length = 0;
          if (counted) watching--;
          set.delete(listener);
          if (!set.size) listeners.delete(orderId);
          wake?.(undefined);
        },
      };
    },
    watching: () => watching,
    bound: () => bound,
    async stop() {
      await followed.close();
      await broker.close();
    },
  };
}
