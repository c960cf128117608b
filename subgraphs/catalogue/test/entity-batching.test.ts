/**
 * Product references from other subgraphs are batched: N references, one database query; with
 * the product cache (real Redis), none for the products it holds, and never a stale one.
 */
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Connection } from 'mongoose';
import { loadSchema } from '@shop/kernel';
import { resolvers } from '../src/resolvers';
import { productModel, type ProductDoc, type ProductModel } from '../src/data/product-model';
import { productLoader } from '../src/data/product-loader';
import { productCache } from '../src/data/cache';
import { createLogger } from '@shop/kernel';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { testDatabase } from '../../../test/support/database';

let db: Connection;
let drop: () => Promise<void>;
let products: ProductModel;
const queries: string[] = [];

beforeAll(async () => {
  ({ db, drop } = await testDatabase('batching'));
  products = productModel(db);
  await products.init();
  await products.insertMany(
    Array.from({ length: 30 }, (_, i) => ({ sku: `B-${i}`, name: `Product ${i}`, description: 'd', category: 'c', priceCents: 100 + i, stock: i })),
  );
  db.set('debug', (collection: string, method: string) => void queries.push(`${collection}.${method}`));
});
afterAll(() => drop());

type Entity = { id: string; name: string; price: { cents: number }; stock: number } | null;

/** Resolves the references as the router would ask for them, with a fresh loader (one request). */
async function resolveReferences(ids: string[], loader: ReturnType<typeof productLoader>) {
  const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')), resolvers: resolvers as any }) });
  await server.start();
  queries.length = 0;
  const res = await server.executeOperation(
    { query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id name price { cents } stock } } }`, variables: { r: ids.map((id) => ({ __typename: 'Product', id })) } },
    { contextValue: { identity: null, isService: false, products, productById: loader } as any },
  );
  await server.stop();
  const body = res.body.kind === 'single' ? res.body.singleResult : undefined;
  expect(body?.errors).toBeUndefined();
  return { entities: body!.data!._entities as Entity[], queries: [...queries] };
}

it('resolves 30 Product references with one query', async () => {
  const ids = (await products.find({}, { _id: 1 }).lean()).map((p) => String(p._id));
  const { entities, queries: made } = await resolveReferences([...ids, '000000000000000000000000'], productLoader(products));
  expect(entities.slice(0, 30).map((e) => e!.id)).toEqual(ids);
  expect(entities[30]).toBeNull();
  expect(made).toEqual(['products.find']);
});

it('with the product cache: one query cold, none warm, and none after a write, which stores what it wrote', async () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `t:entities_${randomBytes(4).toString('hex')}:`;
  const cache = productCache(redis, prefix, createLogger('test', 'silent'));
  try {
    const ids = (await products.find({}, { _id: 1 }).lean()).map((p) => String(p._id));
    const cold = await resolveReferences(ids, productLoader(products, cache));
    expect(cold.queries).toEqual(['products.find']);
    const warm = await resolveReferences(ids, productLoader(products, cache));
    expect(warm.queries).toEqual([]);
    expect(warm.entities).toEqual(cold.entities);

    const written = await products.findByIdAndUpdate(ids[7], { $set: { priceCents: 4242 }, $inc: { rev: 1 } }, { new: true }).lean<ProductDoc>();
    await cache.productsWritten([written!]);
    const after = await resolveReferences(ids, productLoader(products, cache));
    expect(after.queries).toEqual([]);
    expect(after.entities[7]!.price.cents).toBe(4242);
    expect(after.entities.filter((_, i) => i !== 7)).toEqual(warm.entities.filter((_, i) => i !== 7));
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});
