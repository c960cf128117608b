import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { sanitizeFilters } from '@shop/kernel';

/** A database of its own on the test server, dropped by the returned function. */
/** One connection, as the services use it (see MONGO_POOL_SIZE). */
export async function testDatabase(label: string): Promise<{ db: Connection; drop(): Promise<void> }> {
  const db = mongoose.createConnection(process.env.MONGO_URL!, {
    dbName: `t_${label}_${randomBytes(4).toString('hex')}`,
    retryWrites: false,
    maxPoolSize: 1,
  });
  // As the services' connections do (connectDatabase), so tests meet the same filter rules.
  sanitizeFilters(db);
  await db.asPromise();
  return {
    db,
    async drop() {
      await db.dropDatabase();
      await db.close();
    },
  };
}
