import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import {
  answerJson,
  answerMetrics,
  bearerToken,
  clientAddressHeaders,
  graphqlHttpErrors,
  graphqlPost,
  graphqlTelemetry,
  operationRecorder,
  isRecording,
  jwksVerifier,
  listen,
  maskErrors,
  newTraceparent,
  rememberVerified,
  routerHeaders,
  ShopError,
  traceHttpRequests,
  traceIdOf,
  ORDER_AS_OF_HEADER,
  type Config,
  type Logger,
  type RunningServer,
} from '@shop/kernel';
import type { RouterContext } from './context';
import { landingPage } from './explorer';
import { MAX_BODY_BYTES, queryLimits } from './limits';
import { KEPT_ANSWER_HEADER, singleFetchShortcut } from './single-fetch';
import { serveStorefront } from './storefront';
import { subgraphFetcher } from './subgraph-fetcher';
import { allSubgraphsAnswer, subgraphsOf } from './subgraphs';
import { orderChangeFeed } from './subscriptions/order-changes';
import { serveSubscriptions } from './subscriptions/websocket';

/** A subgraph's data source whose "unavailable" error names where in the response data is missing. */
class SubgraphSource extends RemoteGraphQLDataSource<RouterContext> {
  override async process(options: Parameters<RemoteGraphQLDataSource<RouterContext>['process']>[0]) {
    try {
      return await super.process(options);
    } catch (err) {
      const path = 'pathInIncomingRequest' in options ? options.pathInIncomingRequest?.map(String) : undefined;
      if (err instanceof ShopError && err.extensions.code === 'SERVICE_UNAVAILABLE' && path?.length)
        throw new GraphQLError(err.message, { path, extensions: err.extensions });
      throw err;
    }
  }
}

export async function startRouter(config: Config, logger: Logger): Promise<RunningServer> {
  const supergraphSdl = readFileSync(config.supergraphFile, 'utf8');
  const subgraphs = subgraphsOf(supergraphSdl, config);
  // What a subgraph call carries besides its body: the router's own headers (subgraphs answer
  // _entities and _service only to the router and our services), then only the client's token,
  // its signed address, the subscription's order version and the trace; nothing else a client
  // sends reaches a subgraph's headers.
  const ownHeaders = routerHeaders(config.serviceToken);
  const headersFor = (context: RouterContext) => {
    const headers: Record<string, string> = { ...ownHeaders };
    if (context.authorization) headers.authorization = context.authorization;
    if (context.clientAddress) Object.assign(headers, clientAddressHeaders(context.clientAddress, config.serviceToken));
    if (context.orderAsOf) headers[ORDER_AS_OF_HEADER] = context.orderAsOf;
    if (context.traceparent) headers.traceparent = context.traceparent;
    return headers;
  };
  const tracing = isRecording();
  const contextOf = (req: http.IncomingMessage): RouterContext => ({
    authorization: req.headers.authorization,
    clientAddress: req.socket.remoteAddress,
    // Tracing on, the trace is in a server span (AsyncLocalStorage); off, in the request's context.
    traceparent: tracing ? undefined : newTraceparent(),
    keptAnswer: singleFetch.keptAnswerOf(req),
  });
  const client = subgraphFetcher({ mergeAnonymousReads: config.routerMergeReads, names: new Map([...subgraphs].map(([name, url]) => [url, name])) });
  const recordOperation = operationRecorder(logger, (context: RouterContext) => context.traceparent && traceIdOf(context.traceparent));
  const singleFetch = singleFetchShortcut({
    fetcher: client.fetcher,
    urls: subgraphs,
    supergraphSdl,
    headersFor,
    contextOf,
    answered: (operationName, started, context) => recordOperation(operationName, started, undefined, context),
  });
  const gateway = new ApolloGateway({
    supergraphSdl,
    experimental_didResolveQueryPlan: singleFetch.remember,
    buildService: ({ name, url }) =>
      new SubgraphSource({
        url: subgraphs.get(name) ?? url,
        fetcher: singleFetch.fetcher,
        willSendRequest({ request, context }) {
          for (const [name, value] of Object.entries(headersFor(context))) request.http?.headers.set(name, value);
          // The plan's one call: it takes the answer the shortcut kept (a mutation is sent once).
          if (context.keptAnswer) request.http?.headers.set(KEPT_ANSWER_HEADER, context.keptAnswer);
          context.keptAnswer = undefined;
        },
        // A subgraph that does not answer (down, restarting, overloaded) is a contract error the
        // client may retry, not an internal one: the rest of the response stands.
        didEncounterError(error, _request, response) {
          if (!response || response.status >= 502) throw new ShopError('SERVICE_UNAVAILABLE', `The ${name} service is unavailable, please retry`);
          throw error;
        },
      }),
  });
  const app = express();
  // A plain JSON POST to /graphql is served without Express (the kernel's graphqlPost).
  const httpServer = http.createServer((req, res) => {
    if (!servePost(req, res)) app(req, res);
  });
  const limits = queryLimits();
  const verifier = rememberVerified(jwksVerifier(config.jwksUrl, {}, logger));
  const feed = orderChangeFeed(config, logger);
  const subscriptions = serveSubscriptions(httpServer, {
    schema: () => gateway.schema!,
    execute: (request, contextValue) => server.executeOperation(request, { contextValue }),
    verifier,
    feed,
    validationRules: limits.validationRules,
    keepAliveMs: config.wsKeepAliveMs,
    logger,
  });
  const server = new ApolloServer<RouterContext>({
    gateway,
    formatError: maskErrors(logger),
    includeStacktraceInErrorResponses: false,
    // The process's own handler stops everything in order (bootstrap.ts). Apollo Server's, beside
    // it, called stop() a second time, which waited for the first forever: every process then
    // exited only at the shutdown's time bound, 3 s after the signal.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    // The explorer needs introspection; in production both are off unless GRAPHQL_EXPLORER=true.
    introspection: config.explorer,
    // A browser's simple request (GET, form post) must say it is not a cross-site forgery.
    csrfPrevention: true,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ...limits.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: subscriptions.dispose }) },
      ApolloServerPluginUsageReportingDisabled(),
      // No cache hints are used: the default plugin's per-field work is spared.
      ApolloServerPluginCacheControlDisabled(),
      landingPage(config),
      graphqlTelemetry(recordOperation),
    ],
  });
  await server.start();
  /** A bad token fails the whole request with 401 before any planning happens. */
  const tokenAccepted = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const token = bearerToken(req.headers.authorization);
      if (token) await verifier.verify(token);
      return true;
    } catch (err) {
      answerJson(res, 401, { errors: [{ message: (err as Error).message, extensions: { code: 'UNAUTHENTICATED' } }] });
      return false;
    }
  };
  const servePost = graphqlPost({
    server,
    maxBodyBytes: MAX_BODY_BYTES,
    context: async (req) => contextOf(req),
    admit: tokenAccepted,
    shortcut: singleFetch.answer,
    // Every request starts a trace of its own: a public client's traceparent is not taken.
    span: tracing ? { name: 'router /graphql', continueIncoming: false } : undefined,
    logger,
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', connections: subscriptions.connections(), subscriptions: feed.watching() });
  });
  app.get('/readyz', async (_req, res) => {
    const subgraphStatus = await allSubgraphsAnswer(subgraphs);
    const ready = feed.bound() && Object.values(subgraphStatus).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', subgraphs: subgraphStatus, orderChanges: feed.bound() });
  });
  // On the public port: answered only with METRICS_TOKEN, or to this machine outside production (metrics-endpoint.ts).
  app.get('/metrics', (req, res, next) => void answerMetrics(config, req, res).catch(next));
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY_BYTES }),
    // Every request starts a trace of its own: a public client's traceparent is not taken.
    // Tracing on, in a server span (AsyncLocalStorage); off, in the request's context (contextOf).
    ...(tracing ? [traceHttpRequests('router /graphql', false)] : []),
    // A bad token fails the whole request with 401 before any planning happens.
    async (req, res, next) => {
      if (await tokenAccepted(req, res)) next();
    },
    (req, res, next) => void singleFetch.answer(req, res).then((answered) => answered || next(), next),
    expressMiddleware(server, { context: async ({ req }) => contextOf(req) }),
  );
  // After /graphql, so GET /graphql stays the explorer; everything else may be a storefront page.
  if (!serveStorefront(app)) logger.info('no storefront build (web/dist): `npm run build -w web` makes one');
  app.use(graphqlHttpErrors(logger));
  await listen(httpServer, config);
  const { port } = httpServer.address() as { port: number };
  const url = `http://127.0.0.1:${port}/graphql`;
  logger.info({ url }, 'router ready');
  return {
    url,
    stop: async () => {
      await server.stop();
      await feed.stop();
      await client.close();
    },
  };
}
