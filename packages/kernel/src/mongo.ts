import mongoose, { type Connection, type Model } from 'mongoose';
import type { Config } from './config';
import { StartupProblem } from './errors';
import { dbBusySeconds, dbCommands } from './telemetry/metrics';

/**
 * Every filter on `connection` takes client values as values, never as operators: mongoose's
 * sanitizeFilter wraps any object with `$` keys in `$eq` (so `{ id: { $nin: [] } }` from an
 * entity representation matches nothing and fails to cast), and refuses `$where` and the like.
 * Our own operators say so with `op(...)`.
 */
export function sanitizeFilters(connection: Connection): Connection {
  return connection.set('sanitizeFilter', true);
}

/** An operator object written in our code, e.g. `{ stock: op({ $gte: n }) }`; never wrap a client's value. */
export const op = <T extends object>(operator: T): T => mongoose.trusted(operator) as T;

// Mongoose keeps each query's call stack (a `new Error().stack`, formatted) to report a query
// run twice: a debugging aid that a profile put at 2 % of a busy service's CPU.
mongoose.set('skipOriginalStackTraces', true);

/** Each service owns one database on the shared server: `${dbPrefix}${serviceName}`. */
export async function connectDatabase(config: Config, name = config.serviceName): Promise<Connection> {
  const connection = mongoose.createConnection(config.mongoUrl, {
    dbName: `${config.dbPrefix}${name}`,
    serverSelectionTimeoutMS: 10_000,
    // FerretDB, like a standalone mongod, has no replica set, so no retryable writes.
    retryWrites: false,
    maxPoolSize: config.mongoPoolSize,
    monitorCommands: true,
  });
  sanitizeFilters(connection);
  measureCommands(connection);
  await connection.asPromise().catch((err) => {
    const where = config.mongoUrl.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
    throw new StartupProblem(`MongoDB is not reachable at MONGO_URL=${where} (${String(err?.message ?? err).split('\n')[0]})`);
  });
  return connection;
}

/** Counts the connection's commands, and the time it has one in flight (dbBusySeconds). */
function measureCommands(connection: Connection) {
  const client = connection.getClient();
  let inFlight = 0;
  let since = 0;
  const counters = new Map<string, ReturnType<typeof dbCommands.labels>>();
  client.on('commandStarted', ({ commandName }) => {
    let counter = counters.get(commandName);
    if (!counter) counters.set(commandName, (counter = dbCommands.labels(commandName)));
    counter.inc();
    if (inFlight++ === 0) since = performance.now();
  });
  const finished = () => {
    if (--inFlight === 0) dbBusySeconds.inc((performance.now() - since) / 1000);
  };
  client.on('commandSucceeded', finished);
  client.on('commandFailed', finished);
}

/** Creates every declared index, so a query never runs before the index it relies on. */
export async function syncIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(connection.models)) await model.createIndexes();
}

/**
 * The most writes one command carries. FerretDB 1.24 ran an update command's statements holding
 * each one's read open to the end, so one of 100 statements exhausted the database's connection
 * pool and waited forever (docs/ferretdb.md); our build mends it, and this bound keeps a stock
 * FerretDB, named by MONGO_URL, safe too.
 */
export const MAX_WRITES_PER_COMMAND = 50;

/** Sends `items` in chunks of MAX_WRITES_PER_COMMAND, one command after another (send makes each one's bulkWrite). */
export async function inWriteChunks<T>(items: readonly T[], send: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let from = 0; from < items.length; from += MAX_WRITES_PER_COMMAND) await send(items.slice(from, from + MAX_WRITES_PER_COMMAND));
}

export const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;

/**
 * One-off, at start: documents stored before a collection was keyed by `field` get that value as
 * their _id (FerretDB finds a document without a scan only by _id). Copied before the old one
 * is deleted, so a crash in between leaves a copy the next start finishes; the old unique index
 * on `field` goes first, since both copies hold the same value.
 */
export async function rekeyBy(model: Model<any>, field: string): Promise<number> {
  const old = await model.collection.find({ _id: { $type: 'objectId' } }).toArray();
  if (!old.length) return 0;
  await model.collection.dropIndex(`${field}_1`).catch(() => undefined); // absent already: fine
  for (const doc of old) {
    await model.collection.insertOne({ ...doc, _id: doc[field] }).catch((err) => {
      if (!isDuplicateKey(err)) throw err;
    });
    await model.collection.deleteOne({ _id: doc._id });
  }
  return old.length;
}
