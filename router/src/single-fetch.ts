import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BREAK,
  getNamedType,
  getVariableValues,
  isAbstractType,
  isEnumType,
  Kind,
  parse,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { routerMergedPlans, routerSingleFetch } from '@shop/kernel';
import type { RouterContext } from './context';
import { costLimitError } from './cost';
import { compileSelections, isPlainObject, plannedFetches, runPlan, shapeAnswer, usedBy, type PlanStep, type SendFetch } from './fetch-plan';

/** For the per-request checks: the API schema and the client's validated document. */
interface Checks {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/** A query or mutation whose answer is one subgraph's answer, as it comes. */
interface SingleFetch extends Checks {
  kind: 'single';
  url: string;
  /** Sent once whatever it answers: an answer that goes the full way is kept for the gateway's call. */
  mutation: boolean;
  /** What the gateway sends that subgraph: its operation, and which client variables it uses. */
  query: string;
  operationName?: string;
  variableUsages: string[];
}

/** A query planned as several fetches whose answers only need merging, and the client's selections to shape them. */
interface PlannedQuery extends Checks {
  kind: 'plan';
  steps: PlanStep;
  selections: NonNullable<ReturnType<typeof compileSelections>>;
}

type Verdict = SingleFetch | PlannedQuery;
type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];

export interface SingleFetchOptions {
  fetcher: Fetcher;
  /** Subgraph name to URL. */
  urls: Map<string, string>;
  /** The supergraph's SDL: enums with @inaccessible values are left to the gateway. */
  supergraphSdl: string;
  /** The headers the gateway's data sources send for this request's context (router.ts). */
  headersFor(context: RouterContext): Record<string, string>;
  contextOf(req: IncomingMessage): RouterContext;
  /** Called with the operation's name and start time once answered (metrics). */
  answered(operationName: string | undefined, started: number, context: RouterContext): void;
  /** Memory for remembered queries (those that qualify and those that do not), least recently used out first. */
  maxBytes?: number;
}

/** The header by which the gateway's call for a request names the answer kept for it (never sent). */
export const KEPT_ANSWER_HEADER = 'x-shop-kept-answer';

/**
 * Queries and mutations planned as one fetch skip the gateway's execution.
 *
 * When the plan of a query is a single fetch from one subgraph that selects exactly what the client
 * selected (same fields, arguments and aliases; no fragments, directives, introspection, abstract
 * types or enums with hidden values), the gateway's execution only copies the subgraph's data into
 * the same shape: its answer is the answer. The gateway tells us each plan it resolves
 * (`remember`, as `experimental_didResolveQueryPlan`); a later request with the same query text
 * and operation name is checked as the full way checks it (its variables against the API schema,
 * the cost limit with them) and sent straight to that subgraph with the same operation, variables
 * and headers the gateway would send. Only an answer that is data alone (status 200, no errors, no
 * extensions) is passed on as it is; anything else, and any request that does not pass a check,
 * goes the full way through Apollo Server and the gateway, which answer it as always. A query's
 * subgraph is then asked again; a mutation is never sent twice: its answer (or the failed call) is
 * kept, the request's context names it (`keptAnswerOf`), and the gateway's call, tagged with that
 * name (KEPT_ANSWER_HEADER), gets it from `fetcher` instead of the subgraph, so the gateway shapes
 * its errors as always. Validation, the token check, the limits and CSRF prevention have run
 * before: an operation is remembered only after Apollo Server validated it.
 *
 * A query planned as several fetches whose answers only need merging (fetch-plan.ts: root and
 * entity fetches, in sequence and in parallel) is run the same way: the same calls as the
 * gateway's, their data merged as the gateway merges it, then shaped to the client's selections
 * as the gateway's computeResponse shapes it. Any answer that is not data alone, a missing value,
 * or a null the gateway would report as an error sends it the full way, where the gateway asks
 * again (queries only: a read may be sent twice).
 */
export function singleFetchShortcut(options: SingleFetchOptions) {
  // A verdict holds the query's text (the key) and its parsed document: about 8 bytes per character.
  const verdicts = new LRUCache<string, Verdict | false>({ maxSize: options.maxBytes ?? 32 * 2 ** 20, sizeCalculation: (_, key) => key.length * 8 });
  const hiddenEnums = enumsWithHiddenValues(options.supergraphSdl);
  const answeredCount = routerSingleFetch.labels('answered');
  const fullWayCount = routerSingleFetch.labels('full_way');
  const plannedCount = routerMergedPlans.labels('answered');
  const plannedFullWayCount = routerMergedPlans.labels('full_way');
  // Mutation answers going the full way, by name, until the gateway's call takes them or the request ends.
  const kept = new Map<string, { url: string; outcome: Promise<FetcherResponse> }>();
  const keptFor = new WeakMap<IncomingMessage, string>();

  const remember: Experimental_DidResolveQueryPlanCallback = ({ queryPlan, requestContext }) => {
    const { request, document, operation, schema } = requestContext;
    if (typeof request.query !== 'string' || !document || !operation) return;
    const key = keyOf(request.query, request.operationName);
    if (verdicts.has(key)) return;
    verdicts.set(key, verdictOf(queryPlan, schema, document, operation) ?? false);
  };

  function verdictOf(queryPlan: QueryPlan, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Verdict | undefined {
    const node = queryPlan.node;
    if (!node || (operation.operation !== 'query' && operation.operation !== 'mutation')) return undefined;
    if (document.definitions.some((d) => d.kind === Kind.FRAGMENT_DEFINITION) || !plainSelections(schema, operation, hiddenEnums)) return undefined;
    const checks = { schema, document, operation };
    const url = node.kind === 'Fetch' ? options.urls.get(node.serviceName) : undefined;
    const single =
      node.kind === 'Fetch' &&
      url !== undefined &&
      node.operationKind === operation.operation &&
      !node.requires?.length &&
      !node.inputRewrites?.length &&
      !node.outputRewrites?.length &&
      !node.contextRewrites?.length &&
      sameSelections(operation, node.operationDocumentNode ?? parse(node.operation));
    if (single)
      return {
        ...checks,
        kind: 'single',
        url: url!,
        mutation: operation.operation === 'mutation',
        query: node.operation,
        operationName: node.operationName,
        variableUsages: node.variableUsages ?? [],
      };
    // Several fetches: queries only, as the plan may send one subgraph's part again on the full way.
    if (operation.operation !== 'query') return undefined;
    const steps = plannedFetches(node, schema, options.urls);
    const selections = compileSelections(schema, operation);
    return steps && selections && { ...checks, kind: 'plan', steps, selections };
  }

  /**
   * Answers a POST to /graphql whose body is parsed and token checked, when its query takes the
   * shortcut; false when it does not, or when the answer must come the full way.
   */
  async function answer(req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<boolean> {
    const started = performance.now();
    const body = req.body;
    if (req.method !== 'POST' || !isPlainObject(body) || typeof body.query !== 'string') return false;
    const { query, operationName, variables = {}, extensions } = body;
    if (!(operationName == null || (typeof operationName === 'string' && operationName)) || !(variables === null || isPlainObject(variables))) return false;
    // Apollo Client 4 names itself in `extensions` (clientLibrary), which Apollo Server ignores; a
    // persisted query's hash is Apollo Server's to handle.
    if (!(extensions === undefined || (isPlainObject(extensions) && !('persistedQuery' in extensions)))) return false;
    const plan = verdicts.get(keyOf(query, operationName));
    if (!plan) return false;
    const given = variables ?? {};
    if (getVariableValues(plan.schema, plan.operation.variableDefinitions ?? [], given, { maxErrors: 1 }).errors) return fullWay();
    if (costLimitError(plan.schema, plan.document, operationName, given)) return fullWay();

    const context = options.contextOf(req);
    const headers = { ...options.headersFor(context), 'content-type': 'application/json' };
    const text = plan.kind === 'single' ? await singleAnswer(req, res, plan, given, headers) : await plannedAnswer(plan, given, headers);
    if (text === undefined) return false;
    // As Apollo Server writes a response: JSON and a newline.
    const out = text.endsWith('\n') ? text : `${text}\n`;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) }).end(out);
    (plan.kind === 'single' ? answeredCount : plannedCount).inc();
    options.answered(operationName ?? plan.operation.name?.value, started, context);
    return true;
  }

  /** The subgraph's answer as it is, when it is data alone; undefined for the full way. */
  async function singleAnswer(req: IncomingMessage, res: ServerResponse, plan: SingleFetch, given: Record<string, unknown>, headers: Record<string, string>) {
    const outcome = options.fetcher(plan.url, { method: 'POST', headers, body: JSON.stringify({ query: plan.query, variables: usedBy(plan.variableUsages, given), operationName: plan.operationName }) });
    try {
      const response = await outcome;
      if (response.status !== 200) return void fullWay(req, res, plan, outcome);
      const text = await response.text();
      return isDataAlone(JSON.parse(text)) ? text : void fullWay(req, res, plan, outcome);
    } catch {
      return void fullWay(req, res, plan, outcome);
    }
  }

  /** The plan's answers merged and shaped as the gateway would, when every one is data alone; undefined for the full way. */
  async function plannedAnswer(plan: PlannedQuery, given: Record<string, unknown>, headers: Record<string, string>) {
    const send: SendFetch = async (fetch, variables) => {
      const response = await options.fetcher(fetch.url, { method: 'POST', headers, body: JSON.stringify({ query: fetch.query, variables, operationName: fetch.operationName }) });
      if (response.status !== 200) return undefined;
      const answer: unknown = await response.json();
      return isDataAlone(answer) ? answer.data : undefined;
    };
    const data: Record<string, unknown> = {};
    const shaped = (await runPlan(plan.steps, data, given, send).catch(() => false)) ? shapeAnswer(plan.selections, data) : undefined;
    if (shaped) return JSON.stringify({ data: shaped });
    plannedFullWayCount.inc();
    return undefined;
  }

  /** False, for the full way; a mutation's outcome is kept for the gateway's call, as it must not be sent again. */
  const fullWay = (req?: IncomingMessage, res?: ServerResponse, plan?: SingleFetch, outcome?: Promise<FetcherResponse>) => {
    fullWayCount.inc();
    if (req && res && plan?.mutation && outcome) {
      const name = randomUUID();
      outcome.catch(() => undefined); // the gateway's call takes the failure, if it comes
      kept.set(name, { url: plan.url, outcome });
      keptFor.set(req, name);
      res.once('close', () => kept.delete(name));
    }
    return false;
  };

  /**
   * options.fetcher, but a call tagged with a kept answer's name gets that answer, once, and is
   * never sent: with the answer gone (its request ended: the client left) it fails instead.
   */
  const fetcher: Fetcher = (url, init = {}) => {
    const name = (init.headers as Record<string, string> | undefined)?.[KEPT_ANSWER_HEADER];
    if (name === undefined) return options.fetcher(url, init);
    const answer = kept.get(name);
    kept.delete(name);
    return answer?.url === url ? answer.outcome : Promise.reject(new Error('the mutation was sent already; its answer is gone'));
  };

  return { remember, answer, fetcher, keptAnswerOf: (req: IncomingMessage) => keptFor.get(req) };
}

const keyOf = (query: string, operationName: unknown) => `${operationName ?? ''}\n${query}`;

/** `{"data": {...}}` and nothing else. */
const isDataAlone = (answer: unknown): answer is { data: Record<string, unknown> } => isPlainObject(answer) && isPlainObject(answer.data) && Object.keys(answer).length === 1;

/**
 * True when every value of the client's answer is one the gateway passes on unchanged: no
 * directives (@skip, @include, @defer), no fragments, no introspection fields but an object's
 * `__typename` (which Apollo Client adds to every selection; a subgraph's root types may be named
 * otherwise), no interface or union (the gateway checks each object's type against the API
 * schema), no enum with a value the API schema hides (the gateway turns such a value into null
 * and an error).
 */
export function plainSelections(schema: GraphQLSchema, client: OperationDefinitionNode, hiddenEnums: ReadonlySet<string>): boolean {
  let plain = true;
  const refuse = () => {
    plain = false;
    return BREAK;
  };
  const typeInfo = new TypeInfo(schema);
  visit(
    client,
    visitWithTypeInfo(typeInfo, {
      Directive: refuse,
      FragmentSpread: refuse,
      InlineFragment: refuse,
      Field(node) {
        const type = typeInfo.getType();
        const named = type && getNamedType(type);
        // An object's __typename is its name in every subgraph; a root type's may not be.
        const typename = node.name.value === '__typename' && typeInfo.getParentType() !== schema.getQueryType();
        if ((node.name.value.startsWith('__') && !typename) || !named || isAbstractType(named) || (isEnumType(named) && hiddenEnums.has(named.name))) return refuse();
      },
    }),
  );
  return plain;
}

/** True when the subgraph's operation (one, alone) selects exactly what the client's does. */
function sameSelections(client: OperationDefinitionNode, subgraph: DocumentNode): boolean {
  const [sent, ...more] = subgraph.definitions;
  return !more.length && sent?.kind === Kind.OPERATION_DEFINITION && print(client.selectionSet) === print(sent.selectionSet);
}

/** Names of the supergraph's enums with at least one @inaccessible value. */
export function enumsWithHiddenValues(supergraphSdl: string): Set<string> {
  const names = new Set<string>();
  for (const definition of parse(supergraphSdl).definitions)
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.values?.some((v) => v.directives?.some((d) => d.name.value === 'inaccessible')))
      names.add(definition.name.value);
  return names;
}
