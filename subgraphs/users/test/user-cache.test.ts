/** Users by id from memory, on the real database: one read per user, nothing for hostile ids. */
import { Types } from 'mongoose';
import { userCache } from '../src/data/user-cache';
import { userModel } from '../src/data/user-model';
import { testDatabase } from '../../../test/support/database';

it('reads a user once, keeps no hash in memory, and refuses an id that is not an id string before any filter', async () => {
  const { db, drop } = await testDatabase('user-cache');
  try {
    const users = userModel(db);
    const cache = userCache(users);
    const reads: unknown[] = [];
    db.set('debug', (_collection: string, _method: string, filter: unknown) => void reads.push(filter));
    const missing = new Types.ObjectId().toHexString();
    expect(await cache.byId(missing)).toBeNull();
    const created = await users.create({ _id: missing, email: 'ada@example.com', passwordHash: 'x'.repeat(60), name: 'Ada' });
    reads.length = 0;

    // Not found before does not mean not found now: a new account is read.
    const first = await cache.byId(missing);
    const again = await cache.byId(missing);
    expect([first?.name, again?.name, first?.email]).toEqual(['Ada', 'Ada', 'ada@example.com']);
    expect(first?.passwordHash).toBeUndefined();
    expect(first?.createdAt.toISOString()).toBe(created.createdAt.toISOString());
    expect(reads).toHaveLength(1);

    for (const hostile of [{ $nin: [] }, { $ne: null }, 'not-an-id', 42, null])
      await expect(cache.byId(hostile)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(reads).toHaveLength(1);
  } finally {
    await drop();
  }
});
