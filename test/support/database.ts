import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';

/** A database of its own on the test server, dropped by the returned function. */
export async function testDatabase(label: string): Promise<{ db: Connection; drop(): Promise<void> }> {
  const db = mongoose.createConnection(process.env.MONGO_URL!, {
    dbName: `t_${label}_${randomBytes(4).toString('hex')}`,
    retryWrites: false,
  });
  await db.asPromise();
  return {
    db,
    async drop() {
      await db.dropDatabase();
      await db.close();
    },
  };
}
