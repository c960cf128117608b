import type { CounterModel } from '../data/order-model';

/**
 * Order numbers from one atomic counter, dense and unique across replicas. The checkouts that ask
 * while one increment is on its way share the next: one `$inc` by their count, and each takes
 * its number from the range it returns, in the order they asked (a group commit, as groupedWrites).
 */
export function orderNumbers(counters: CounterModel, name = 'orderNumber') {
  let waiting: { resolve: (n: number) => void; reject: (err: unknown) => void }[] = [];
  let busy = false;

  async function allocate() {
    busy = true;
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      try {
        const counter = await counters.findOneAndUpdate({ _id: name }, { $inc: { seq: batch.length } }, { upsert: true, new: true });
        const first = counter!.seq! - batch.length + 1;
        batch.forEach((w, i) => w.resolve(first + i));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    busy = false;
  }

  return (): Promise<number> =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      if (!busy) void allocate();
    });
}
