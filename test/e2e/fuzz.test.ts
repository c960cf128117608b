/**
 * Operations generated from the public API schema (router/supergraph.graphql), valid and
 * near-valid, sent through the real router for a bounded time (FUZZ_SECONDS, 30 by default):
 * no 5xx, no internal error or stack trace in any answer, no process down at the end.
 * A failure prints fast-check's seed and path; FUZZ_SEED=<seed> FUZZ_PATH=<path> replays it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import fc from 'fast-check';
import { PROJECT_ROOT } from '@shop/kernel';
import type { Stack } from '../../scripts/stack';
import { call, unclean } from '../support/client-view';
import { gql } from '../support/graphql';
import { operationArbitrary } from '../support/operation-arbitrary';
import { startTestStack } from '../support/stack';

const FUZZ_MS = Number(process.env.FUZZ_SECONDS ?? 30) * 1000;
let stack: Stack;
let url: string;
const tokens: Record<string, string | undefined> = {};
const ids: string[] = [];

beforeAll(async () => {
  let env: Record<string, string>;
  ({ stack, env } = await startTestStack('fuzz'));
  url = stack.routerUrl;
  tokens.admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
  const customer = (await gql(url, `mutation { signUp(input: { email: "fuzz@example.com", password: "long-enough-1", name: "Fuzz" }) { token user { id } } }`)).data.signUp;
  tokens.customer = customer.token;
  const products = (await gql(url, `{ products(first: 5) { edges { node { id } } } }`)).data.products.edges.map((e: { node: { id: string } }) => e.node.id);
  const input = { sku: 'FUZZ-1', name: 'Fuzz kettle', description: 'A kettle', category: 'kitchen', priceCents: 3000, stock: 1000 };
  const product = (await gql(url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, tokens.admin)).data.createProduct.id;
  const order = (await gql(url, `mutation($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 1 }] }) { id } }`, { id: product }, tokens.customer)).data.placeOrder.id;
  ids.push(...products, product, order, customer.user.id);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

it(`generated operations for ${FUZZ_MS / 1000} s: no 5xx, no internal error, no crash`, async () => {
  const sdl = readFileSync(path.join(PROJECT_ROOT, 'router', 'supergraph.graphql'), 'utf8');
  const schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
  let sent = 0;
  const codes: Record<string, number> = {};
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() ^ (Math.random() * 2 ** 31);
  console.log(`fuzz seed ${seed} (FUZZ_SEED=${seed} replays this run)`);
  await fc.assert(
    fc.asyncProperty(operationArbitrary(schema, { ids }), async (op) => {
      const outcome = await call(url, op.query, op.variables, tokens[op.as]);
      sent++;
      for (const e of outcome.body?.errors ?? []) codes[String(e.extensions?.code)] = (codes[String(e.extensions?.code)] ?? 0) + 1;
      if (!outcome.body?.errors) codes.ok = (codes.ok ?? 0) + 1;
      const problem = outcome.status >= 500 ? `HTTP ${outcome.status}` : unclean(outcome);
      if (problem) throw new Error(`${problem}\n${op.as}: ${op.query}\nvariables: ${JSON.stringify(op.variables)}\nanswer: ${JSON.stringify(outcome.body)}`);
    }),
    {
      seed,
      ...(process.env.FUZZ_PATH && { path: process.env.FUZZ_PATH }),
      numRuns: process.env.FUZZ_PATH ? 1 : 1_000_000,
      interruptAfterTimeLimit: FUZZ_MS,
      markInterruptAsFailure: false,
      endOnFailure: true,
    },
  );
  console.log(`fuzz: ${sent} operations, ${JSON.stringify(codes)}`);
  expect(sent).toBeGreaterThan(50);
  // Not one process fell over: the router and every subgraph still answer.
  expect((await fetch(url.replace(/graphql$/, 'readyz'))).status).toBe(200);
}, 300_000);
