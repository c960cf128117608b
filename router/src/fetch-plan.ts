import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import {
  GraphQLString,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];
type PlanNode = NonNullable<QueryPlan['node']>;
type FetchNode = Extract<PlanNode, { kind: 'Fetch' }>;

/** One fetch of a plan, ready to send: at the root (`entity` absent) or for the objects at `path`. */
interface PlannedFetch {
  kind: 'fetch';
  url: string;
  query: string;
  operationName?: string;
  variableUsages: string[];
  /** Where its objects are in the data so far: field names, '@' for each element of a list. */
  path: string[];
  /** An entity fetch: the objects' type, and the fields of their representations (`__typename` first). */
  entity?: { typename: string; fields: string[] };
}
export type PlanStep = PlannedFetch | { kind: 'sequence'; steps: PlanStep[] } | { kind: 'parallel'; steps: PlanStep[] };

/**
 * A query plan of fetches whose answers only need merging, in the shape this module runs: Fetch,
 * Sequence, Parallel and Flatten nodes; entity fetches whose `requires` is one object type's own
 * fields; no rewrites of inputs, outputs or contexts; no @defer, no condition. Undefined for
 * anything else (the gateway runs it).
 */
export function plannedFetches(node: PlanNode, schema: GraphQLSchema, urls: Map<string, string>, path: string[] = []): PlanStep | undefined {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel': {
      const steps = node.nodes.map((n) => plannedFetches(n, schema, urls, path));
      if (!steps.every((s) => s !== undefined)) return undefined;
      return node.kind === 'Sequence' ? { kind: 'sequence', steps } : { kind: 'parallel', steps };
    }
    case 'Flatten':
      if (!node.path.every((p): p is string => typeof p === 'string' && /^(@|[_A-Za-z]\w*)$/.test(p))) return undefined;
      return plannedFetches(node.node, schema, urls, [...path, ...node.path]);
    case 'Fetch':
      return plannedFetch(node, schema, urls, path);
    default:
      return undefined;
  }
}

function plannedFetch(fetch: FetchNode, schema: GraphQLSchema, urls: Map<string, string>, path: string[]): PlannedFetch | undefined {
  const url = urls.get(fetch.serviceName);
  if (!url || fetch.operationKind !== 'query' || fetch.inputRewrites?.length || fetch.outputRewrites?.length || fetch.contextRewrites?.length) return undefined;
  const planned = { kind: 'fetch' as const, url, query: fetch.operation, operationName: fetch.operationName, variableUsages: fetch.variableUsages ?? [], path };
  if (!fetch.requires) return path.length === 0 ? planned : undefined;
  const [only, ...more] = fetch.requires;
  if (more.length || only?.kind !== Kind.INLINE_FRAGMENT || !only.typeCondition || !isObjectType(schema.getType(only.typeCondition))) return undefined;
  const fields = only.selections.map((s) => (s.kind === Kind.FIELD && !s.alias && !s.selections ? s.name : undefined));
  if (path.length === 0 || fields[0] !== '__typename' || fields.some((f) => f === undefined)) return undefined;
  return { ...planned, entity: { typename: only.typeCondition, fields: fields as string[] } };
}

/** Sends one fetch with these variables; resolves its `data` when the answer is data alone, else undefined. */
export type SendFetch = (fetch: PlannedFetch, variables: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>;

/**
 * Runs the plan as the gateway's executeQueryPlan does (the same variables, representations and
 * merge), into `data`; false as soon as any answer is not plain data (an error, a missing
 * entity), for the full way to answer.
 */
export async function runPlan(step: PlanStep, data: Record<string, unknown>, given: Record<string, unknown>, send: SendFetch): Promise<boolean> {
  if (step.kind === 'sequence') {
    for (const s of step.steps) if (!(await runPlan(s, data, given, send))) return false;
    return true;
  }
  if (step.kind === 'parallel') return (await Promise.all(step.steps.map((s) => runPlan(s, data, given, send)))).every(Boolean);
  const variables = usedBy(step.variableUsages, given);
  const targets = objectsAt(data, step.path);
  if (!step.entity) {
    const answer = await send(step, variables);
    if (!answer) return false;
    deepMerge(data, answer);
    return true;
  }
  // As the gateway: only objects of the fetch's type with every field of the representation.
  const { typename, fields } = step.entity;
  const representations: Record<string, unknown>[] = [];
  const entities: Record<string, unknown>[] = [];
  for (const target of targets) {
    if (!isPlainObject(target) || target.__typename !== typename || fields.some((f) => target[f] === undefined)) continue;
    representations.push(Object.fromEntries(fields.map((f) => [f, target[f]])));
    entities.push(target);
  }
  if (!representations.length) return true;
  if (Object.hasOwn(variables, 'representations')) return false;
  const answer = await send(step, { ...variables, representations });
  const received = answer?._entities;
  if (!Array.isArray(received) || received.length !== entities.length || !received.every(isPlainObject)) return false;
  received.forEach((entity, i) => deepMerge(entities[i], entity));
  return true;
}

/** The client's variables that a fetch uses, as the gateway sends them. */
export function usedBy(variableUsages: string[], given: Record<string, unknown>) {
  const sent: Record<string, unknown> = {};
  for (const name of variableUsages) if (Object.hasOwn(given, name) && given[name] !== undefined) sent[name] = given[name];
  return sent;
}

/** The values at `path` ('@' steps into each element of a list), nulls left out. */
function objectsAt(value: unknown, path: string[], from = 0): unknown[] {
  if (value === undefined || value === null) return [];
  if (from === path.length) return [value];
  if (path[from] === '@') return Array.isArray(value) ? value.flatMap((v) => objectsAt(v, path, from + 1)) : [];
  return isPlainObject(value) ? objectsAt(value[path[from]], path, from + 1) : [];
}

/** The gateway's deepMerge: objects merged key by key, lists of the same length element by element. */
function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>) {
  for (const key of Object.keys(source)) {
    const from = source[key];
    if (from === undefined) continue;
    const into = target[key];
    if (isPlainObject(into) && isPlainObject(from)) deepMerge(into, from);
    else if (Array.isArray(into) && Array.isArray(from) && into.length === from.length)
      from.forEach((f, i) => (isPlainObject(into[i]) && isPlainObject(f) ? deepMerge(into[i] as Record<string, unknown>, f) : (into[i] = f)));
    else target[key] = from;
  }
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the client asked, compiled once: response name, field name, type, and the sub-selection of objects. */
interface Selected {
  key: string;
  typename?: string; // a `__typename` field: the object's type name
  type: GraphQLOutputType;
  selections?: Selected[];
}

/** The client's selections (fields only: plainSelections checked it) against the API schema's types. */
export function compileSelections(schema: GraphQLSchema, operation: OperationDefinitionNode): Selected[] | undefined {
  const root = schema.getQueryType();
  return root && operation.operation === 'query' ? compileSet(operation.selectionSet, root) : undefined;
}

function compileSet(set: SelectionSetNode, parent: GraphQLObjectType): Selected[] | undefined {
  const out: Selected[] = [];
  for (const selection of set.selections) {
    if (selection.kind !== Kind.FIELD) return undefined;
    const key = selection.alias?.value ?? selection.name.value;
    // A response name asked twice is merged by GraphQL's rules: left to the gateway.
    if (out.some((s) => s.key === key)) return undefined;
    if (selection.name.value === '__typename') {
      out.push({ key, typename: parent.name, type: GraphQLString });
      continue;
    }
    const field = parent.getFields()[selection.name.value];
    if (!field) return undefined;
    let named: GraphQLOutputType = field.type;
    while (isNonNullType(named) || isListType(named)) named = named.ofType;
    let selections: Selected[] | undefined;
    if (isObjectType(named)) {
      if (!selection.selectionSet || !(selections = compileSet(selection.selectionSet, named))) return undefined;
    }
    out.push({ key, type: field.type, selections });
  }
  return out;
}

const INVALID = Symbol('invalid');

/**
 * The answer's data in the client's shape, as the gateway's computeResponse writes it from the
 * merged data; undefined where the gateway would write a null with an error, or the data lacks
 * a value (the full way answers those).
 */
export function shapeAnswer(selections: Selected[], data: Record<string, unknown>): Record<string, unknown> | undefined {
  const shaped = shapeObject(selections, data);
  return shaped === INVALID ? undefined : shaped;
}

function shapeObject(selections: Selected[], source: Record<string, unknown>): Record<string, unknown> | typeof INVALID {
  const out: Record<string, unknown> = {};
  for (const s of selections) {
    if (s.typename) {
      out[s.key] = s.typename;
      continue;
    }
    const value = source[s.key];
    if (value === undefined) return INVALID;
    const shaped = shapeValue(s, s.type, value);
    if (shaped === INVALID) return INVALID;
    out[s.key] = shaped;
  }
  return out;
}

function shapeValue(s: Selected, type: GraphQLOutputType, value: unknown): unknown {
  if (isNonNullType(type)) return value === null ? INVALID : shapeValue(s, type.ofType, value);
  if (value === null) return null;
  if (isListType(type)) {
    if (!Array.isArray(value)) return INVALID;
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) if ((out[i] = shapeValue(s, type.ofType, value[i])) === INVALID) return INVALID;
    return out;
  }
  if (s.selections) return isPlainObject(value) ? shapeObject(s.selections, value) : INVALID;
  return validLeaf(type, value) ? value : INVALID;
}

const BUILT_IN_SCALARS = new Set(['Boolean', 'Int', 'Float', 'String', 'ID']);

/** federation-internals' isValidLeafValue, which the gateway applies to every leaf: a custom scalar's value is taken as it is. */
function validLeaf(type: GraphQLOutputType, value: unknown): boolean {
  if (isEnumType(type)) return typeof value === 'string' && type.getValue(value) !== undefined;
  const name = (type as { name?: string }).name ?? '';
  if (!BUILT_IN_SCALARS.has(name)) return true;
  if (typeof value === 'boolean') return name === 'Boolean';
  if (typeof value === 'number' && Number.isFinite(value)) return name === 'Int' || name === 'ID' ? /^-?\d+$/.test(String(value)) : name === 'Float';
  if (typeof value === 'string') return name === 'String' || name === 'ID';
  return false;
}
