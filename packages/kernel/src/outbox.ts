import { Schema, type Model, type UpdateQuery } from 'mongoose';
import type { AnyDomainEvent } from './events';
import type { Broker } from './messaging';
import type { Logger } from './logger';
import { groupedWrites } from './grouped-writes';
import { op } from './mongo';
import { repeat } from './repeat';
import { outboxLag } from './telemetry/metrics';

/**
 * Transactional outbox without transactions: a document carries its pending events in an
 * `outbox` array written in the same single-document write as the change they describe.
 * The relay publishes each with confirms, then pulls it from the array. A crash in between
 * means it is published again later (at least once); consumers dedupe by event id.
 */
export const outboxField = {
  type: [new Schema({ id: String, type: String, version: Number, occurredAt: String, data: Schema.Types.Mixed }, { _id: false })],
  default: [],
};

export interface OutboxRelay {
  /**
   * Publishes what one document has pending, now (the fast path after a write); never throws.
   * The writer that just stored the events may pass them, which spares reading them back.
   */
  flush(docId: unknown, pending?: readonly AnyDomainEvent[]): Promise<void>;
  stop(): void;
}

/**
 * The relay publishes a document's events right after its write (flush). What could not go out
 * then (the broker was down) is retried every `retryEveryMs` by id, which FerretDB answers
 * without a scan. A full sweep for any document with pending events, a scan of the collection,
 * runs at start (a process that died before publishing left some) and every `sweepEveryMs` (a
 * replica that died and is not restarted left some), or 20 times as long as the last one took
 * if longer: the scan grows with the collection (orders: every order ever placed), and never
 * holds the service's one connection more than 5 % of the time.
 */
export function startOutboxRelay(
  model: Model<any>,
  broker: Broker,
  logger: Logger,
  { retryEveryMs = 5000, sweepEveryMs = 60_000 } = {},
): OutboxRelay {
  const failed = new Set<string>();
  // Under a burst, the pulls of many documents' events go as one command.
  const write = groupedWrites(model);

  async function publishPending(doc: { _id: unknown; outbox: readonly AnyDomainEvent[] }) {
    for (const event of doc.outbox) {
      await broker.publish(event);
      outboxLag.labels(event.type).observe((Date.now() - Date.parse(event.occurredAt)) / 1000);
      // Pulled by its whole stored value: FerretDB's $pull ignores a condition like { id }.
      const pull: UpdateQuery<{ outbox: AnyDomainEvent[] }> = { $pull: { outbox: event } };
      await write({ updateOne: { filter: { _id: doc._id }, update: pull } });
    }
  }

  async function flush(docId: unknown, pending?: readonly AnyDomainEvent[]) {
    const key = String(docId);
    try {
      const doc = pending ? { _id: docId, outbox: pending } : await model.findById(docId, { outbox: 1 }).lean();
      if (doc) await publishPending(doc as any);
      failed.delete(key);
    } catch (err) {
      if (!failed.has(key)) logger.warn({ err, docId: key }, 'outbox flush failed; retried shortly');
      failed.add(key);
    }
  }

  let busy = false;
  const exclusive = (task: () => Promise<void>) => async () => {
    if (busy) return;
    busy = true;
    try {
      await task();
    } catch (err) {
      logger.warn({ err, collection: model.collection.name }, 'outbox sweep failed; will retry');
    } finally {
      busy = false;
    }
  };
  const retry = exclusive(async () => {
    for (const id of [...failed]) await flush(id);
  });
  const sweep = exclusive(async () => {
    const docs = await model.find({ 'outbox.0': op({ $exists: true }) }, { _id: 1 }).limit(1000).lean();
    for (const doc of docs) await flush((doc as { _id: unknown })._id);
  });

  const logged = () => undefined; // exclusive() logs a failure
  const stops = [repeat(retryEveryMs, retry, logged), repeat(sweepEveryMs, sweep, logged, { now: true, maxShare: 0.05 })];
  return { flush, stop: () => stops.forEach((stop) => stop()) };
}
