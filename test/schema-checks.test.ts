/**
 * The schema checks behind `npm run schema:check`, on small schemas in memory: a safe change
 * passes, a dangerous one is reported and passes, a breaking one fails and names the
 * operations it hits, unless it is recorded as intended. Then the repo's own schema.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, printSchema } from 'graphql';
import { SUBGRAPHS } from '@shop/kernel';
import { compose } from '../scripts/compose';
import { clientOperations, INTENDED_FILE, RELEASED_FILE } from '../scripts/schema-check';
import { lintSubgraph, loadOperations, markdownReport, operationsOf, parseIntendedChanges, runSchemaChecks, textReport } from '../scripts/schema-checks';

const RELEASED = `
  type Query { product(id: ID!): Product, products(first: Int = 20): [Product!]! }
  type Product { id: ID!, name: String!, sku: String!, sort: Sort! }
  enum Sort { NEWEST, NAME }
`;
const operations = operationsOf(
  'storefront.graphql',
  `query ProductPage($id: ID!) { product(id: $id) { ...Card sku } }
   query Products { products { ...Card } }
   fragment Card on Product { id name }`,
);
const check = (next: string, intendedYaml = '') =>
  runSchemaChecks({ released: buildSchema(RELEASED), next: buildSchema(next), intended: parseIntendedChanges(intendedYaml), operations });
const withoutSafe = <T extends { severity: string }>(changes: T[]) => changes.filter((c) => c.severity !== 'safe');

describe('schema checks', () => {
  it('passes a safe change (a new field, a new description) and lists it as safe', async () => {
    const report = await check(RELEASED.replace('sku: String!', 'sku: String!, "Units in stock." stock: Int'));
    expect(report.changes.map((c) => [c.severity, c.type, c.path])).toEqual([
      ['safe', 'FIELD_ADDED', 'Product.stock'],
      ['safe', 'FIELD_DESCRIPTION_ADDED', 'Product.stock'],
    ]);
    expect(report.failures).toEqual([]);
    expect(textReport(report, 'released.graphql')).toMatch(/0 breaking \(0 intended\), 0 dangerous, 2 safe\n[\s\S]*PASS$/);
  });

  it('reports a dangerous change (a new enum value, a changed default) with the operations it hits, and passes', async () => {
    const report = await check(RELEASED.replace('NEWEST, NAME', 'NEWEST, NAME, PRICE').replace('first: Int = 20', 'first: Int = 10'));
    expect(withoutSafe(report.changes).map((c) => [c.severity, c.type, c.path, c.hits])).toEqual([
      ['dangerous', 'FIELD_ARGUMENT_DEFAULT_CHANGED', 'Query.products.first', ['storefront.graphql Products']],
      ['dangerous', 'ENUM_VALUE_ADDED', 'Sort.PRICE', []],
    ]);
    expect(report.failures).toEqual([]);
    expect(textReport(report, 'released.graphql')).toContain("DANGEROUS ENUM_VALUE_ADDED Sort.PRICE: Enum value 'PRICE' was added to enum 'Sort'");
  });

  it('fails a breaking change, naming the change, the operation it breaks and the field', async () => {
    const report = await check(RELEASED.replace('sku: String!, ', '').replace('products(first: Int = 20)', 'products(first: Int = 20, market: String!)'));
    expect(withoutSafe(report.changes).map((c) => [c.severity, c.type, c.path, c.hits, c.intended])).toEqual([
      ['breaking', 'FIELD_ARGUMENT_ADDED', 'Query.products.market', ['storefront.graphql Products'], undefined],
      ['breaking', 'FIELD_REMOVED', 'Product.sku', ['storefront.graphql ProductPage'], undefined],
    ]);
    expect(report.operationProblems).toEqual([
      { operation: 'storefront.graphql ProductPage', message: 'Cannot query field "sku" on type "Product".', severity: 'error' },
      { operation: 'storefront.graphql Products', message: 'Field "products" argument "market" of type "String!" is required, but it was not provided.', severity: 'error' },
    ]);
    expect(report.failures).toEqual([
      'breaking change not recorded as intended: FIELD_ARGUMENT_ADDED Query.products.market',
      'breaking change not recorded as intended: FIELD_REMOVED Product.sku',
      'operation storefront.graphql ProductPage: Cannot query field "sku" on type "Product".',
      'operation storefront.graphql Products: Field "products" argument "market" of type "String!" is required, but it was not provided.',
    ]);
    const markdown = markdownReport(report, 'released.graphql');
    expect(markdown).toContain('## Schema check: fails (4 problems)');
    expect(markdown).toContain("| breaking | `FIELD_REMOVED` | `Product.sku` | Field 'sku' was removed from object type 'Product' | storefront.graphql ProductPage |");
  });

  it('passes a breaking change recorded as intended, with its reason in the report', async () => {
    const intended = `changes:\n  - type: FIELD_REMOVED\n    path: Product.sku\n    reason: SKUs are internal; no client reads them any more.\n`;
    const noSkuReader = operations.filter((o) => o.name.endsWith('Products'));
    const report = await runSchemaChecks({
      released: buildSchema(RELEASED),
      next: buildSchema(RELEASED.replace('sku: String!, ', '')),
      intended: parseIntendedChanges(intended),
      operations: noSkuReader,
    });
    expect(report.changes.map((c) => [c.severity, c.path, c.intended])).toEqual([['breaking', 'Product.sku', 'SKUs are internal; no client reads them any more.']]);
    expect(report.failures).toEqual([]);
    expect(textReport(report, 'released.graphql')).toContain('BREAKING (intended) FIELD_REMOVED Product.sku');
    // The same intent does not excuse another breaking change.
    expect((await check(RELEASED.replace('sku: String!, ', 'sku: Int!, '), intended)).failures).toEqual([
      'breaking change not recorded as intended: FIELD_TYPE_CHANGED Product.sku',
    ]);
  });

  it('names the operations that send an input type when it gets a required field', async () => {
    const released = 'type Query { search(filter: Filter): [ID!]!, other: Int } input Filter { name: String }';
    const ops = operationsOf('app.graphql', 'query Search($f: Filter) { search(filter: $f) } query Other { other }');
    const report = await runSchemaChecks({ released: buildSchema(released), next: buildSchema(released.replace('name: String', 'name: String, shop: ID!')), operations: ops });
    expect(report.changes.map((c) => [c.severity, c.type, c.path, c.hits])).toEqual([['breaking', 'INPUT_FIELD_ADDED', 'Filter.shop', ['app.graphql Search']]]);
  });

  it('reports the use of a deprecated field as a warning, not a failure', async () => {
    const report = await check(RELEASED.replace('sku: String!', 'sku: String! @deprecated(reason: "Use id.")'));
    expect(report.operationProblems).toEqual([
      { operation: 'storefront.graphql ProductPage', message: "The field 'Product.sku' is deprecated. Use id.", severity: 'warning' },
    ]);
    expect(report.failures).toEqual([]);
  });

  it('refuses an intended change without a reason', () => {
    expect(() => parseIntendedChanges('changes:\n  - type: FIELD_REMOVED\n    path: Product.sku\n')).toThrow(/changes\.0\.reason/);
  });

  it('lints a subgraph: descriptions, naming, unused types', () => {
    const sdl = `
      "Reads." type Query { "A thing." thing("Its id." id: ID!): Thing }
      "A thing." type Thing @key(fields: "id") { "Its id." id: ID!, Bad_name: Int, "Sorted." sort(by: Order): Int }
      "How." enum Order { "Up." asc }
      "Nobody uses it." type Orphan { "x" x: Int }
    `;
    expect(lintSubgraph('s.graphql', sdl).map((p) => `${p.coordinate} ${p.message}`)).toEqual([
      'Thing.Bad_name has no description',
      'Thing.Bad_name is not camelCase',
      'Thing.sort.by has no description',
      'Order.asc is not UPPER_CASE',
      'Orphan is unused: no root field or entity reaches it',
    ]);
  });
});

describe("the repo's schema", () => {
  it('passes every check against the released baseline: no unintended breaking change, every operation valid, every subgraph linted clean, composition without hints', async () => {
    const composed = compose();
    expect({ errors: composed.errors, hints: composed.hints }).toEqual({ errors: [], hints: [] });
    const contract = path.resolve(__dirname, '..', '..', 'shared', 'contract');
    const report = await runSchemaChecks({
      released: buildSchema(readFileSync(RELEASED_FILE, 'utf8')),
      next: composed.apiSchema!,
      intended: parseIntendedChanges(readFileSync(INTENDED_FILE, 'utf8')),
      operations: loadOperations([contract]),
      subgraphs: SUBGRAPHS.map((s) => ({ file: s.schemaFile, sdl: readFileSync(s.schemaFile, 'utf8') })),
    });
    expect(report.failures).toEqual([]);
    expect(report.lint).toEqual([]);
  });

  it("checks the storefront's operations (web/src/graphql): a change that breaks one fails", async () => {
    const operations = clientOperations();
    const names = operations.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['graphql/storefront.graphql WebCatalogue', 'graphql/storefront.graphql WebOrderUpdated']));
    expect(new Set(names).size).toBe(names.length);
    const current = compose().apiSchema!;
    const printed = printSchema(current);
    const withoutCounts = printed.replace(/\n\s*"""[^"]*"""\n\s*categories: \[CategoryCount!\]!/, '');
    expect(withoutCounts).not.toBe(printed);
    const report = await runSchemaChecks({ released: current, next: buildSchema(withoutCounts), intended: [], operations });
    expect(report.operationProblems).toContainEqual({
      operation: 'graphql/storefront.graphql WebCatalogue',
      message: 'Cannot query field "categories" on type "ProductConnection".',
      severity: 'error',
    });
    expect(report.failures.length).toBeGreaterThan(0);
  });
});
