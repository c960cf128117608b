import type { Model } from 'mongoose';
import { MAX_WRITES_PER_COMMAND } from './mongo';

/** One write, in the shape of mongoose's bulkWrite (cast by the model's schema, as updateOne would). */
export type GroupedWrite =
  | { insertOne: { document: Record<string, unknown> } }
  | { updateOne: { filter: Record<string, unknown>; update: Record<string, unknown>; upsert?: boolean } }
  | { deleteOne: { filter: Record<string, unknown> } };

/**
 * What a caller learns of its write. `matched`, for an update: whether its filter matched a
 * document when this write was applied; absent when its batch cannot tell (the batch's count
 * of matches falls short of its updates, or it has upserts): then read to know.
 */
export interface WriteOutcome {
  matched?: boolean;
}

interface Pending {
  write: GroupedWrite;
  resolve: (outcome: WriteOutcome) => void;
  reject: (err: unknown) => void;
  /** Sent alone: its batch failed as a whole, so each is tried on its own. */
  alone?: boolean;
}

/** A write by itself, through the model's own method: its error is the driver's own (isUnavailable knows it). */
async function writeAlone(model: Model<any>, write: GroupedWrite): Promise<WriteOutcome> {
  if ('insertOne' in write) await model.insertOne(write.insertOne.document);
  else if ('updateOne' in write) {
    const { matchedCount } = await model.updateOne(write.updateOne.filter, write.updateOne.update, { upsert: write.updateOne.upsert });
    return { matched: matchedCount > 0 };
  } else await model.deleteOne(write.deleteOne.filter);
  return {};
}

/** Each write's outcome in a batch applied whole: every update matched when the matches add up to the updates. */
function outcomesOf(batch: Pending[], matchedCount: number): WriteOutcome[] {
  const updates = batch.filter((p) => 'updateOne' in p.write);
  const known = !updates.some((p) => 'updateOne' in p.write && p.write.updateOne.upsert) && matchedCount === updates.length;
  return batch.map((p) => ('updateOne' in p.write && known ? { matched: true } : {}));
}

/**
 * Writes to one collection whose callers only need to know they are stored, sent as few
 * commands: while one command is on its way, the writes that arrive queue and go together as
 * the next bulkWrite (a group commit). A write with none before it goes at once, so a quiet
 * service waits no longer; under load many share one round trip, which costs the driver and
 * FerretDB about half as much per write (docs/benchmarks.md). In order, so two writes to one
 * document apply as they were made. A write that fails rejects alone: those after it in its
 * batch go in the next. A batch that fails as a whole (the connection dropped) is tried again
 * write by write, each getting its own error; a batch applied whose answer was lost is thus
 * applied twice, which the writes given here must bear (all are idempotent but learning's
 * counts, which may then count one order twice). So an update found not matched may have been
 * applied by its batch before: a caller that acts on `matched` reads to know.
 */
export function groupedWrites(model: Model<any>, maxBatch = MAX_WRITES_PER_COMMAND): (write: GroupedWrite) => Promise<WriteOutcome> {
  const queue: Pending[] = [];
  let sending = false;
  const together = () => {
    const alone = queue.findIndex((p) => p.alone);
    return Math.min(maxBatch, alone === -1 ? queue.length : alone);
  };

  async function send() {
    sending = true;
    while (queue.length) {
      const batch = queue[0].alone ? queue.splice(0, 1) : queue.splice(0, together());
      try {
        if (batch.length === 1) batch[0].resolve(await writeAlone(model, batch[0].write));
        else {
          const result = await model.bulkWrite(batch.map((p) => p.write) as Parameters<typeof model.bulkWrite>[0], { ordered: true });
          const outcomes = outcomesOf(batch, result.matchedCount);
          batch.forEach((p, i) => p.resolve(outcomes[i]));
        }
      } catch (err) {
        const failed = (err as { writeErrors?: { index: number; code?: number; errmsg?: string }[] }).writeErrors?.[0];
        if (batch.length === 1) batch[0].reject(err);
        else if (failed && batch[failed.index]) {
          // Ordered: the writes before the failed one are stored, those after it were not tried.
          batch.slice(0, failed.index).forEach((p) => p.resolve({}));
          batch[failed.index].reject(Object.assign(new Error(failed.errmsg ?? 'write failed'), { code: failed.code }));
          queue.unshift(...batch.slice(failed.index + 1));
        } else queue.unshift(...batch.map((p) => ({ ...p, alone: true })));
      }
    }
    sending = false;
  }

  return (write) =>
    new Promise<WriteOutcome>((resolve, reject) => {
      queue.push({ write, resolve, reject });
      if (!sending) void send();
    });
}
