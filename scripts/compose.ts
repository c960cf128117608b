/**
 * Composes the subgraphs listed in supergraph.yaml into router/supergraph.graphql with
 * @apollo/composition (no downloaded binary). With --check it writes nothing and fails when
 * composition has errors or hints, when the checked-in supergraph is stale, or when an
 * operation of ../shared/contract does not validate against the composed API schema.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse, Source, validate } from 'graphql';
import { SUBGRAPHS } from '../packages/kernel/src/subgraphs';

const root = path.resolve(__dirname, '..');
export const SUPERGRAPH_FILE = path.join(root, 'router', 'supergraph.graphql');
const CONTRACT_DIR = path.resolve(root, '..', 'shared', 'contract');

export function compose() {
  const services = SUBGRAPHS.map(({ name, routingUrl, schemaFile }) => ({
    name,
    url: routingUrl,
    typeDefs: parse(new Source(readFileSync(schemaFile, 'utf8'), schemaFile)),
  }));
  const result = composeServices(services);
  if (result.errors) return { errors: result.errors.map((e) => e.message), hints: [] as string[] };
  return {
    errors: [] as string[],
    hints: result.hints.map((h) => `${h.definition.code}: ${h.message}`),
    supergraphSdl: result.supergraphSdl,
    apiSchema: result.schema.toAPISchema().toGraphQLJSSchema(),
  };
}

function contractProblems(apiSchema: NonNullable<ReturnType<typeof compose>['apiSchema']>): string[] {
  if (!existsSync(CONTRACT_DIR)) {
    console.log(`(no ${CONTRACT_DIR}: contract operations not checked)`);
    return [];
  }
  const problems: string[] = [];
  for (const file of readdirSync(CONTRACT_DIR).filter((f) => f.endsWith('.graphql'))) {
    const full = path.join(CONTRACT_DIR, file);
    const errors = validate(apiSchema, parse(new Source(readFileSync(full, 'utf8'), full)));
    problems.push(...errors.map((e) => `${file}: ${e.message}`));
    if (!errors.length) console.log(`contract ${file}: every operation validates`);
  }
  return problems;
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const { errors, hints, supergraphSdl, apiSchema } = compose();
  const problems = [...errors.map((e) => `composition error: ${e}`), ...hints.map((h) => `composition hint: ${h}`)];
  if (supergraphSdl && apiSchema) {
    if (check) {
      const current = existsSync(SUPERGRAPH_FILE) ? readFileSync(SUPERGRAPH_FILE, 'utf8') : '';
      if (current !== supergraphSdl) problems.push('router/supergraph.graphql is stale: run `npm run compose`');
    } else {
      writeFileSync(SUPERGRAPH_FILE, supergraphSdl);
      console.log(`wrote ${path.relative(root, SUPERGRAPH_FILE)}`);
    }
    problems.push(...contractProblems(apiSchema));
  }
  for (const p of problems) console.error(p);
  process.exit(problems.length ? 1 : 0);
}
