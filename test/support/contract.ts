/**
 * The public contract's operations (`../shared/contract/*.graphql`), and a check of a response
 * against the composed API schema along an operation's selection set, so that no selected
 * field of a contract test goes without at least a type check.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  getNamedType,
  GraphQLEnumType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  isAbstractType,
  isCompositeType,
  Kind,
  parse,
  print,
  Source,
  typeFromAST,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { compose } from '../../scripts/compose';

/** Where the contract lives: beside the project, as scripts/compose.ts finds it. */
export const CONTRACT_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'contract');

export interface ContractOperation {
  name: string;
  file: string;
  kind: 'query' | 'mutation' | 'subscription';
  /** A document holding this operation and the fragments it uses, and its printed text. */
  document: DocumentNode;
  text: string;
  definition: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
}

/** Every named operation of the contract's .graphql files, read and parsed now. */
export function loadContract(dir = CONTRACT_DIR): Map<string, ContractOperation> {
  const operations = new Map<string, ContractOperation>();
  if (!existsSync(dir)) return operations;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort()) {
    const full = path.join(dir, file);
    const doc = parse(new Source(readFileSync(full, 'utf8'), full));
    const fragments = Object.fromEntries(
      doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
    );
    for (const definition of doc.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const name = definition.name?.value;
      if (!name) throw new Error(`${file}: an operation without a name`);
      if (operations.has(name)) throw new Error(`${file}: operation ${name} is defined twice`);
      const used = fragmentsUsedBy(definition, fragments);
      const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [definition, ...used.map((f) => fragments[f])] };
      operations.set(name, { name, file, kind: definition.operation, document, text: print(document), definition, fragments });
    }
  }
  return operations;
}

function fragmentsUsedBy(node: OperationDefinitionNode | FragmentDefinitionNode, all: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (seen.has(name) || !all[name]) return;
      seen.add(name);
      fragmentsUsedBy(all[name], all, seen);
    },
  });
  return [...seen];
}

/** The API schema the router serves, composed from the subgraphs as `npm run compose` does. */
export function apiSchema(): GraphQLSchema {
  const { errors, apiSchema: schema } = compose();
  if (!schema) throw new Error(`composition failed: ${errors.join('; ')}`);
  return schema;
}

/** A path without list indexes: `products.edges.3.node.id` -> `products.edges.node.id`. */
export const shapeOf = (leafPath: string) =>
  leafPath
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .join('.');

export interface TypeCheck {
  /** Every leaf the response holds for the selection, with list indexes: `products.edges.0.node.id`. */
  leaves: string[];
  /** The leaves among them whose value was not null. */
  nonNullLeaves: string[];
  /** What does not match the schema; empty when the response is well typed. */
  problems: string[];
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * Walks `data` along the operation's selection set and checks every value against its schema
 * type: non-null respected, lists are arrays, objects hold exactly the selected keys, and each
 * leaf has its runtime type (String: string; ID: non-empty string; Int: integer in 32 bits;
 * Float: finite number; Boolean: boolean; enum: one of its values).
 */
export function checkResponse(
  schema: GraphQLSchema,
  operation: ContractOperation,
  data: unknown,
  variables: Record<string, unknown> = {},
): TypeCheck {
  const result: TypeCheck = { leaves: [], nonNullLeaves: [], problems: [] };
  if (data === null || data === undefined) return result; // a request error: no data to check
  const root = schema.getRootType(operation.definition.operation);
  if (!root) {
    result.problems.push(`the schema has no ${operation.definition.operation} type`);
    return result;
  }
  checkObject(root, operation.definition.selectionSet, data, '');
  return result;

  function include(directives: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: ValueNode }[] }[] | undefined) {
    for (const d of directives ?? []) {
      if (d.name.value !== 'skip' && d.name.value !== 'include') continue;
      const arg = d.arguments?.find((a) => a.name.value === 'if')?.value;
      const value = arg?.kind === Kind.VARIABLE ? variables[arg.name.value] : arg?.kind === Kind.BOOLEAN ? arg.value : undefined;
      if (d.name.value === 'skip' && value === true) return false;
      if (d.name.value === 'include' && value !== true) return false;
    }
    return true;
  }

  /** The fields selected on an object of this concrete type, by response key. */
  function collect(type: GraphQLObjectType, selectionSet: SelectionSetNode, into = new Map<string, { name: string; selectionSets: SelectionSetNode[] }>()) {
    for (const selection of selectionSet.selections) {
      if (!include(selection.directives)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const entry = into.get(key) ?? { name: selection.name.value, selectionSets: [] };
        if (selection.selectionSet) entry.selectionSets.push(selection.selectionSet);
        into.set(key, entry);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : operation.fragments[selection.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition ? typeFromAST(schema, fragment.typeCondition) : type;
      if (condition && appliesTo(condition as GraphQLCompositeType, type)) collect(type, fragment.selectionSet, into);
    }
    return into;
  }

  function appliesTo(condition: GraphQLCompositeType, type: GraphQLObjectType) {
    if (condition === type) return true;
    return isAbstractType(condition) && schema.isSubType(condition, type);
  }

  function checkObject(parent: GraphQLCompositeType, selectionSet: SelectionSetNode | SelectionSetNode[], value: unknown, at: string) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      result.problems.push(`${at || '(root)'}: expected an object of type ${parent.name}, got ${JSON.stringify(value)}`);
      return;
    }
    const object = value as Record<string, unknown>;
    let type: GraphQLObjectType | undefined;
    if (parent instanceof GraphQLObjectType) type = parent;
    else {
      const named = typeof object.__typename === 'string' ? schema.getType(object.__typename) : undefined;
      if (named instanceof GraphQLObjectType && isAbstractType(parent) && schema.isSubType(parent, named)) type = named;
      else {
        result.problems.push(`${at}: cannot tell which ${parent.name} this is (select __typename)`);
        return;
      }
    }
    const sets = Array.isArray(selectionSet) ? selectionSet : [selectionSet];
    const fields = new Map<string, { name: string; selectionSets: SelectionSetNode[] }>();
    for (const set of sets) collect(type, set, fields);
    for (const key of Object.keys(object))
      if (!fields.has(key)) result.problems.push(`${join(at, key)}: not selected, but in the response`);
    for (const [key, { name, selectionSets }] of fields) {
      const where = join(at, key);
      if (!(key in object)) {
        result.problems.push(`${where}: selected, but missing from the response`);
        continue;
      }
      const fieldType = name === '__typename' ? new GraphQLNonNull(schemaString()) : type.getFields()[name]?.type;
      if (!fieldType) {
        result.problems.push(`${where}: ${type.name} has no field ${name}`);
        continue;
      }
      checkValue(fieldType, selectionSets, object[key], where);
    }
  }

  function checkValue(type: GraphQLOutputType, selectionSets: SelectionSetNode[], value: unknown, at: string) {
    if (type instanceof GraphQLNonNull) {
      if (value === null) {
        result.problems.push(`${at}: null, but the schema says ${String(type)}`);
        return;
      }
      return checkValue(type.ofType, selectionSets, value, at);
    }
    if (value === null) {
      // A null object or list has no leaves beneath it; a null leaf is a leaf seen.
      if (!(type instanceof GraphQLList) && !isCompositeType(type)) noteLeaf(at, value);
      return;
    }
    if (type instanceof GraphQLList) {
      if (!Array.isArray(value)) {
        result.problems.push(`${at}: expected a list (${String(type)}), got ${JSON.stringify(value)}`);
        return;
      }
      value.forEach((item, i) => checkValue(type.ofType, selectionSets, item, `${at}.${i}`));
      return;
    }
    if (isCompositeType(type)) return checkObject(type, selectionSets, value, at);
    const problem = leafProblem(type as GraphQLScalarType | GraphQLEnumType, value);
    if (problem) result.problems.push(`${at}: ${problem}`);
    noteLeaf(at, value);
  }

  function noteLeaf(at: string, value: unknown) {
    result.leaves.push(at);
    if (value !== null) result.nonNullLeaves.push(at);
  }

  function schemaString() {
    return schema.getType('String') as GraphQLScalarType;
  }
}

function leafProblem(type: GraphQLScalarType | GraphQLEnumType, value: unknown): string | null {
  const got = `${JSON.stringify(value)} (${typeof value})`;
  if (type instanceof GraphQLEnumType) {
    const names = type.getValues().map((v) => v.name);
    return typeof value === 'string' && names.includes(value) ? null : `expected one of ${type.name} (${names.join(', ')}), got ${got}`;
  }
  switch (type.name) {
    case 'ID':
      return typeof value === 'string' && value.length > 0 ? null : `expected a non-empty ID string, got ${got}`;
    case 'String':
      return typeof value === 'string' ? null : `expected a String, got ${got}`;
    case 'Int':
      return Number.isInteger(value) && (value as number) >= INT_MIN && (value as number) <= INT_MAX ? null : `expected a 32-bit Int, got ${got}`;
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value) ? null : `expected a Float, got ${got}`;
    case 'Boolean':
      return typeof value === 'boolean' ? null : `expected a Boolean, got ${got}`;
    default:
      return `custom scalar ${type.name}: no runtime check known for it`;
  }
}

const join = (at: string, key: string) => (at ? `${at}.${key}` : key);

/** Every leaf field the operation selects, as shapes (`products.edges.node.price.cents`). */
export function selectedLeaves(schema: GraphQLSchema, operation: ContractOperation): string[] {
  const leaves: string[] = [];
  const walk = (parent: GraphQLCompositeType, selectionSet: SelectionSetNode, at: string) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : operation.fragments[selection.name.value];
        const condition = fragment?.typeCondition ? (typeFromAST(schema, fragment.typeCondition) as GraphQLCompositeType) : parent;
        if (fragment) walk(condition, fragment.selectionSet, at);
        continue;
      }
      const key = join(at, selection.alias?.value ?? selection.name.value);
      if (selection.name.value === '__typename') {
        leaves.push(key);
        continue;
      }
      const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
      const named = field && getNamedType(field.type);
      if (selection.selectionSet && named && isCompositeType(named)) walk(named, selection.selectionSet, key);
      else leaves.push(key);
    }
  };
  const root = schema.getRootType(operation.definition.operation);
  if (root) walk(root, operation.definition.selectionSet, '');
  return [...new Set(leaves)];
}

/** The JSON payload of a JWT (no signature check: the router and subgraphs do that). */
export function jwtParts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return null;
  try {
    const decode = (p: string) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    return { header: decode(parts[0]), payload: decode(parts[1]) };
  } catch {
    return null;
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Whether `value` is an ISO-8601 UTC timestamp between `from` and now (a second of slack each side). */
export function isRecentIso(value: unknown, from: number): boolean {
  if (typeof value !== 'string' || !ISO.test(value)) return false;
  const t = Date.parse(value);
  return t >= from - 1000 && t <= Date.now() + 1000;
}
