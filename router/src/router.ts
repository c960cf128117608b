import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { listen, bearerToken, clientAddressHeaders, routerHeaders, graphqlHttpErrors, jwksVerifier, maskErrors, rememberVerified, ORDER_AS_OF_HEADER, type Config, type Logger, type RunningServer } from '@shop/kernel';
import type { RouterContext } from './context';
import { landingPage } from './explorer';
import { MAX_BODY_BYTES, queryLimits } from './limits';
import { serveStorefront } from './storefront';
import { subgraphFetcher } from './subgraph-fetcher';
import { allSubgraphsAnswer, subgraphsOf } from './subgraphs';
import { orderChangeFeed } from './subscriptions/order-changes';
import { serveSubscriptions } from './subscriptions/websocket';

export async function startRouter(config: Config, logger: Logger): Promise<RunningServer> {
  const supergraphSdl = readFileSync(config.supergraphFile, 'utf8');
  const subgraphs = subgraphsOf(supergraphSdl, config);
  const client = subgraphFetcher({ mergeAnonymousReads: config.routerMergeReads });
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<RouterContext>({
        url: subgraphs.get(name) ?? url,
        fetcher: client.fetcher,
        willSendRequest({ request, context }) {
          // Subgraphs answer _entities and _service only to the router (and our services).
          for (const [name, value] of Object.entries(routerHeaders(config.serviceToken))) request.http?.headers.set(name, value);
          // Only the token goes on; nothing else a client sends reaches a subgraph's headers.
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
          if (context.clientAddress)
            for (const [name, value] of Object.entries(clientAddressHeaders(context.clientAddress, config.serviceToken))) request.http?.headers.set(name, value);
          if (context.orderAsOf) request.http?.headers.set(ORDER_AS_OF_HEADER, context.orderAsOf);
        },
      }),
  });
  const app = express();
  const httpServer = http.createServer(app);
  const limits = queryLimits();
  const verifier = rememberVerified(jwksVerifier(config.jwksUrl));
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
    ],
  });
  await server.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', connections: subscriptions.connections(), subscriptions: feed.watching() });
  });
  app.get('/readyz', async (_req, res) => {
    const subgraphStatus = await allSubgraphsAnswer(subgraphs);
    const ready = Object.values(subgraphStatus).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', subgraphs: subgraphStatus });
  });
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY_BYTES }),
    // A bad token fails the whole request with 401 before any planning happens.
    async (req, res, next) => {
      try {
        const token = bearerToken(req.headers.authorization);
        if (token) await verifier.verify(token);
        next();
      } catch (err) {
        res.status(401).json({ errors: [{ message: (err as Error).message, extensions: { code: 'UNAUTHENTICATED' } }] });
      }
    },
    expressMiddleware(server, {
      context: async ({ req }) => ({ authorization: req.headers.authorization, clientAddress: req.socket.remoteAddress }),
    }),
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
