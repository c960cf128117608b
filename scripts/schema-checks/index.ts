import type { GraphQLSchema } from 'graphql';
import { schemaChanges, unusedIntents, type IntendedChange, type SchemaChange } from './diff';
import { lintSubgraph, type LintProblem } from './lint';
import { checkOperations, coordinatesOf, operationsHit, type ClientOperation, type OperationProblem } from './operations';

export { loadOperations, operationsOf } from './operations';
export { parseIntendedChanges } from './diff';
export { lintSubgraph } from './lint';
export { markdownReport, textReport } from './report';

export interface CheckInput {
  /** The API schema last released (`schema/released.graphql`). */
  released: GraphQLSchema;
  /** The API schema of this change: the composed supergraph without its @inaccessible parts. */
  next: GraphQLSchema;
  intended?: IntendedChange[];
  operations?: ClientOperation[];
  /** Each subgraph's SDL, by file name. */
  subgraphs?: { file: string; sdl: string }[];
  /** Composition's errors and hints: both fail the check. */
  composition?: string[];
}

export interface CheckReport {
  changes: (SchemaChange & { hits: string[] })[];
  unusedIntents: IntendedChange[];
  operationCount: number;
  operationProblems: OperationProblem[];
  lint: LintProblem[];
  composition: string[];
  /** Why the check fails; empty when it passes. */
  failures: string[];
}

/** Runs every schema check and says what fails: unintended breaking changes, broken operations, lint problems, composition errors and hints. */
export async function runSchemaChecks(input: CheckInput): Promise<CheckReport> {
  const operations = input.operations ?? [];
  const coordinates = new Map(operations.map((o) => [o.name, coordinatesOf(input.released, o)]));
  const changes = (await schemaChanges(input.released, input.next, input.intended)).map((c) => ({
    ...c,
    hits: c.severity === 'safe' ? [] : operationsHit(c.path, coordinates),
  }));
  const operationProblems = checkOperations(input.next, operations);
  const lint = (input.subgraphs ?? []).flatMap(({ file, sdl }) => lintSubgraph(file, sdl));
  const composition = input.composition ?? [];
  const failures = [
    ...changes.filter((c) => c.severity === 'breaking' && !c.intended).map((c) => `breaking change not recorded as intended: ${c.type} ${c.path}`),
    ...operationProblems.filter((p) => p.severity === 'error').map((p) => `operation ${p.operation}: ${p.message}`),
    ...lint.map((p) => `${p.at} ${p.coordinate} ${p.message}`),
    ...composition,
  ];
  return { changes, unusedIntents: unusedIntents(changes, input.intended ?? []), operationCount: operations.length, operationProblems, lint, composition, failures };
}
