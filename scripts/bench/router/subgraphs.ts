/**
 * The router bench's own subgraphs, in memory with deterministic data: products, reviews (with a
 * field that @requires the product's price and weight, and a mutation) and users. Each is
 * @apollo/subgraph's schema behind a bare node:http handler, so the subgraphs cost little and
 * the gateways' differences show. Run as a process, it starts all three on free ports and prints
 * their URLs as one JSON line.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

const PRODUCTS = Array.from({ length: 100 }, (_, i) => ({ upc: `p${i + 1}`, name: `Product ${i + 1}`, price: 100 + ((i * 37) % 900), weight: 1 + ((i * 13) % 50) }));
const USERS = Array.from({ length: 20 }, (_, i) => ({ id: `u${i + 1}`, name: `User ${i + 1}`, username: `user${i + 1}` }));
const reviewsOf = (upc: string) => {
  const n = Number(upc.slice(1));
  return [0, 1, 2].map((j) => ({ id: `r${n}-${j}`, body: `Review ${j + 1} of product ${n}`, author: { id: `u${((n * 3 + j) % 20) + 1}` } }));
};

export const SUBGRAPH_SDL = {
  products: `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
    type Query { topProducts(first: Int = 5): [Product!]! }
    type Product @key(fields: "upc") { upc: ID! name: String! price: Int! weight: Int! }`,
  reviews: `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
    type Product @key(fields: "upc") {
      upc: ID!
      price: Int! @external
      weight: Int! @external
      reviews: [Review!]!
      shippingEstimate: Int! @requires(fields: "price weight")
    }
    type Review { id: ID! body: String! author: User! }
    type User @key(fields: "id", resolvable: false) { id: ID! }
    type Mutation { addReview(upc: ID!, body: String!): Review! }`,
  users: `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { me: User }
    type User @key(fields: "id") { id: ID! name: String! username: String! }`,
};

const RESOLVERS = {
  products: {
    Query: { topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first) },
    Product: { __resolveReference: ({ upc }: { upc: string }) => PRODUCTS.find((p) => p.upc === upc) },
  },
  reviews: {
    Product: {
      reviews: ({ upc }: { upc: string }) => reviewsOf(upc),
      // Free above 500, else by weight: needs both fields from the products subgraph.
      shippingEstimate: ({ price, weight }: { price: number; weight: number }) => (price > 500 ? 0 : weight * 2),
    },
    // Nothing is stored: the same mutation gives the same answer, on every target and round.
    Mutation: { addReview: (_: unknown, { upc, body }: { upc: string; body: string }) => ({ id: `${upc}-new`, body, author: { id: 'u1' } }) },
  },
  users: {
    Query: { me: () => USERS[0] },
    User: { __resolveReference: ({ id }: { id: string }) => USERS.find((u) => u.id === id) },
  },
};

export type BenchSubgraph = keyof typeof SUBGRAPH_SDL;
export const BENCH_SUBGRAPHS = Object.keys(SUBGRAPH_SDL) as BenchSubgraph[];

/** The supergraph of the three, composed with @apollo/composition; URLs as given. */
export function composeBenchSupergraph(urls: Record<BenchSubgraph, string>): string {
  const result = composeServices(BENCH_SUBGRAPHS.map((name) => ({ name, url: urls[name], typeDefs: parse(SUBGRAPH_SDL[name]) })));
  if (result.errors?.length) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl!;
}

/** One subgraph on node:http: POST JSON, documents parsed and validated once. */
function serveSubgraph(schema: GraphQLSchema): http.Server {
  const documents = new Map<string, DocumentNode | readonly Error[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      let status = 200;
      let payload: unknown;
      try {
        const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString());
        let document = documents.get(query);
        if (!document) {
          const parsed = parse(query);
          const errors = validate(schema, parsed);
          documents.set(query, (document = errors.length ? errors : parsed));
        }
        payload = Array.isArray(document) ? { errors: document } : await execute({ schema, document: document as DocumentNode, variableValues: variables, operationName });
      } catch (err) {
        status = 400;
        payload = { errors: [{ message: (err as Error).message }] };
      }
      const body = JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  return server;
}

export async function startBenchSubgraphs(): Promise<{ urls: Record<BenchSubgraph, string>; close(): Promise<void> }> {
  const servers: http.Server[] = [];
  const urls = {} as Record<BenchSubgraph, string>;
  for (const name of BENCH_SUBGRAPHS) {
    const server = serveSubgraph(buildSubgraphSchema({ typeDefs: parse(SUBGRAPH_SDL[name]), resolvers: RESOLVERS[name] as any }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }
  return { urls, close: async () => void (await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))) };
}

if (require.main === module) {
  startBenchSubgraphs().then(({ urls }) => console.log(JSON.stringify(urls)));
  process.on('SIGTERM', () => process.exit(0));
}
