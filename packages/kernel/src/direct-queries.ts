import type { IncomingMessage, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import { execute, getOperationAST, GraphQLError, parse, validate, visit, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { AuthContext } from './auth';
import type { GraphqlRequest } from './graphql-post';
import type { OperationRecorder } from './telemetry/graphql-telemetry';
import { subgraphDirectQueries } from './telemetry/metrics';
import { isRecording } from './telemetry/trace-context';

/** A query document this path may run: it parsed, it is valid, and it asks for no introspection. */
interface Runnable {
  document: DocumentNode;
  /** Asks for `_entities` or `_service`, which only the router and our services may. */
  asksFederation: boolean;
  /** Its operations compiled to functions (graphql-jit) on first use, by name ('' when unnamed). */
  compiled: Map<string, CompiledQuery | null>;
}

// Longer queries, and anything unusual, go through Apollo Server, whose document cache is
// bounded by size; this one keeps at most MAX_DOCUMENTS short ones.
const MAX_QUERY_LENGTH = 10_000;
const MAX_DOCUMENTS = 1000;
/** Federation's own fields: `_entities` resolves any representation it is given, `_service` shows the whole SDL. */
export const FEDERATION_FIELDS = new Set(['_entities', '_service']);
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

export interface DirectQueryOptions<C extends AuthContext> {
  schema: GraphQLSchema;
  context(req: IncomingMessage): Promise<C>;
  record: OperationRecorder;
  /** The server's formatError (maskErrors). */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

/**
 * graphql-jit's errors as graphql-js's, which formatError expects: same message, locations, path,
 * cause. Its own inherit graphql-js's prototype but not its constructor (no `extensions` object).
 */
function asGraphQLError(error: { message: string; locations?: unknown; path?: readonly (string | number)[]; originalError?: Error; extensions?: Record<string, unknown> }): GraphQLError {
  const converted = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  return Object.assign(converted, { locations: error.locations });
}

/**
 * Field errors as Apollo Server formats them (its normalizeAndFormatErrors): a code for every
 * error, `extensions.http` taken out into the answer's status and headers, then formatError.
 */
function formatErrors(errors: readonly GraphQLError[], formatError: DirectQueryOptions<AuthContext>['formatError']) {
  let status = 200;
  const headers: Record<string, string> = {};
  const formatted = errors.map((error) => {
    try {
      const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' };
      const http = extensions.http as { status?: unknown; headers?: unknown } | undefined;
      if (http && typeof http === 'object' && (!('status' in http) || typeof http.status === 'number') && (!('headers' in http) || http.headers instanceof Map)) {
        if (http.status) status = http.status as number;
        for (const [name, value] of (http.headers as Map<string, string> | undefined) ?? []) headers[name] = value;
        delete extensions.http;
      }
      return formatError({ ...error.toJSON(), extensions }, error);
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  });
  return { formatted, status, headers };
}

/**
 * Runs a subgraph's queries and mutations without Apollo Server's request pipeline, which a perf
 * profile put at 12 to 20 % of every subgraph request's CPU (content negotiation, a SHA-256 of
 * each query, plugin hooks): the schema, the context and the recorder are the server's own, so
 * an operation answered here is answered as Apollo Server answers it, its field errors formatted
 * as Apollo Server formats them. Everything else returns false and goes to Apollo Server:
 * request errors (variables that do not fit: no resolver ran, so it costs nothing to run again
 * there, a mutation included), introspection, federation's fields asked by anyone but the
 * router or our services, persisted queries, batches, an `accept` header other than plain JSON.
 */
export function directQueries<C extends AuthContext>({ schema, context, record, formatError }: DirectQueryOptions<C>) {
  const documents = new Map<string, Runnable | null>(); // null: Apollo Server answers it
  const answered = subgraphDirectQueries.labels('answered');
  const passed = subgraphDirectQueries.labels('passed');

  function runnable(query: string): Runnable | null {
    let known = documents.get(query);
    if (known !== undefined) return known;
    known = null;
    try {
      const document = parse(query);
      let introspects = false;
      let asksFederation = false;
      visit(document, {
        Field(node) {
          introspects ||= INTROSPECTION_FIELDS.has(node.name.value);
          asksFederation ||= FEDERATION_FIELDS.has(node.name.value);
        },
      });
      if (!introspects && validate(schema, document).length === 0) known = { document, asksFederation, compiled: new Map() };
    } catch {
      // A syntax error: Apollo Server says so.
    }
    if (documents.size >= MAX_DOCUMENTS) documents.clear();
    documents.set(query, known);
    return known;
  }

  /**
   * graphql-jit turns an operation into a function once, which then runs it without graphql-js's
   * walk of the query per object and field (15 % less CPU per subgraph request under MyAccount,
   * docs/benchmarks.md). What it does not compile (null) runs in graphql-js.
   */
  function compiledOperation(known: Runnable, operationName: string | undefined): CompiledQuery | null {
    const key = operationName ?? '';
    let compiled = known.compiled.get(key);
    if (compiled === undefined) {
      const made = compileQuery(schema, known.document, operationName);
      known.compiled.set(key, (compiled = isCompiledQuery(made) ? made : null));
    }
    return compiled;
  }

  async function run(req: GraphqlRequest, res: ServerResponse): Promise<boolean> {
    const accept = req.headers.accept;
    if (accept !== undefined && accept !== 'application/json' && accept !== '*/*') return false;
    const { query, variables, operationName, extensions } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof query !== 'string' || query.length > MAX_QUERY_LENGTH) return false;
    if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return false;
    if (operationName != null && typeof operationName !== 'string') return false;
    if (extensions != null && (typeof extensions !== 'object' || 'persistedQuery' in extensions)) return false;
    const known = runnable(query);
    if (!known) return false;
    const operation = getOperationAST(known.document, operationName ?? undefined);
    if (operation?.operation !== 'query' && operation?.operation !== 'mutation') return false;
    const started = performance.now();
    // A bad token: Apollo Server answers 401, as it does for every request.
    const contextValue = await context(req).catch(() => undefined);
    if (!contextValue) return false;
    if (known.asksFederation && !contextValue.isService && !contextValue.fromRouter) return false;
    const name = operation.name?.value ?? null;
    if (name && isRecording()) trace.getActiveSpan()?.updateName(`graphql ${name}`);
    // Mutations run in graphql-js, which runs their root fields one after another, as the spec asks.
    const compiled = operation.operation === 'query' ? compiledOperation(known, operationName ?? undefined) : null;
    const variableValues = (variables ?? {}) as Record<string, unknown>;
    const result = compiled
      ? await compiled.query(undefined, contextValue, variableValues)
      : await execute({ schema, document: known.document, operationName: operationName ?? undefined, variableValues, contextValue });
    // A request error (no `data` at all): Apollo Server answers it, with its own status.
    if (result.errors && !('data' in result)) return false;
    // Field errors are answered here: running the query again would double a slow failure's
    // wait (a database that is down).
    const errors = result.errors && (compiled ? result.errors.map(asGraphQLError) : result.errors);
    const { formatted, status, headers } = errors ? formatErrors(errors, formatError) : { formatted: undefined, status: 200, headers: {} };
    // As Apollo Server writes a single result (errors first, then data; its prettyJSONStringify).
    res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' }).end(`${JSON.stringify({ errors: formatted, data: result.data })}\n`);
    record(name, started, formatted, contextValue);
    return true;
  }

  /** For graphqlPost's `shortcut`: true when it answered. */
  return async function answer(req: GraphqlRequest, res: ServerResponse): Promise<boolean> {
    const done = await run(req, res);
    (done ? answered : passed).inc();
    return done;
  };
}
