import type http from 'node:http';
import { Repeater } from '@repeaterjs/repeater';
import type { GraphQLRequest, GraphQLResponse } from '@apollo/server';
import { GraphQLError, getOperationAST, parse, specifiedRules, validate, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken, formatOrderAsOf, type Logger, type TokenVerifier } from '@shop/kernel';
import type { RouterContext } from '../context';
import { costLimitError } from '../cost';
import { MAX_BODY_BYTES, PARSE_OPTIONS } from '../limits';
import type { OrderChangeFeed, OrderWatch } from './order-changes';
import { toOrderQuery, type OrderSubscription } from './order-query';

/** Subscriptions one connection may hold at once. */
const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;

export interface SubscriptionServerOptions {
  /** The supergraph's API schema, once the gateway has loaded it. */
  schema(): GraphQLSchema;
  /** Runs an operation through the gateway, as Apollo Server runs an HTTP request. */
  execute(request: GraphQLRequest, context: RouterContext): Promise<GraphQLResponse>;
  verifier: TokenVerifier;
  feed: OrderChangeFeed;
  validationRules: ValidationRule[];
  /** The server pings this often; a client that has not answered by the next ping is dropped. */
  keepAliveMs: number;
  logger: Logger;
}

/** A connection's caller: what goes to the subgraphs, and who it is. */
interface Caller extends RouterContext {
  /** The verified identity (user, role, email), or anonymous: equal viewers get equal answers. */
  viewer: string;
}

/** What onSubscribe hands to execute/subscribe. */
interface Prepared {
  caller: Caller;
  request: GraphQLRequest;
  subscription?: OrderSubscription;
  /** Started before the access check, so no change falls between the check and the first event. */
  watch?: OrderWatch;
  /** How many changes of the order the subscriber had seen when it subscribed. */
  seen?: number;
}

const codeError = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });
const fromFormatted = (e: GraphQLFormattedError) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions });

/** Apollo answers with formatted (already masked) errors; graphql-ws sends GraphQLErrors. */
function toExecutionResult(response: GraphQLResponse): ExecutionResult {
  if (response.body.kind !== 'single') return { errors: [codeError('Incremental delivery is not supported', 'BAD_REQUEST')] };
  const { data, errors } = response.body.singleResult;
  return { data, ...(errors && { errors: errors.map(fromFormatted) }) };
}

/**
 * Subscriptions over graphql-ws on the router's own /graphql path. @apollo/gateway executes no
 * subscriptions, so the router does it: it checks the subscription against the API schema and
 * the query limits, and on each change of the order resolves the client's selection through the
 * gateway as a query on `order(id)`, as the subscriber, pinned to that change. One code path
 * for queries and events; fields of every subgraph; authorization checked by the subgraphs on
 * every event, as for any query.
 */
export function serveSubscriptions(httpServer: http.Server, options: SubscriptionServerOptions) {
  const { execute, feed, verifier, logger } = options;
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: MAX_BODY_BYTES });

  const run = async (request: GraphQLRequest, { viewer: _, ...context }: Caller) => toExecutionResult(await execute(request, context));

  /**
   * Resolutions under way, shared by the subscribers who would get the same answer: the same
   * viewer, operation and change (one customer's phone and laptop, say). What subgraphs answer
   * depends on the identity alone, never on which of its tokens was sent.
   */
  const resolving = new Map<string, Promise<ExecutionResult>>();
  function runShared(request: GraphQLRequest, caller: Caller): Promise<ExecutionResult> {
    const key = JSON.stringify([caller.viewer, caller.orderAsOf, request.query, request.variables]);
    let result = resolving.get(key);
    if (!result) {
      result = run(request, caller).finally(() => resolving.delete(key));
      resolving.set(key, result);
    }
    return result;
  }

  /** Closes the connection when its token expires: the client reconnects with a fresh one. */
  function closeAtExpiry(socket: WebSocket, expiresAt: number) {
    const timer = setTimeout(() => socket.close(CloseCode.Unauthorized, 'Unauthorized: token expired'), Math.min(expiresAt * 1000 - Date.now(), 2 ** 31 - 1));
    socket.once('close', () => clearTimeout(timer));
  }

  /** The changes the watch brings after the first `seen`, each resolved as of that change, in order. */
  function orderUpdates({ caller, subscription, watch, seen }: Prepared) {
    const { orderId, query, variables } = subscription!;
    return new Repeater<ExecutionResult>(async (push, stop) => {
      void stop.then(() => watch!.stop());
      let delivered = seen!;
      for (let change; (change = await watch!.next()); ) {
        // A change delivered twice, or late after a later one, holds nothing new: skipped.
        for (const status of change.history.slice(delivered)) {
          const asOf = { ...caller, orderAsOf: formatOrderAsOf({ orderId, status }) };
          await push(
            runShared({ query, variables }, asOf).catch((err) => {
              logger.error({ err, orderId }, 'resolving an order change failed');
              return { errors: [codeError('Internal server error', 'INTERNAL_SERVER_ERROR')] };
            }),
          );
        }
        delivered = Math.max(delivered, change.history.length);
      }
    });
  }

  const server = useServer<Record<string, unknown>, { caller: Caller }>(
    {
      isProd: true,
      // Same rules as HTTP: no token is anonymous; a bad one closes the connection, saying why.
      async onConnect(ctx) {
        const { extra, connectionParams: params = {} } = ctx;
        const authorization = params.authorization ?? params.Authorization;
        try {
          if (authorization !== undefined && typeof authorization !== 'string') throw new Error('authorization must be a string');
          const token = bearerToken(authorization);
          const identity = token ? await verifier.verify(token) : null;
          if (identity?.expiresAt) closeAtExpiry(extra.socket, identity.expiresAt);
          const viewer = identity ? JSON.stringify([identity.userId, identity.role, identity.email]) : 'anonymous';
          extra.caller = { authorization, clientAddress: extra.request.socket.remoteAddress, viewer };
          return true;
        } catch (err) {
          extra.socket.close(CloseCode.Unauthorized, `Unauthorized: ${(err as Error).message}`.slice(0, 120));
          return false;
        }
      },

      async onSubscribe(ctx, id, payload) {
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION)
          return [codeError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`, 'TOO_MANY_REQUESTS')];
        const schema = options.schema();
        let document;
        try {
          document = parse(payload.query, PARSE_OPTIONS);
        } catch (err) {
          return [codeError((err as Error).message, 'GRAPHQL_PARSE_FAILED')];
        }
        const invalid = validate(schema, document, [...specifiedRules, ...options.validationRules]);
        // No field suggestions, as over HTTP: they would map the schema for an attacker.
        if (invalid.length) return invalid.map((e) => codeError(e.message.replace(/ Did you mean .*\?$/, ''), 'GRAPHQL_VALIDATION_FAILED'));
        // The same cost limit as over HTTP, with this message's variables.
        const tooCostly = costLimitError(schema, document, payload.operationName, payload.variables);
        if (tooCostly) return [tooCostly];

        const caller = ctx.extra.caller!;
        const request = { query: payload.query, variables: payload.variables ?? undefined, operationName: payload.operationName ?? undefined };
        const base = { schema, document, operationName: payload.operationName, variableValues: payload.variables };
        if (getOperationAST(document, payload.operationName)?.operation !== 'subscription')
          return { ...base, contextValue: { caller, request } satisfies Prepared };

        const subscription = toOrderQuery(schema, document, payload.operationName, payload.variables ?? {});
        if (Array.isArray(subscription)) return subscription;
        const watch = feed.watch(subscription.orderId);
        // May the subscriber see this order? Asked as a query, as them: the orders subgraph answers FORBIDDEN or nothing.
        const check = await run({ query: 'query($id: ID!) { order(id: $id) { statusHistory { status } } }', variables: { id: subscription.orderId } }, caller);
        const order = check.data?.order as { statusHistory: unknown[] } | null | undefined;
        const refusal = check.errors?.length ? check.errors : !order ? [codeError('Order not found', 'NOT_FOUND')] : undefined;
        // The client may have completed the subscription, or left (graphql-ws then forgets every id), while we checked.
        if (refusal || !(id in ctx.subscriptions)) {
          watch.stop();
          return refusal ?? [codeError('Subscription completed', 'BAD_REQUEST')];
        }
        // Changes from here on are delivered (those the check saw are not new): /healthz may count it.
        watch.ready();
        return { ...base, contextValue: { caller, request, subscription, watch, seen: order!.statusHistory.length } satisfies Prepared };
      },

      execute: (args) => {
        const { caller, request } = args.contextValue as Prepared;
        return run(request, caller);
      },
      subscribe: (args) => orderUpdates(args.contextValue as Prepared),
    },
    wsServer,
    options.keepAliveMs,
  );
  return {
    dispose: async () => void (await server.dispose()),
    /** Open WebSocket connections, for /healthz. */
    connections: () => wsServer.clients.size,
  };
}
