/** Product references from other subgraphs are batched: N references, one database query. */
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Connection } from 'mongoose';
import { loadSchema } from '@shop/kernel';
import { resolvers } from '../src/resolvers';
import { productModel, type ProductModel } from '../src/data/product-model';
import { productLoader } from '../src/data/product-loader';
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

it('resolves 30 Product references with one query', async () => {
  const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: loadSchema(path.join(__dirname, '../schema.graphql')), resolvers: resolvers as any }) });
  await server.start();
  const ids = (await products.find({}, { _id: 1 }).lean()).map((p) => String(p._id));
  const representations = [...ids, '000000000000000000000000'].map((id) => ({ __typename: 'Product', id }));
  queries.length = 0;
  const res = await server.executeOperation(
    { query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id name price { cents } stock } } }`, variables: { r: representations } },
    { contextValue: { identity: null, isService: false, products, productById: productLoader(products) } as any },
  );
  await server.stop();
  const body = res.body.kind === 'single' ? res.body.singleResult : undefined;
  expect(body?.errors).toBeUndefined();
  const entities = body!.data!._entities as ({ id: string; name: string } | null)[];
  expect(entities.slice(0, 30).map((e) => e!.id)).toEqual(ids);
  expect(entities[30]).toBeNull();
  expect(queries).toEqual(['products.find']);
});
