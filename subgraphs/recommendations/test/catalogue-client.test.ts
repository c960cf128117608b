/**
 * The recommender's catalogue client against real Redis: stock, names and prices come from the
 * catalogue's published product cache, and only what it lacks from a call to the catalogue.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger, productVersionName, publishedCacheKey, versionedCache, versionedCacheReader, type ServiceCall } from '@shop/kernel';
import { catalogueClient } from '../src/clients/catalogue';
import { eventually } from '../../../test/support/graphql';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `t:recs_cat_${randomBytes(4).toString('hex')}:`;
const key = publishedCacheKey(prefix, 'catalogue');
/** The catalogue's side: its product cache, published as the catalogue publishes it. */
const owner = versionedCache(redis, `${prefix}catalogue:gen:`, createLogger('test', 'silent'));
const product = (id: string, stock: number, priceCents = 1000) => ({ _id: id, sku: id, name: `Product ${id}`, priceCents, currency: 'EUR', stock, rev: 1 });
const ids = ['a1', 'a2', 'a3'];

/** The catalogue's answers to the client's entity calls, scripted, and the ids each call asked for. */
const asked: string[][] = [];
const inCatalogue = new Map(ids.map((id) => [id, product(id, 5)]));
const call = (async (_query: string, variables: { r: { id: string }[] }) => {
  asked.push(variables.r.map((r) => r.id));
  return {
    _entities: variables.r.map(({ id }) => {
      const p = inCatalogue.get(id);
      return p ? { id, name: p.name, price: { cents: p.priceCents, currency: p.currency }, stock: p.stock } : null;
    }),
  };
}) as unknown as ServiceCall;
const client = catalogueClient(call, versionedCacheReader(redis, key));
const stocked = (...wanted: string[]) => client.stocked().loadMany(wanted);

beforeAll(async () => {
  owner.publish(key);
  await eventually(async () => ((await redis.get(key)) ? true : undefined));
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});
beforeEach(() => void (asked.length = 0));

it('asks the catalogue only about the products its cache lacks', async () => {
  await owner.written([{ name: productVersionName('a1'), args: 'a1', revision: 1, value: product('a1', 3, 1250) }]);
  expect(await stocked('a1', 'a2', 'missing')).toEqual([
    { id: 'a1', name: 'Product a1', price: { cents: 1250, currency: 'EUR' } },
    { id: 'a2', name: 'Product a2', price: { cents: 1000, currency: 'EUR' } },
    null,
  ]);
  expect(asked).toEqual([['a2', 'missing']]);
});

it('shows the price and stock of the latest write at once: a price change, then a sell-out', async () => {
  await owner.written([{ name: productVersionName('a3'), args: 'a3', revision: 2, value: product('a3', 1, 900) }]);
  expect(await stocked('a3')).toEqual([{ id: 'a3', name: 'Product a3', price: { cents: 900, currency: 'EUR' } }]);
  await owner.written([{ name: productVersionName('a3'), args: 'a3', revision: 3, value: product('a3', 0, 900) }]);
  expect(await stocked('a3')).toEqual([null]);
  expect(asked).toEqual([]);
});

it('asks the catalogue about everything when nothing is published (Redis emptied) or Redis fails', async () => {
  await redis.del(key);
  expect(await stocked('a1', 'a3')).toEqual([{ id: 'a1', name: 'Product a1', price: { cents: 1000, currency: 'EUR' } }, { id: 'a3', name: 'Product a3', price: { cents: 1000, currency: 'EUR' } }]);
  const unreachable = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  unreachable.on('error', () => undefined);
  const offline = catalogueClient(call, versionedCacheReader(unreachable, key));
  expect(await offline.stocked().loadMany(['a2'])).toEqual([{ id: 'a2', name: 'Product a2', price: { cents: 1000, currency: 'EUR' } }]);
  expect(asked).toEqual([['a1', 'a3'], ['a2']]);
  unreachable.disconnect();
});

it("takes what a ranking's read fetched from the cache (prefetchInto), reading only the rest", async () => {
  await redis.set(key, `${prefix}catalogue:gen:`); // published again (the test before emptied it)
  await owner.written([{ name: productVersionName('a1'), args: 'a1', revision: 5, value: product('a1', 2, 1100) }]);
  await owner.written([{ name: productVersionName('a2'), args: 'a2', revision: 5, value: product('a2', 0, 1100) }]);
  await owner.written([{ name: productVersionName('a3'), args: 'a3', revision: 5, value: product('a3', 7, 1300) }]);
  const reader = versionedCacheReader(redis, key);
  const lookups: string[][] = [];
  const counted = catalogueClient(call, { ...reader, lookup: (names, args) => (lookups.push(args), reader.lookup(names, args)) });
  const rankings = versionedCache(redis, `${prefix}recommendations:`, createLogger('test', 'silent'));
  const ranking = () => rankings.readMany<string[]>('ranking', ['p'], async () => [['a1', 'a2', 'a3']], counted.prefetchInto(loader)(2));
  const loader = counted.stocked();
  await ranking(); // a miss: filled, nothing followed
  await eventually(async () => ((await redis.keys(`${prefix}recommendations:c:*`)).length ? true : undefined));
  await ranking();
  // a1 and a2 came with the ranking (a2 sold out: not shown); a3, beyond the first 2, is read from the cache alone.
  expect(await loader.loadMany(['a1', 'a2', 'a3'])).toEqual([
    { id: 'a1', name: 'Product a1', price: { cents: 1100, currency: 'EUR' } },
    null,
    { id: 'a3', name: 'Product a3', price: { cents: 1300, currency: 'EUR' } },
  ]);
  expect(lookups).toEqual([['a3']]);
  expect(asked).toEqual([]);
});
