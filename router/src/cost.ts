import {
  getNamedType,
  getOperationAST,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';

export interface CostLimit {
  maxCost: number;
  /** What one object field costs, and one scalar field. */
  objectCost: number;
  scalarCost: number;
}

/**
 * What a request may cost: an estimate of the values it resolves, so the fan-out of nested lists
 * (a page of products, each with its recommendations) counts. A field costs 1 (scalar) or 2
 * (object) plus its selection, times its list size: its `first` argument as the request gives
 * it (literal or variable), else the argument's default. graphql-armor's cost rule reads only
 * literals, so `products(first: $n)` cost as if it returned one product.
 */
export const COST_LIMIT: CostLimit = { maxCost: 5000, objectCost: 2, scalarCost: 1 };

/** The list size a field asks for: its `first` argument (variables and defaults applied), else 1. */
function listSize(node: FieldNode, field: GraphQLField<unknown, unknown>, variables: Record<string, unknown>): number {
  const arg = field.args.find((a) => a.name === 'first');
  if (!arg) return 1;
  const given = node.arguments?.find((a) => a.name.value === 'first');
  const value = given ? valueFromAST(given.value, arg.type, variables) : undefined;
  const size = value ?? arg.defaultValue;
  // A size the subgraph will refuse (0, negative, not a number) costs as one.
  return typeof size === 'number' && Number.isFinite(size) && size > 1 ? size : 1;
}

/** The estimated cost of the operation, with the request's variables (their defaults applied). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
  limit: CostLimit = COST_LIMIT,
): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 1 });
  // Variables that do not fit their types fail the request before anything runs; the literals still count.
  const variables = coerced.coerced ?? {};
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  // A fragment's cost does not depend on where it is spread: computed once, so nested spreads stay linear.
  const fragmentCosts = new Map<string, number>();

  function selectionCost(selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') cost += limit.scalarCost;
        if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
        const field = parent.getFields()[name];
        if (!field) continue; // validation refuses it
        const type = getNamedType(field.type);
        const own = isCompositeType(type) ? limit.objectCost : limit.scalarCost;
        const children = selection.selectionSet && isCompositeType(type) ? selectionCost(selection.selectionSet, type) : 0;
        cost += (own + children) * listSize(selection, field, variables);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) cost += selectionCost(selection.selectionSet, type);
      } else {
        const name = selection.name.value;
        if (!fragmentCosts.has(name)) {
          fragmentCosts.set(name, 0); // a cycle (refused by validation) adds nothing
          const fragment = fragments.get(name);
          const type = fragment && schema.getType(fragment.typeCondition.name.value);
          fragmentCosts.set(name, fragment && isCompositeType(type) ? selectionCost(fragment.selectionSet, type) : 0);
        }
        cost += fragmentCosts.get(name)!;
      }
      if (cost > Number.MAX_SAFE_INTEGER) return cost;
    }
    return cost;
  }
  return selectionCost(operation.selectionSet, root);
}

/** The error for a request over the cost limit (GRAPHQL_VALIDATION_FAILED, HTTP 400), or undefined. */
export function costLimitError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limit: CostLimit = COST_LIMIT,
): GraphQLError | undefined {
  const cost = operationCost(schema, document, operationName, variables, limit);
  if (cost <= limit.maxCost) return undefined;
  return new GraphQLError(`Query cost limit of ${limit.maxCost} exceeded, found ${Math.round(cost)}`, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
  });
}
