/**
 * Recommendations for N products cost the same number of database queries and catalogue
 * calls whatever N is: the database is real, the catalogue's answers are scripted and counted.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Connection } from 'mongoose';
import { createEvent, createLogger, loadSchema, versionedCache } from '@shop/kernel';
import { Redis } from 'ioredis';
import { resolvers } from '../src/resolvers';
import { learningModels, type LearningModels } from '../src/data/models';
import { learningLoaders } from '../src/data/loaders';
import { learner } from '../src/events/learn';
import { available, candidateLoaders, rankingOf, rankingsChangedBy } from '../src/domain/recommender';
import { testDatabase } from '../../../test/support/database';
import type { Stocked } from '../src/clients/catalogue';
import DataLoader from 'dataloader';

let db: Connection;
let drop: () => Promise<void>;
let models: LearningModels;
const queries: string[] = [];
const catalogueCalls: string[] = [];
/** Ids are ObjectIds, as in real order events. */
const p = (i: number) => String(i).padStart(24, '0');
const customer = (i: number) => String(i).padStart(24, 'c');
/** A product as the catalogue shows it, its price made from its id. */
const shown = (id: string): Stocked => ({ id, name: `Product ${id}`, price: { cents: 100 + parseInt(id.slice(-2), 36), currency: 'EUR' } });

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `t:recs_${randomBytes(4).toString('hex')}:`;
const cache = versionedCache(redis, prefix, createLogger('test', 'silent'));

/** An order of two products, as the orders subgraph publishes it. */
const orderOf = (number: number, customerId: string, a: string, b: string) =>
  createEvent('order.created', {
    orderId: p(1000 + number),
    number,
    customerId,
    status: 'CONFIRMED',
    items: [a, b].map((productId) => ({ productId, name: 'Teapot', quantity: 1, unitPriceCents: 1000 })),
    currency: 'EUR',
    subtotalCents: 2000,
    discountCents: 0,
    totalCents: 2000,
    promoCode: null,
    createdAt: new Date().toISOString(),
  });

beforeAll(async () => {
  ({ db, drop } = await testDatabase('recs'));
  models = learningModels(db);
  await Promise.all(Object.values(models).map((m) => m.init()));
  const learn = learner(models, async () => undefined)['order.created'];
  // 40 orders of pairs (p0,p1), (p1,p2), ... so every product has neighbours.
  for (let i = 0; i < 40; i++) await learn(orderOf(i + 1, customer(i % 5), p(i), p(i + 1)), { attempt: 1, final: false });
  db.set('debug', (collection: string, method: string) => void queries.push(`${collection}.${method}`));
});
afterAll(async () => {
  await drop();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

/** Drops the cached rankings of the first n products, as if an order had shifted them all. */
const shiftAll = (n: number) => cache.bump(Array.from({ length: n }, (_, i) => rankingOf.product(p(i))));

async function recommendationsFor(n: number, from = 0) {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')), resolvers: resolvers as any }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  queries.length = 0;
  catalogueCalls.length = 0;
  const recommender = {
    loaders: learningLoaders(models),
    histories: models.histories,
    topOfCategory: new DataLoader<string, string[]>(async (cats) => (catalogueCalls.push('category'), cats.map(() => ['q1', 'q2']))),
    stocked: new DataLoader<string, Stocked | null>(async (ids) => (catalogueCalls.push('stock'), ids.map((id) => (id !== p(5) ? shown(id) : null)))),
    popular: async () => (catalogueCalls.push('popular'), ['q1']),
  };
  const context = { identity: null, isService: false, ...recommender, candidates: candidateLoaders(recommender, cache) };
  const representations = Array.from({ length: n }, (_, i) => ({ __typename: 'Product', id: p(from + i), category: 'c' }));
  const res = await server.executeOperation(
    { query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { recommendations(first: 3) { id name price { cents currency } } } } }`, variables: { r: representations } },
    { contextValue: context as any },
  );
  await server.stop();
  const body = res.body.kind === 'single' ? res.body.singleResult : undefined;
  expect(body?.errors).toBeUndefined();
  return { data: body!.data!._entities as { recommendations: Stocked[] }[], queries: [...queries], calls: [...catalogueCalls] };
}

it('costs the same queries and calls for 3 products as for 30', async () => {
  const few = await recommendationsFor(3);
  await shiftAll(3); // cold again: orders shifted them
  const many = await recommendationsFor(30);
  expect(many.queries).toEqual(few.queries);
  expect(many.calls).toEqual(few.calls);
  expect(many.queries.length).toBeLessThanOrEqual(2);
  expect(many.calls).toEqual(['category', 'stock']);
});

it('reads no database and asks the catalogue only for stock once cached, until an order shifts the rankings', async () => {
  await shiftAll(30);
  const cold = await recommendationsFor(30);
  const warm = await recommendationsFor(30);
  expect(warm.queries).toEqual([]);
  expect(warm.calls).toEqual(['stock']);
  expect(warm.data).toEqual(cold.data);
  await shiftAll(30);
  expect((await recommendationsFor(30)).queries).toEqual(cold.queries);
});

it('an order ranks anew the products it bought and their neighbours, and no other', async () => {
  await shiftAll(30);
  await recommendationsFor(30);
  const learnt: string[][] = [];
  const learn = learner(models, async (changed) => {
    learnt.push(changed.products.sort());
    await cache.bump(rankingsChangedBy(changed));
  })['order.created'];
  await learn(orderOf(100, customer(1), p(20), p(21)), { attempt: 1, final: false });
  // Bought with p20 or p21 before: p19 and p22 (orders of neighbours in a chain).
  expect(learnt).toEqual([[p(19), p(20), p(21), p(22)]]);
  expect((await recommendationsFor(15)).queries).toEqual([]);
  expect((await recommendationsFor(4, 19)).queries.length).toBeGreaterThan(0);
  expect((await recommendationsFor(30)).queries).toEqual([]);
});

it('ranks learned neighbours first and leaves out what is not in stock', async () => {
  const { data } = await recommendationsFor(7);
  expect(data[3].recommendations.map((r) => r.id).slice(0, 2).sort()).toEqual([p(2), p(4)]);
  expect(data[4].recommendations.map((r) => r.id)).not.toContain(p(5));
  expect(data[4].recommendations.map((r) => r.id)).toContain(p(3));
  // Names and prices are the catalogue's, from the call that checked the stock (@provides).
  expect(data[4].recommendations).toEqual(data[4].recommendations.map((r) => shown(r.id)));
});

it('asks the catalogue about a few more candidates than it needs, and about the rest only when too few are in stock', async () => {
  const asked: string[][] = [];
  const stockOf = (outOfStock: Set<string>) => ({
    stocked: new DataLoader<string, Stocked | null>(async (ids) => (asked.push([...ids]), ids.map((id) => (outOfStock.has(id) ? null : shown(id))))),
  });
  const candidates = Array.from({ length: 40 }, (_, i) => p(i));
  expect(await available(stockOf(new Set()), candidates, 10)).toEqual(candidates.slice(0, 10).map(shown));
  expect(asked.map((ids) => ids.length)).toEqual([15]);
  asked.length = 0;
  // 8 of the first 15 sold out: the next ones are asked about, in one more call.
  const soldOut = new Set(candidates.slice(0, 8));
  expect(await available(stockOf(soldOut), candidates, 10)).toEqual(candidates.slice(8, 18).map(shown));
  expect(asked.map((ids) => ids.length)).toEqual([15, 25]);
});
