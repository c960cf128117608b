/**
 * The query shapes this project relies on, proven against the database the tests run on
 * (FerretDB 1.24 on SQLite unless MONGO_URL names another server). What we learned:
 * - findOneAndUpdate with a condition is NOT atomic across connections on FerretDB 1.24 (it
 *   runs a query, then a separate update); through one connection, commands run one at a
 *   time, so each service keeps a single connection (MONGO_POOL_SIZE, default 1).
 * - Its lookups and writes by _id did not use the _id index (written `->'$._id'`, indexed as
 *   `->"_id"`): each read every document. Our build writes them as the index is.
 * - The SQLite backend looks a document up by _id only when the filter is _id alone
 *   (explain: filterPushdown); every other filter scans the collection, and sorts are done in
 *   memory. Our build patches it to look up by _id whenever the filter names one
 *   (scripts/ferretdb.ts), so conditional updates by _id no longer scan.
 * - $pull with a condition ({ $in: [...] }, or { id } on elements with other fields) silently
 *   changes nothing: pull one whole value at a time.
 * - findAndModify takes no projection.
 * - An update command kept every statement's read open until the command ended: at 100
 *   statements the database's connection pool ran dry and the command waited forever, stopping
 *   FerretDB for every client once a createIndexes queued behind it. Our build closes each
 *   statement's read (scripts/ferretdb.ts); our commands carry 50 writes at most
 *   (MAX_WRITES_PER_COMMAND), so a stock FerretDB named by MONGO_URL is safe too.
 */
import type { Collection, Connection } from 'mongoose';
import { testDatabase } from './support/database';

let db: Connection;
let drop: () => Promise<void>;
let c: Collection;
const isFerret = async () => !!(await db.db!.admin().command({ buildInfo: 1 })).ferretdbVersion;

beforeAll(async () => {
  ({ db, drop } = await testDatabase('shapes'));
  c = db.collection('shapes');
});
afterAll(() => drop());
beforeEach(() => c.deleteMany({}));

it('a conditional $inc with an array mark applies once per mark, and not past the condition', async () => {
  await c.insertOne({ _id: 'p' as never, stock: 3, marks: [] });
  const take = (mark: string) =>
    c.findOneAndUpdate({ _id: 'p' as never, stock: { $gte: 2 }, marks: { $ne: mark } }, { $inc: { stock: -2 }, $push: { marks: mark } } as never, { returnDocument: 'after' });
  expect((await take('a'))?.stock).toBe(1);
  expect(await take('a')).toBeNull();
  expect(await take('b')).toBeNull();
  const give = await c.updateOne({ _id: 'p' as never, marks: 'a' }, { $inc: { stock: 2 }, $pull: { marks: 'a' } } as never);
  expect(give.modifiedCount).toBe(1);
  expect(await c.findOne({ _id: 'p' as never })).toMatchObject({ stock: 3, marks: [] });
});

it('through one connection, 60 concurrent conditional decrements against a stock of 25 succeed exactly 25 times', async () => {
  await c.insertOne({ _id: 'q' as never, stock: 25 });
  const results = await Promise.all(
    Array.from({ length: 60 }, () => c.findOneAndUpdate({ _id: 'q' as never, stock: { $gte: 1 } }, { $inc: { stock: -1 } })),
  );
  expect(results.filter(Boolean)).toHaveLength(25);
  expect((await c.findOne({ _id: 'q' as never }))!.stock).toBe(0);
});

it('an upserting $inc with $addToSet $each returns the set after the update, each value once', async () => {
  const learn = (others: string[]) =>
    c.findOneAndUpdate({ _id: 'item' as never }, { $inc: { orders: 1 }, $addToSet: { boughtWith: { $each: others } } } as never, { upsert: true, returnDocument: 'after' });
  expect(await learn(['a', 'b'])).toMatchObject({ orders: 1, boughtWith: ['a', 'b'] });
  expect(await learn(['b', 'c'])).toMatchObject({ orders: 2, boughtWith: ['a', 'b', 'c'] });
});

it('a unique index refuses a duplicate with code 11000; compound indexes are created', async () => {
  await c.createIndex({ orderId: 1 }, { unique: true });
  await c.createIndex({ createdAt: -1, _id: -1 });
  await c.insertOne({ orderId: 'o1' });
  await expect(c.insertOne({ orderId: 'o1' })).rejects.toMatchObject({ code: 11000 });
  const names = (await c.listIndexes().toArray()).map((i) => i.name);
  expect(names).toEqual(expect.arrayContaining(['orderId_1', 'createdAt_-1__id_-1']));
});

it('keyset pagination with $or on (date, _id) walks every document once, ties included', async () => {
  const base = new Date('2026-01-01T00:00:00Z');
  await c.insertMany(Array.from({ length: 25 }, (_, i) => ({ _id: `d${String(i).padStart(2, '0')}` as never, createdAt: new Date(base.getTime() + Math.floor(i / 3) * 1000), kind: i % 2 })));
  const seen: string[] = [];
  let after: { createdAt: Date; _id: string } | undefined;
  for (;;) {
    const cursor = after && { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after._id } }] };
    const filter: Record<string, unknown> = cursor ? { $and: [{ kind: { $in: [0, 1] } }, cursor] } : {};
    const page = await c.find(filter).sort({ createdAt: -1, _id: -1 }).limit(4).toArray();
    if (!page.length) break;
    seen.push(...page.map((d) => String(d._id)));
    after = page.at(-1) as never;
  }
  expect(seen).toHaveLength(25);
  expect(new Set(seen).size).toBe(25);
});

it('$pull by value works; $pull with $in does not on FerretDB (so we pull one value at a time)', async () => {
  await c.insertOne({ _id: 'r' as never, outbox: [{ id: 'a' }, { id: 'b' }], marks: ['x', 'y', 'z'] });
  await c.updateOne({ _id: 'r' as never }, { $pull: { outbox: { id: 'a' } } } as never);
  const pulledIn = await c.updateOne({ _id: 'r' as never }, { $pull: { marks: { $in: ['x', 'z'] } } } as never);
  const doc = await c.findOne({ _id: 'r' as never });
  expect(doc!.outbox).toEqual([{ id: 'b' }]);
  if (await isFerret()) expect(pulledIn.modifiedCount).toBe(0);
  else expect(doc!.marks).toEqual(['y']);
});

it('$pullAll removes several values from an array in one update', async () => {
  await c.insertOne({ _id: 'm' as never, marks: ['a', 'b', 'c', 'd'] });
  await c.updateOne({ _id: 'm' as never }, { $pullAll: { marks: ['a', 'c', 'x'] } } as never);
  expect((await c.findOne({ _id: 'm' as never }))!.marks).toEqual(['b', 'd']);
});

it('$pull of an outbox event: by its whole stored value, since a condition on its id alone does nothing on FerretDB', async () => {
  const a = { id: 'a', type: 't', data: { n: 1 } };
  const b = { id: 'b', type: 't', data: { n: 2 } };
  await c.insertOne({ _id: 'o' as never, outbox: [a, b] });
  const byId = await c.updateOne({ _id: 'o' as never }, { $pull: { outbox: { id: 'a' } } } as never);
  if (await isFerret()) expect(byId.modifiedCount).toBe(0);
  await c.updateOne({ _id: 'o' as never }, { $pull: { outbox: b } } as never);
  expect((await c.findOne({ _id: 'o' as never }))!.outbox).toEqual((await isFerret()) ? [a] : []);
});

it("finds documents whose array is not empty with { 'outbox.0': { $exists: true } }", async () => {
  await c.insertMany([{ n: 1, outbox: [{ id: 'e' }] }, { n: 2, outbox: [] }]);
  expect((await c.find({ 'outbox.0': { $exists: true } }).toArray()).map((d) => d.n)).toEqual([1]);
});

it('an upserted $inc counter gives distinct consecutive values under concurrency (one connection)', async () => {
  const values = await Promise.all(
    Array.from({ length: 30 }, () => c.findOneAndUpdate({ _id: 'seq' as never }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' })),
  );
  expect(values.map((v) => v!.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
});

it('explain: our FerretDB looks up by _id, alone or with other conditions, and scans for anything else', async () => {
  if (!(await isFerret())) return;
  await c.insertOne({ _id: 'x' as never, category: 'books' });
  const pushed = async (filter: object) => ((await c.find(filter).explain()) as { filterPushdown?: boolean }).filterPushdown;
  expect(await pushed({ _id: 'x' })).toBe(true);
  expect(await pushed({ _id: 'x', category: 'books' })).toBe(true);
  expect(await pushed({ category: 'books' })).toBe(false);
  expect(await pushed({ _id: { $in: ['x'] } })).toBe(false);
  // And the lookup uses the _id index (our build writes it as the index is: scripts/ferretdb.ts), not a scan.
  const plan = async (filter: object) => JSON.stringify(((await c.find(filter).explain()) as { queryPlanner?: unknown }).queryPlanner);
  expect(await plan({ _id: 'x', category: 'books' })).toMatch(/SEARCH .* USING INDEX/);
  expect(await plan({ category: 'books' })).toMatch(/SCAN/);
});

it('a filter of _id with other conditions still applies every condition, in every command', async () => {
  await c.insertMany([{ _id: 'r1' as never, status: 'RESERVED', n: 1 }, { _id: 'r2' as never, status: 'RELEASED', n: 1 }]);
  expect(await c.findOne({ _id: 'r1' as never, status: 'RELEASED' })).toBeNull();
  expect(await c.countDocuments({ _id: 'r1' as never, status: 'RELEASED' })).toBe(0);
  expect((await c.updateOne({ _id: 'r1' as never, status: 'RELEASED' }, { $inc: { n: 1 } })).matchedCount).toBe(0);
  expect(await c.findOneAndUpdate({ _id: 'r1' as never, status: 'RELEASED' }, { $inc: { n: 1 } })).toBeNull();
  expect((await c.deleteOne({ _id: 'r1' as never, status: 'RELEASED' })).deletedCount).toBe(0);
  expect((await c.updateOne({ _id: 'r1' as never, status: 'RESERVED' }, { $inc: { n: 1 } })).modifiedCount).toBe(1);
  expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([
    { _id: 'r1', status: 'RESERVED', n: 2 },
    { _id: 'r2', status: 'RELEASED', n: 1 },
  ]);
});

it('aggregation with $match, $group, $sort and $limit', async () => {
  await c.insertMany([{ cat: 'a', n: 2 }, { cat: 'b', n: 5 }, { cat: 'a', n: 4 }]);
  const rows = await c.aggregate([{ $match: { n: { $gt: 1 } } }, { $group: { _id: '$cat', total: { $sum: '$n' } } }, { $sort: { total: -1 } }, { $limit: 1 }]).toArray();
  expect(rows).toEqual([{ _id: 'a', total: 6 }]);
});

it('a compare-and-set on a counter that older documents lack: null and $in [0, null] match the missing field', async () => {
  await c.insertMany([{ _id: 'old' as never }, { _id: 'new' as never, rev: 0 }, { _id: 'later' as never, rev: 3 }]);
  // users' preferences: revision 0 is either stored as 0 or absent.
  for (const id of ['old', 'new'])
    expect((await c.updateOne({ _id: id as never, rev: { $in: [0, null] } }, { $set: { rev: 1 } })).modifiedCount).toBe(1);
  expect((await c.updateOne({ _id: 'later' as never, rev: { $in: [0, null] } }, { $set: { rev: 1 } })).modifiedCount).toBe(0);
  // notifications' recipients: the revision applied so far, or null when none was.
  await c.insertOne({ _id: 'recipient' as never });
  expect((await c.updateOne({ _id: 'recipient' as never, rev: null }, { $set: { rev: 2 } })).modifiedCount).toBe(1);
  expect((await c.updateOne({ _id: 'recipient' as never, rev: null }, { $set: { rev: 5 } })).modifiedCount).toBe(0);
  expect((await c.updateOne({ _id: 'recipient' as never, rev: 2 }, { $set: { rev: 5 } })).modifiedCount).toBe(1);
});

it('an update command of 150 statements applies them all (FerretDB 1.24 held each statement open to the end: 100 of them waited forever)', async () => {
  await c.insertMany(Array.from({ length: 150 }, (_, i) => ({ _id: `u${i}` as never, n: 0 })));
  const result = await c.bulkWrite(
    Array.from({ length: 150 }, (_, i) => ({ updateOne: { filter: { _id: `u${i}` as never }, update: { $inc: { n: 1 } } } })),
    { ordered: true },
  );
  expect(result.matchedCount).toBe(150);
  expect(await c.countDocuments({ n: 1 })).toBe(150);
}, 20_000);
