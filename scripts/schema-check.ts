/**
 * npm run schema:check: compares the public API schema (the composed supergraph without its
 * @inaccessible parts) with the last released one, schema/released.graphql, validates every
 * client operation against it, lints each subgraph's SDL and fails on composition errors or
 * hints. Prints a report and writes it as Markdown (.data/schema-check.md, or --markdown FILE)
 * for a pull-request comment. Fails on a breaking change unless schema/intended-changes.yaml
 * records it with a reason.
 *
 * npm run schema:release (--release): the current API schema becomes the released baseline
 * and the intended changes, now released, are cleared.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { SUBGRAPHS } from '../packages/kernel/src/subgraphs';
import { compose } from './compose';
import { loadOperations, markdownReport, parseIntendedChanges, runSchemaChecks, textReport } from './schema-checks';

const root = path.resolve(__dirname, '..');
export const RELEASED_FILE = path.join(root, 'schema', 'released.graphql');
export const INTENDED_FILE = path.join(root, 'schema', 'intended-changes.yaml');
const CONTRACT_DIR = path.resolve(root, '..', 'shared', 'contract');
/** The storefront's operations (web/): a change that breaks one fails the check like the contract's. */
export const STOREFRONT_OPERATIONS_DIR = path.join(root, 'web', 'src', 'graphql');
const SKIPPED_FOLDERS = new Set(['node_modules', '.data', '.tools', '.git', 'subgraphs', 'router', 'schema']);

const RELEASED_HEADER = '# The public API schema as last released: `npm run schema:check` compares against it, `npm run schema:release` rewrites it.\n\n';
const INTENDED_TEMPLATE = `# Breaking changes to the public API that are intended, reviewed with the change that makes
# them. Copy the type and path from \`npm run schema:check\`'s report and say why clients may
# break (or how they were told). \`npm run schema:release\` clears the list.
#
# changes:
#   - type: FIELD_REMOVED
#     path: Product.sku
#     reason: SKUs are internal; the storefront stopped reading them in release 12.
changes: []
`;

/** Folders in the repo holding client operations (.graphql files with operations, not SDL). */
function operationFolders(dir = root): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && e.name.endsWith('.graphql')) ? [dir] : [];
  return [...here, ...entries.filter((e) => e.isDirectory() && !SKIPPED_FOLDERS.has(e.name)).flatMap((e) => operationFolders(path.join(dir, e.name)))];
}

/**
 * Every client operation checked: the contract's, the storefront's, and any other `.graphql`
 * client document in the repo, each folder once.
 */
export function clientOperations() {
  return loadOperations([...new Set([CONTRACT_DIR, STOREFRONT_OPERATIONS_DIR, ...operationFolders()])]);
}

/** The API schema clients see, sorted so the baseline reads the same whatever the subgraphs' order. */
export const printApiSchema = (schema: GraphQLSchema) => printSchema(lexicographicSortSchema(schema));

async function main() {
  const composed = compose();
  const composition = [...composed.errors.map((e) => `composition error: ${e}`), ...composed.hints.map((h) => `composition hint: ${h}`)];
  if (!composed.apiSchema) {
    for (const c of composition) console.error(c);
    process.exit(1);
  }
  if (process.argv.includes('--release')) {
    mkdirSync(path.dirname(RELEASED_FILE), { recursive: true });
    writeFileSync(RELEASED_FILE, RELEASED_HEADER + printApiSchema(composed.apiSchema));
    writeFileSync(INTENDED_FILE, INTENDED_TEMPLATE);
    console.log(`wrote ${path.relative(root, RELEASED_FILE)}; cleared ${path.relative(root, INTENDED_FILE)}`);
    return;
  }
  if (!existsSync(RELEASED_FILE)) throw new Error(`no ${path.relative(root, RELEASED_FILE)}: run \`npm run schema:release\` once`);
  if (!existsSync(CONTRACT_DIR)) console.log(`(no ${CONTRACT_DIR}: its operations are not checked)`);
  const report = await runSchemaChecks({
    released: buildSchema(readFileSync(RELEASED_FILE, 'utf8')),
    next: composed.apiSchema,
    intended: existsSync(INTENDED_FILE) ? parseIntendedChanges(readFileSync(INTENDED_FILE, 'utf8')) : [],
    operations: clientOperations(),
    subgraphs: SUBGRAPHS.map((s) => ({ file: path.relative(root, s.schemaFile), sdl: readFileSync(s.schemaFile, 'utf8') })),
    composition,
  });
  const baseline = path.relative(root, RELEASED_FILE);
  console.log(textReport(report, baseline));
  const flag = process.argv.indexOf('--markdown');
  const markdownFile = flag > 0 ? path.resolve(process.argv[flag + 1]) : path.join(root, '.data', 'schema-check.md');
  mkdirSync(path.dirname(markdownFile), { recursive: true });
  writeFileSync(markdownFile, markdownReport(report, baseline));
  console.log(`Markdown report: ${path.relative(root, markdownFile)}`);
  process.exitCode = report.failures.length ? 1 : 0;
}

if (require.main === module)
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
