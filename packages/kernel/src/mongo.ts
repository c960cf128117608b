import mongoose, { type Connection } from 'mongoose';
import type { Config } from './config';

/** Each service owns one database on the shared server: `${dbPrefix}${serviceName}`. */
export async function connectDatabase(config: Config, name = config.serviceName): Promise<Connection> {
  const connection = mongoose.createConnection(config.mongoUrl, {
    dbName: `${config.dbPrefix}${name}`,
    serverSelectionTimeoutMS: 10_000,
    // FerretDB, like a standalone mongod, has no replica set, so no retryable writes.
    retryWrites: false,
    maxPoolSize: config.mongoPoolSize,
  });
  await connection.asPromise();
  return connection;
}

/** Creates every declared index, so a query never runs before the index it relies on. */
export async function syncIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(connection.models)) await model.createIndexes();
}

export const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;
