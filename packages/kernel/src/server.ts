import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { parse } from 'graphql';
import { authContextFromHeaders, type AuthContext } from './auth';
import type { Config } from './config';
import { maskErrors } from './errors';
import type { Logger } from './logger';

/** Reads a subgraph's SDL from the file beside its package, whatever the cwd. */
export const loadSchema = (file: string) => parse(readFileSync(file, 'utf8'));

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export interface SubgraphOptions<C extends AuthContext> {
  config: Config;
  logger: Logger;
  typeDefs: ReturnType<typeof parse>;
  resolvers: unknown;
  /** Adds the per-request parts (loaders, repositories) to the caller's identity. */
  context(auth: AuthContext): C | Promise<C>;
}

/** Serves one subgraph over HTTP at /graphql, with /healthz, masked errors and no telemetry. */
export async function serveSubgraph<C extends AuthContext>(options: SubgraphOptions<C>): Promise<RunningServer> {
  const { config, logger } = options;
  const app = express();
  const httpServer = http.createServer(app);
  const server = new ApolloServer<C>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as any }),
    formatError: maskErrors(logger),
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await server.start();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: config.serviceName });
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => options.context(authContextFromHeaders(req.headers, config)),
    }),
  );
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://127.0.0.1:${port}/graphql`;
  logger.info({ url }, `${config.serviceName} subgraph ready`);
  return { url, stop: () => server.stop() };
}

/** Runs `main` and stops cleanly on SIGINT/SIGTERM; `main` returns what to close, in order. */
export function runService(logger: Logger, main: () => Promise<Array<() => Promise<unknown> | unknown>>): void {
  main().then(
    (closers) => {
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        for (const close of closers) await Promise.resolve(close()).catch((err) => logger.warn({ err }, 'close failed'));
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (err) => {
      logger.fatal({ err }, 'failed to start');
      process.exit(1);
    },
  );
}
