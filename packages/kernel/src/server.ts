import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { GraphQLError, parse, visit } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { authContextFromHeaders, type AuthContext } from './auth';
import type { Config } from './config';
import { directQueries, FEDERATION_FIELDS } from './direct-queries';
import { maskErrors, StartupProblem } from './errors';
import { graphqlPost, httpErrorBody } from './graphql-post';
import type { Logger } from './logger';
import { graphqlTelemetry, operationRecorder } from './telemetry/graphql-telemetry';
import { answerMetrics } from './telemetry/metrics-endpoint';
import { traceHttpRequests } from './telemetry/trace-context';
import { jwksVerifier } from './tokens';
import { rememberVerified } from './verified-tokens';

/** Listens on the configured port and interface; a taken port is a StartupProblem, not a crash. */
export function listen(httpServer: http.Server, config: Pick<Config, 'port' | 'host' | 'serviceName'>): Promise<void> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES'
          ? new StartupProblem(`${config.serviceName}: cannot listen on ${config.host}:${config.port} (${err.code}): another process has it? Stop it, or set PORT`)
          : err,
      ),
    );
    httpServer.listen(config.port, config.host, resolve);
  });
}

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
  context(auth: AuthContext, req: http.IncomingMessage): C | Promise<C>;
  /** Extra HTTP routes beside /graphql (the users subgraph publishes its JWKS). */
  routes?(app: express.Express): void;
}

/**
 * Express error handler: body-parser failures (too large, malformed JSON) answer in GraphQL's
 * shape with the HTTP status, never with express's HTML page and stack trace.
 */
export function graphqlHttpErrors(logger: Logger): express.ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status < 500 ? err.status : 500;
    if (status === 500) logger.error({ err }, 'http error');
    res.status(status).json(httpErrorBody(status));
  };
}

/** Largest request body a subgraph accepts (the router sends at most a page of representations). */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Refuses federation's own fields to anyone but the router and our services (FORBIDDEN, HTTP
 * 403), before anything runs: a representation is whatever the caller writes, so a subgraph
 * reached directly must not resolve one.
 */
export function federationFieldsForTrustedCallers(): ApolloServerPlugin<AuthContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (contextValue.isService || contextValue.fromRouter) return;
          let asked = false;
          visit(document, { Field: (node) => void (asked ||= FEDERATION_FIELDS.has(node.name.value)) });
          if (asked)
            throw new GraphQLError('Only the router may ask for _entities or _service', { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
        },
      };
    },
  };
}

/** Serves one subgraph over HTTP at /graphql, with /healthz, masked errors and no telemetry. */
export async function serveSubgraph<C extends AuthContext>(options: SubgraphOptions<C>): Promise<RunningServer> {
  const { config, logger } = options;
  const app = express();
  // A plain JSON POST to /graphql is served without Express (graphqlPost); the rest by Express.
  const httpServer = http.createServer((req, res) => {
    if (!servePost(req, res)) app(req, res);
  });
  const schema = buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as any });
  const formatError = maskErrors(logger);
  const record = operationRecorder(logger);
  const server = new ApolloServer<C>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // The process's own handler stops everything in order (bootstrap.ts). Apollo Server's, beside
    // it, called stop() a second time, which waited for the first forever: every process then
    // exited only at the shutdown's time bound, 3 s after the signal.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginUsageReportingDisabled(),
      // No @cacheControl hints are used: the default plugin would wrap every field's resolver.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      federationFieldsForTrustedCallers(),
      graphqlTelemetry(record),
    ],
  });
  await server.start();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: config.serviceName });
  });
  // Prometheus; a subgraph's port is not public, and the route is guarded anyway (metrics-endpoint.ts).
  app.get('/metrics', (req, res, next) => void answerMetrics(config, req, res).catch(next));
  options.routes?.(app);
  const auth = { verifier: rememberVerified(jwksVerifier(config.jwksUrl, {}, logger)), serviceToken: config.serviceToken };
  const contextOf = async (req: http.IncomingMessage) => {
    const caller = await authContextFromHeaders(req.headers, auth, req.socket.remoteAddress).catch((err) => {
      // A bad token fails the whole request, as at the router: HTTP 401.
      throw new GraphQLError(err.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    });
    return options.context(caller, req);
  };
  // The router's trace (traceparent) goes on in the request's span, after the body is read.
  const span = { name: `${config.serviceName} /graphql`, continueIncoming: true };
  const shortcut = directQueries({ schema, context: contextOf, record, formatError });
  const servePost = graphqlPost({ server, maxBodyBytes: MAX_BODY_BYTES, context: contextOf, shortcut, span, logger });
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY_BYTES }),
    traceHttpRequests(span.name, span.continueIncoming),
    expressMiddleware(server, { context: ({ req }) => contextOf(req) }),
  );
  app.use(graphqlHttpErrors(logger));
  await listen(httpServer, config);
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://127.0.0.1:${port}/graphql`;
  logger.info({ url }, `${config.serviceName} subgraph ready`);
  return { url, stop: () => server.stop() };
}
