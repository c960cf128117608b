/**
 * What the areas of the contract test (test/e2e/contract.test.ts) share: the shop's address and
 * settings, the people and products, codes and orders each area makes for the next, what was
 * exercised and seen, and the helpers that run an operation and check its answer.
 * No test lives here: the areas register theirs in order, from the one test file.
 */
import { randomBytes } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import { checkResponse, jwtParts, shapeOf, type ContractOperation } from '../../support/contract';
import { gql, type GraphQLResponse } from '../../support/graphql';

/** Responses are loosely typed here: the schema walk checks their types, the tests their values. */
export type Response = GraphQLResponse<any>;

export interface Person {
  id: string;
  email: string;
  name: string;
  password: string;
  token: string;
  refreshToken: string;
}
export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: { cents: number; currency: string };
  stock: number;
}
export interface PlacedOrder {
  id: string;
  number: number;
  createdAt: string;
  total: { cents: number; currency: string };
}

/** Set by the test file's beforeAll, once the shop is up. */
interface Shop {
  env: Record<string, string>;
  url: string;
  schema: GraphQLSchema;
  operations: Map<string, ContractOperation>;
}

/** Made by one area for those after it, in the order they run. */
interface Made {
  /** identity */
  ann: Person;
  bob: Person;
  admin: Omit<Person, 'password' | 'refreshToken'>;
  /** catalogue: three products of a category of the test's own: a teapot, an out-of-stock kettle, a cup. */
  teapot: Product;
  kettle: Product;
  cup: Product;
  /** promotions: a code worth 3 euros, usable once in all; and a code that starts next month. */
  once: string;
  later: string;
  /** orders */
  first: PlacedOrder;
  second: PlacedOrder;
  bobs: PlacedOrder;
}

export interface Contract extends Shop, Made {
  readonly startedAt: number;
  readonly tag: string;
  readonly TAG: string;
  readonly category: string;
  /** Operations run, and per operation the leaf fields seen holding a value. */
  readonly exercised: Set<string>;
  readonly seenLeaves: Map<string, Set<string>>;

  operation(name: string): ContractOperation;
  typeCheck(op: ContractOperation, data: unknown, variables: Record<string, unknown>): void;
  run(name: string, variables?: Record<string, unknown>, token?: string): Promise<Response>;
  ok(res: Response): any;
  refused(res: Response, code: string, extensions?: Record<string, unknown>): void;
  expectAccessToken(token: string, user: { id: string; email: string; role: string }): { iat: number; exp: number };
  productPage(id: string, token?: string): Promise<any>;
  money(cents: number, currency?: string): { cents: number; currency: string };
  byProductId<T extends { product: { id: string } }>(items: T[]): T[];
  byProductName<T extends { product: { name: string } }>(items: T[]): T[];
  node(p: Product): Omit<Product, 'description'> & { inStock: boolean };
}

/**
 * A context for one run of the contract test: made when its describe block is collected, filled
 * in by beforeAll (the shop) and by the areas' tests (what they made), in that order.
 */
export function createContract(): Contract {
  const startedAt = Date.now();
  const tag = randomBytes(3).toString('hex');
  const TAG = tag.toUpperCase();
  const category = `contract-${tag}`;
  const exercised = new Set<string>();
  const seenLeaves = new Map<string, Set<string>>();

  function operation(name: string): ContractOperation {
    const op = ctx.operations.get(name);
    if (!op) throw new Error(`the contract has no operation ${name}`);
    return op;
  }

  /** Type-checks one response's data along the operation's selection and records what it saw. */
  function typeCheck(op: ContractOperation, data: unknown, variables: Record<string, unknown>) {
    exercised.add(op.name);
    const { nonNullLeaves, problems } = checkResponse(ctx.schema, op, data, variables);
    expect({ operation: op.name, problems }).toEqual({ operation: op.name, problems: [] });
    const seen = seenLeaves.get(op.name) ?? new Set<string>();
    for (const leaf of nonNullLeaves) seen.add(shapeOf(leaf));
    seenLeaves.set(op.name, seen);
  }

  /** Sends a contract operation as written, over HTTP, and type-checks the answer. */
  async function run(name: string, variables: Record<string, unknown> = {}, token?: string): Promise<Response> {
    const op = operation(name);
    const res = await gql(ctx.url, op.text, variables, token);
    typeCheck(op, res.data, variables);
    return res;
  }

  /** The data of a successful answer. */
  function ok(res: Response): any {
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
    return res.data;
  }

  /** A refusal with one error of this code, no data, and nothing internal in it. */
  function refused(res: Response, code: string, extensions: Record<string, unknown> = {}) {
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    expect(res.errors![0].extensions).toMatchObject(extensions);
    expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|\.ts:\d+|node_modules/);
    for (const value of Object.values(res.data ?? {})) expect(value).toBeNull();
  }

  /** An access token: a JWT of three base64url parts, RS256 with a key id, for this user and role. */
  function expectAccessToken(token: string, user: { id: string; email: string; role: string }) {
    const jwt = jwtParts(token);
    expect(jwt).not.toBeNull();
    expect(jwt!.header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(jwt!.payload).toMatchObject({ sub: user.id, role: user.role, email: user.email });
    const { iat, exp } = jwt!.payload as { iat: number; exp: number };
    expect(exp).toBeGreaterThan(Date.now() / 1000);
    expect(exp - iat).toBeLessThanOrEqual(3600); // short-lived
    expect(iat * 1000).toBeGreaterThanOrEqual(startedAt - 1000);
    return jwt!.payload as { iat: number; exp: number };
  }

  /** The product as the catalogue serves its page. */
  async function productPage(id: string, token?: string): Promise<any> {
    return ok(await run('ProductPage', { id }, token)).product;
  }

  const money = (cents: number, currency = 'EUR') => ({ cents, currency });
  const byProductId = <T extends { product: { id: string } }>(items: T[]) => [...items].sort((a, b) => a.product.id.localeCompare(b.product.id));
  const byProductName = <T extends { product: { name: string } }>(items: T[]) =>
    [...items].sort((a, b) => a.product.name.localeCompare(b.product.name));
  const node = (p: Product) => ({ id: p.id, sku: p.sku, name: p.name, category: p.category, price: p.price, stock: p.stock, inStock: p.stock > 0 });

  // The shop and what the areas make are filled in as the run goes; until then they are unset.
  const ctx = {
    startedAt,
    tag,
    TAG,
    category,
    exercised,
    seenLeaves,
    operation,
    typeCheck,
    run,
    ok,
    refused,
    expectAccessToken,
    productPage,
    money,
    byProductId,
    byProductName,
    node,
  } as Contract;
  return ctx;
}
