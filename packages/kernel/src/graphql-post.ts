import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from './logger';
import { inServerSpan } from './telemetry/trace-context';

export type GraphqlRequest = IncomingMessage & { body?: unknown };

export interface GraphqlPostOptions<C extends BaseContext> {
  server: ApolloServer<C>;
  /** Largest body accepted (HTTP 413 above). */
  maxBodyBytes: number;
  context(req: IncomingMessage): Promise<C>;
  /** Runs once the body is read; false when it has answered (the router's token check). */
  admit?(req: GraphqlRequest, res: ServerResponse): Promise<boolean>;
  /** May answer in place of Apollo Server (the router's single-fetch shortcut); true when it did. */
  shortcut?(req: GraphqlRequest, res: ServerResponse): Promise<boolean>;
  /** The request's server span (traceHttpRequests' arguments); none: the caller carries its trace itself. */
  span?: { name: string; continueIncoming: boolean };
  logger: Logger;
}

/**
 * Serves a plain JSON POST to /graphql without Express: Express's router and body parser cost
 * more CPU per request than a subgraph's whole execution of a cached query. The body is read with
 * express.json()'s limits and answers, then Apollo Server is called as its Express integration
 * calls it. Every other request (GET, another content type, a compressed body) is left to Express.
 */
export function graphqlPost<C extends BaseContext>(options: GraphqlPostOptions<C>) {
  const { server, logger, span } = options;

  async function serve(req: GraphqlRequest, res: ServerResponse) {
    const read = await readJsonBody(req, options.maxBodyBytes);
    if ('status' in read) return refuseBody(res, read.status);
    req.body = read.value;
    if (options.admit && !(await options.admit(req, res))) return;
    if (options.shortcut && (await options.shortcut(req, res))) return;
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    const answer = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body: req.body },
      context: () => options.context(req),
    });
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') return void res.end(answer.body.string);
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  }

  /** For the http server's listener: serves a plain JSON POST to /graphql and returns true, else returns false. */
  return function handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (!isPlainJsonPost(req, '/graphql')) return false;
    const served = () =>
      serve(req, res).catch((err) => {
        logger.error({ err }, 'http error');
        if (res.headersSent) res.destroy();
        else refuseBody(res, 500);
      });
    if (span) inServerSpan(span.name, span.continueIncoming, req, res, served);
    else served();
    return true;
  };
}

/** A POST with a plain JSON body: `application/json`, UTF-8, not compressed. */
export function isPlainJsonPost(req: IncomingMessage, path: string): boolean {
  if (req.method !== 'POST' || req.url !== path) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') return false;
  const [type, ...parameters] = (req.headers['content-type'] ?? '').toLowerCase().split(';').map((p) => p.trim());
  return type === 'application/json' && parameters.every((p) => p === 'charset=utf-8' || p === '');
}

/**
 * Reads and parses the body, with express.json()'s answers and limits: 413 above `limit` bytes
 * (declared or sent), 400 when it is not a JSON object or array, an empty body as `{}`.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<{ value: object } | { status: 400 | 413 }> {
  return new Promise((resolve) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      return resolve({ status: 413 });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('error', () => resolve({ status: 400 }));
    req.on('end', () => {
      if (size > limit) return resolve({ status: 413 });
      // As express.json(): an empty body is an empty object (Apollo Server then says what is missing).
      if (size === 0) return resolve({ value: {} });
      try {
        const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(typeof value === 'object' && value !== null ? { value } : { status: 400 });
      } catch {
        resolve({ status: 400 });
      }
    });
  });
}

/** The answer to a request refused before GraphQL: here, and in graphqlHttpErrors (server.ts) when Express refuses one. */
export function httpErrorBody(status: number) {
  const message = status === 413 ? 'Request body too large' : status === 400 ? 'Malformed request body' : 'Internal server error';
  return { errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] };
}

const refuseBody = (res: ServerResponse, status: 400 | 413 | 500) => answerJson(res, status, httpErrorBody(status));

/** A JSON answer with its length, as Express's res.json() writes it. */
export function answerJson(res: ServerResponse, status: number, value: unknown) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}
