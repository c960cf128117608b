/**
 * Two catalogue replicas on one database, the real RabbitMQ and Redis: a write on one reaches
 * the other's listing (read from the cache, where the writer stored it), and a burst of writes
 * is told in a few messages, not one each.
 */
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { Connection as Rabbit } from 'rabbitmq-client';
import { connectBroker, createLogger, loadConfig, type Broker } from '@shop/kernel';
import { isolatedEnv } from '../../../test/support/env';
import { testDatabase } from '../../../test/support/database';
import { eventually } from '../../../test/support/graphql';
import { productCache } from '../src/data/cache';
import { productChanges } from '../src/data/product-changes';
import { productIndex } from '../src/data/product-index';
import { productModel } from '../src/data/product-model';

const env = isolatedEnv('product-changes');
const config = loadConfig('catalogue-changes-test', env);
const logger = createLogger('test', 'silent');
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const brokers: Broker[] = [];

afterAll(async () => {
  for (const broker of brokers) await broker.close();
  const rabbit = new Rabbit(config.amqpUrl);
  await rabbit.exchangeDelete({ exchange: config.eventsExchange });
  await rabbit.close();
  redis.disconnect();
  rmSync(env.DATA_DIR, { recursive: true, force: true });
});

it("a replica's writes reach the other's listing, a burst of them in a few messages", async () => {
  const { db, drop } = await testDatabase('product_changes');
  try {
    const products = productModel(db);
    const docs = await products.create(
      Array.from({ length: 30 }, (_, i) => ({ sku: `PC-${i}`, name: `Teapot ${i}`, description: 'd', category: 'kitchen', priceCents: 1000 + i, stock: 10 })),
    );
    const replica = async () => {
      const broker = connectBroker(config, logger);
      brokers.push(broker);
      const cache = productCache(redis, `${env.REDIS_PREFIX}c:`, logger);
      const index = productIndex(products, cache);
      await index.loadAll();
      const changes = productChanges(cache, index, broker, logger);
      const followed = changes.follow();
      await followed.bound;
      return { broker, index, changes };
    };
    const [a, b] = [await replica(), await replica()];
    const published = jest.spyOn(a.broker, 'publish');
    const read = jest.spyOn(products, 'findById');

    // Each product's price changes on replica a; then the 30 writes tell it at once, as 30 concurrent orders would.
    const written = await Promise.all(docs.map((doc) => products.findByIdAndUpdate(doc._id, { $inc: { priceCents: 500, rev: 1 } }, { new: true }).lean()));
    await Promise.all(written.map((doc) => a.changes.changed([doc!])));
    const prices = (listing: typeof a.index.listing) => docs.map((doc) => listing.get(String(doc._id))?.priceCents);
    const expected = docs.map((_, i) => 1500 + i);
    expect(prices(a.index.listing)).toEqual(expected);
    await eventually(async () => (JSON.stringify(prices(b.index.listing)) === JSON.stringify(expected) ? true : undefined));
    // Every product told once, the ones changed while a message was on its way together in the next.
    const told = published.mock.calls.map(([event]) => (event.data as { productIds: string[] }).productIds);
    expect(told.flat().sort()).toEqual(docs.map((doc) => String(doc._id)).sort());
    expect(told.length).toBeLessThan(5);
    // Replica b read what a wrote from the cache, where a stored it: not one database read.
    expect(read).not.toHaveBeenCalled();
  } finally {
    await drop();
  }
});
