/** groupedWrites on the real database: concurrent writes share commands, stay in order, and fail alone. */
import { Schema } from 'mongoose';
import { groupedWrites, isDuplicateKey } from '../src';
import { testDatabase } from '../../../test/support/database';

const counterSchema = new Schema({ _id: String, n: { type: Number, default: 0 }, last: Number }, { versionKey: false });

it('sends writes made while one is on its way as one command, each stored once and in order', async () => {
  const { db, drop } = await testDatabase('grouped');
  try {
    const counters = db.model('Counter', counterSchema, 'counters');
    const [bulk, update] = [jest.spyOn(counters, 'bulkWrite'), jest.spyOn(counters, 'updateOne')];
    const write = groupedWrites(counters);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        write({ updateOne: { filter: { _id: ids[i % 5] }, update: { $inc: { n: 1 }, $set: { last: i } }, upsert: true } }),
      ),
    );
    const stored = await counters.find().sort({ _id: 1 }).lean();
    // Every write counted once; the last write to each document is the one that stands.
    expect(stored).toEqual(ids.map((_id, k) => ({ _id, n: 20, last: 95 + k })));
    // The first went alone (updateOne), the other 99 behind it in commands of 50 at most (MAX_WRITES_PER_COMMAND).
    expect(update).toHaveBeenCalledTimes(1);
    expect(bulk.mock.calls.map(([writes]) => writes.length)).toEqual([50, 49]);

    // Alone, a write goes at once, by the model's own method.
    await write({ deleteOne: { filter: { _id: 'a' } } });
    expect(bulk).toHaveBeenCalledTimes(2);
    expect(await counters.exists({ _id: 'a' })).toBeNull();
  } finally {
    await drop();
  }
});

it('rejects only the write that failed; those before and after it in its batch are stored', async () => {
  const { db, drop } = await testDatabase('grouped');
  try {
    const counters = db.model('Counter', counterSchema, 'counters');
    await counters.create({ _id: 'taken' });
    const write = groupedWrites(counters);
    const insert = (_id: string) => write({ insertOne: { document: { _id, n: 1 } } });
    const outcomes = await Promise.allSettled(['x1', 'x2', 'taken', 'x3', 'x4'].map(insert));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(isDuplicateKey((outcomes[2] as PromiseRejectedResult).reason)).toBe(true);
    expect((await counters.find().sort({ _id: 1 }).lean()).map((c) => [c._id, c.n])).toEqual([
      ['taken', 0],
      ['x1', 1],
      ['x2', 1],
      ['x3', 1],
      ['x4', 1],
    ]);
  } finally {
    await drop();
  }
});

it('a write its schema cannot cast fails alone too, as does one whose batch failed as a whole', async () => {
  const { db, drop } = await testDatabase('grouped');
  try {
    const counters = db.model('Counter', counterSchema, 'counters');
    const write = groupedWrites(counters);
    const set = (_id: string, n: unknown) => write({ updateOne: { filter: { _id }, update: { $set: { n } }, upsert: true } });
    const outcomes = await Promise.allSettled([set('y1', 1), set('y2', 2), set('y3', 'not a number'), set('y4', 4)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await counters.find().sort({ _id: 1 }).lean()).map((c) => [c._id, c.n])).toEqual([
      ['y1', 1],
      ['y2', 2],
      ['y4', 4],
    ]);
  } finally {
    await drop();
  }
});

it("tells an update whether its filter matched: alone always, in a batch when every update of the batch matched", async () => {
  const { db, drop } = await testDatabase('grouped');
  try {
    const counters = db.model('Counter', counterSchema, 'counters');
    await counters.insertMany([{ _id: 'm1' }, { _id: 'm2' }, { _id: 'm3' }]);
    const write = groupedWrites(counters);
    const bump = (_id: string) => write({ updateOne: { filter: { _id }, update: { $inc: { n: 1 } } } });
    // The first goes alone; the others queue behind it and go together.
    expect(await Promise.all([bump('m1'), bump('m2'), bump('m3')])).toEqual([{ matched: true }, { matched: true }, { matched: true }]);
    expect(await Promise.all([bump('m1'), bump('m2'), bump('none')])).toEqual([{ matched: true }, {}, {}]);
    expect(await bump('none')).toEqual({ matched: false });
    expect((await counters.find().sort({ _id: 1 }).lean()).map((c) => c.n)).toEqual([2, 2, 1]);
  } finally {
    await drop();
  }
});
