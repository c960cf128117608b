import { getOperationAST, GraphQLError, Kind, OperationTypeNode, print, type DocumentNode, type FieldNode, type GraphQLSchema, type NameNode, type OperationDefinitionNode } from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';

/** What resolves the events of one `orderUpdated` subscription. */
export interface OrderSubscription {
  orderId: string;
  /** The client's selection on `orderUpdated`, as a query on `order(id)` under the same response name. */
  query: string;
  variables: Record<string, unknown>;
}

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * Turns a validated `orderUpdated` subscription into the query that resolves each of its events:
 * the same selection and variables on `order(id)`, answered under the response name the client
 * asked for, so the gateway plans it across subgraphs like any other query (product names come
 * from the catalogue).
 */
export function toOrderQuery(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
): OrderSubscription | GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION) return [badInput('Not a subscription')];
  const [root, ...others] = operation.selectionSet.selections;
  if (root?.kind !== Kind.FIELD || root.name.value !== 'orderUpdated' || others.length)
    return [badInput('A subscription selects orderUpdated directly, and only it')];

  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return coerced.errors.map((e) => badInput(e.message));
  const field = schema.getSubscriptionType()!.getFields().orderUpdated;
  const { id } = getArgumentValues(field, root, coerced.coerced);

  const name = (value: string): NameNode => ({ kind: Kind.NAME, value });
  const order: FieldNode = { ...root, alias: root.alias ?? name('orderUpdated'), name: name('order') };
  const asQuery: OperationDefinitionNode = {
    ...operation,
    operation: OperationTypeNode.QUERY,
    selectionSet: {
      ...operation.selectionSet,
      selections: [order],
    },
  };
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return { orderId: String(id), query: print({ ...document, definitions: [asQuery, ...fragments] }), variables };
}
