import { Schema, type Model } from 'mongoose';
import type { AnyDomainEvent } from './events';
import type { Broker } from './messaging';
import type { Logger } from './logger';

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
  /** Publishes what one document has pending, now (the fast path after a write). */
  flush(docId: unknown): Promise<void>;
  stop(): void;
}

export function startOutboxRelay(
  model: Model<any>,
  broker: Broker,
  logger: Logger,
  sweepEveryMs = 5000,
): OutboxRelay {
  async function publishPending(doc: { _id: unknown; outbox: AnyDomainEvent[] }) {
    for (const event of doc.outbox) {
      await broker.publish(event);
      // Pulled by its whole stored value: FerretDB's $pull ignores a condition like { id }.
      await model.updateOne({ _id: doc._id }, { $pull: { outbox: event } });
    }
  }

  let sweeping = false;
  async function sweep() {
    if (sweeping) return;
    sweeping = true;
    try {
      const docs = await model.find({ 'outbox.0': { $exists: true } }, { outbox: 1 }).limit(100).lean();
      for (const doc of docs) await publishPending(doc as any);
    } catch (err) {
      logger.warn({ err, collection: model.collection.name }, 'outbox sweep failed; will retry');
    } finally {
      sweeping = false;
    }
  }

  const timer = setInterval(sweep, sweepEveryMs);
  timer.unref();
  void sweep();

  return {
    async flush(docId) {
      try {
        const doc = await model.findById(docId, { outbox: 1 }).lean();
        if (doc) await publishPending(doc as any);
      } catch (err) {
        // The sweep will pick it up once the broker is back.
        logger.warn({ err, docId }, 'outbox flush failed; left for the sweep');
      }
    },
    stop: () => clearInterval(timer),
  };
}
