import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { bearerToken, maskErrors, verifyAccessToken, type Config, type Logger, type RunningServer } from '@shop/kernel';
import { allSubgraphsAnswer, subgraphsOf } from './subgraphs';

export const SUPERGRAPH_FILE = path.join(__dirname, '..', 'supergraph.graphql');

interface RouterContext {
  /** The client's verified Authorization header, forwarded as is: each subgraph verifies it too. */
  authorization?: string;
}

export async function startRouter(config: Config, logger: Logger): Promise<RunningServer> {
  const supergraphSdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
  const subgraphs = subgraphsOf(supergraphSdl);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<RouterContext>({
        url: subgraphs.get(name) ?? url,
        willSendRequest({ request, context }) {
          // Only the token goes on; nothing else a client sends reaches a subgraph's headers.
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
        },
      }),
  });
  const app = express();
  const httpServer = http.createServer(app);
  const server = new ApolloServer<RouterContext>({
    gateway,
    formatError: maskErrors(logger),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginUsageReportingDisabled()],
  });
  await server.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const subgraphStatus = await allSubgraphsAnswer(subgraphs);
    const ready = Object.values(subgraphStatus).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', subgraphs: subgraphStatus });
  });
  app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    // A bad token fails the whole request with 401 before any planning happens.
    (req, res, next) => {
      try {
        const token = bearerToken(req.headers.authorization);
        if (token) verifyAccessToken(token, config.jwtSecret);
        next();
      } catch (err) {
        res.status(401).json({ errors: [{ message: (err as Error).message, extensions: { code: 'UNAUTHENTICATED' } }] });
      }
    },
    expressMiddleware(server, { context: async ({ req }) => ({ authorization: req.headers.authorization }) }),
  );
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as { port: number };
  const url = `http://127.0.0.1:${port}/graphql`;
  logger.info({ url }, 'router ready');
  return { url, stop: () => server.stop() };
}
