/** The shop's id and the cache generation on the real database (shop.ts). */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { cacheGeneration, loadConfig, renewCacheGeneration, scopedToShop, shopId } from '../src';
import { testDatabase } from '../../../test/support/database';

it('one shop id per database, the same for every process that asks at once, another for another database', async () => {
  const dbPrefix = `t_shop_${randomBytes(4).toString('hex')}_`;
  // Four processes starting together on a new database, each with its own connection.
  const connections = await Promise.all(
    [1, 2, 3, 4].map(() => mongoose.createConnection(process.env.MONGO_URL!, { dbName: `${dbPrefix}any`, retryWrites: false, maxPoolSize: 1 }).asPromise()),
  );
  try {
    const ids = await Promise.all(connections.map((c) => shopId(c, dbPrefix)));
    expect(ids[0]).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(1);
    expect(await shopId(connections[0], dbPrefix)).toBe(ids[0]); // kept
    const other = await shopId(connections[0], `${dbPrefix}other_`);
    expect(other).not.toBe(ids[0]);
    await connections[0].useDb(`${dbPrefix}other_shop`).dropDatabase();
  } finally {
    await connections[0].useDb(`${dbPrefix}shop`).dropDatabase();
    await Promise.all(connections.map((c) => c.close()));
  }
});

it('names Redis keys, the exchange and the queues after the shop', () => {
  const config = loadConfig('catalogue', { SERVICE_TOKEN: 'x'.repeat(32), REDIS_PREFIX: 'p:', QUEUE_PREFIX: 'q.', EVENTS_EXCHANGE: 'shop.events' });
  const scoped = scopedToShop(config, 'abc123def456');
  expect([scoped.shopId, scoped.redisPrefix, scoped.queuePrefix, scoped.eventsExchange]).toEqual(['abc123def456', 'p:abc123def456:', 'q.abc123def456.', 'shop.events.abc123def456']);
});

it('a cache generation is kept until renewed, and a renewal is a new one', async () => {
  const { db, drop } = await testDatabase('generation');
  try {
    const first = await cacheGeneration(db);
    expect(await cacheGeneration(db)).toBe(first);
    const renewed = await renewCacheGeneration(db);
    expect(renewed).not.toBe(first);
    expect(await cacheGeneration(db)).toBe(renewed);
  } finally {
    await drop();
  }
});
