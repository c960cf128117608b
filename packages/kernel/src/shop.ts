import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Config } from './config';
import { isDuplicateKey } from './mongo';

/**
 * One shop per namespace. A shop is its databases; Redis and RabbitMQ may be shared with other
 * shops (a second data folder, staging beside production). So the shop's id, made once and kept
 * in its own database (`<DB_PREFIX>shop`), prefixes every Redis key and names its exchange and
 * queues: a new database is a new shop, and never reads another's cache or consumes its events.
 * Kept in the database, not in DATA_DIR, so it holds the same when containers share nothing but
 * MONGO_URL.
 */
const SHOP_DATABASE = 'shop';
const IDENTITY = 'shop';
const CACHE_GENERATION = 'cache-generation';

type Meta = { _id: string; id: string; at: Date };

const newId = () => randomBytes(6).toString('hex');

/** The value kept under `_id` in `collection`, made by whoever asks first (any process, any replica). */
async function keptOnce(db: Connection, collection: string, _id: string): Promise<string> {
  const meta = db.collection<Meta>(collection);
  for (;;) {
    const found = await meta.findOne({ _id });
    if (found) return found.id;
    try {
      await meta.insertOne({ _id, id: newId(), at: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // another process made it first: read theirs
    }
  }
}

/** The shop's id: read from its database, made on the first start. `db` is any connection to the shop's server. */
export function shopId(db: Connection, dbPrefix: string): Promise<string> {
  return keptOnce(db.useDb(`${dbPrefix}${SHOP_DATABASE}`, { useCache: true }), 'identity', IDENTITY);
}

/** The names a shop uses on shared Redis and RabbitMQ: the configured prefixes, then the shop's id. */
export function scopedToShop(config: Config, id: string): Config {
  return {
    ...config,
    shopId: id,
    redisPrefix: `${config.redisPrefix}${id}:`,
    queuePrefix: `${config.queuePrefix}${id}.`,
    eventsExchange: `${config.eventsExchange}.${id}`,
  };
}

/**
 * A cache cannot outlive the data that filled it: each service database keeps a generation id,
 * made with the database, and every cache key names it. A database made again (a new seed)
 * or restored from a backup gets a new generation (renewCacheGeneration, or
 * `npm run cache:new-generation` after a restore), so it never meets values cached from another.
 * Read at start: every process of the service must be restarted after a change.
 */
export const cacheGeneration = (db: Connection) => keptOnce(db, 'meta', CACHE_GENERATION);

export async function renewCacheGeneration(db: Connection): Promise<string> {
  const id = newId();
  await db.collection<Meta>('meta').replaceOne({ _id: CACHE_GENERATION }, { id, at: new Date() }, { upsert: true });
  return id;
}
