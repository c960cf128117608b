import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse } from 'graphql';
import { COST_LIMIT, costLimitError, operationCost } from '../src/cost';
import { compose } from '../../scripts/compose';

const schema = buildSchema(`
  type Query { products(first: Int = 20): [Product!]! product(id: ID!): Product }
  type Product { id: ID! name: String! recommendations(first: Int = 4): [Product!]! }
`);
const cost = (query: string, variables?: Record<string, unknown>) => operationCost(schema, parse(query), undefined, variables);

describe('operationCost', () => {
  it('multiplies a list by its first argument, from a literal, a variable, or a default', () => {
    // products: (2 + id 1 + name 1) per product.
    expect(cost(`{ products(first: 3) { id name } }`)).toBe(12);
    expect(cost(`query($n: Int) { products(first: $n) { id name } }`, { n: 3 })).toBe(12);
    expect(cost(`query($n: Int = 3) { products(first: $n) { id name } }`)).toBe(12);
    expect(cost(`{ products { id name } }`)).toBe(80);
    // A variable left unset takes the argument's default, as graphql-js executes it.
    expect(cost(`query($n: Int) { products(first: $n) { id name } }`)).toBe(80);
  });

  it('counts the fan-out of nested lists given in variables', () => {
    const nested = `query($a: Int, $b: Int) { products(first: $a) { id recommendations(first: $b) { id recommendations(first: $b) { id } } } }`;
    // innermost (2 + 1) * 20, middle (2 + 1 + 60) * 20, each product (2 + 1 + 1260) * 100
    expect(cost(nested, { a: 100, b: 20 })).toBe(126_300);
    expect(cost(nested, { a: 1, b: 1 })).toBe(9);
  });

  it('counts fragments and inline fragments; a fragment spread many times is computed once', () => {
    expect(cost(`{ products(first: 2) { ...P } } fragment P on Product { id ... on Product { name } }`)).toBe(cost(`{ products(first: 2) { id name } }`));
    const spreads = Array.from({ length: 300 }, () => '...P').join(' ');
    expect(cost(`{ product(id: "1") { ${spreads} } } fragment P on Product { id }`)).toBe(2 + 300);
  });

  it('sizes the subgraph refuses (0, negative) cost as one; values of the wrong type fail elsewhere and cost as the default', () => {
    expect(cost(`{ products(first: 0) { id } }`)).toBe(3);
    expect(cost(`{ products(first: -5) { id } }`)).toBe(3);
    expect(cost(`query($n: Int) { products(first: $n) { id } }`, { n: 'many' })).toBe(60);
  });

  it('costLimitError: GRAPHQL_VALIDATION_FAILED with HTTP 400 over the limit, nothing at or under it', () => {
    const limit = { ...COST_LIMIT, maxCost: 12 };
    expect(costLimitError(schema, parse(`{ products(first: 3) { id name } }`), undefined, {}, limit)).toBeUndefined();
    const error = costLimitError(schema, parse(`query($n: Int) { products(first: $n) { id name } }`), undefined, { n: 4 }, limit);
    expect({ message: error?.message, extensions: error?.extensions }).toEqual({
      message: 'Query cost limit of 12 exceeded, found 16',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
    });
  });
});

const CONTRACT_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'contract');

(existsSync(CONTRACT_DIR) ? describe : describe.skip)('the contract under the cost limit', () => {
  it('every operation of the contract, with every page size at its largest accepted value, stays under the limit', () => {
    const { apiSchema } = compose();
    const largest: Record<string, number> = { recommendationsFirst: 20 };
    const costs: Record<string, number> = {};
    for (const file of ['storefront.graphql', 'admin.graphql']) {
      const document = parse(readFileSync(path.join(CONTRACT_DIR, file), 'utf8'));
      for (const op of document.definitions) {
        if (op.kind !== Kind.OPERATION_DEFINITION) continue;
        const variables = Object.fromEntries(
          (op.variableDefinitions ?? []).filter((v) => /first$/i.test(v.variable.name.value)).map((v) => [v.variable.name.value, largest[v.variable.name.value] ?? 100]),
        );
        costs[op.name!.value] = operationCost(apiSchema!, document, op.name!.value, variables);
      }
    }
    expect(Object.keys(costs).length).toBeGreaterThan(15);
    expect(Object.entries(costs).filter(([, c]) => c > COST_LIMIT.maxCost)).toEqual([]);
    // The heaviest is a full product page of 100: far from a fan-out through recommendations.
    expect(Math.max(...Object.values(costs))).toBeLessThan(COST_LIMIT.maxCost);
  });
});
