import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger';

/** The contract's `extensions.code` values. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'EMAIL_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'OUT_OF_STOCK'
  | 'PROMO_CODE_INVALID'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

const PUBLIC_CODES = new Set<string>([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'EMAIL_TAKEN', 'INVALID_CREDENTIALS',
  'OUT_OF_STOCK', 'PROMO_CODE_INVALID', 'TOO_MANY_REQUESTS', 'SERVICE_UNAVAILABLE',
  // raised by graphql-js / Apollo itself for malformed operations
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE',
]);

/** An error the client is meant to see, with its contract code and any extra facts. */
export class ShopError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const notFound = (what: string) => new ShopError('NOT_FOUND', `${what} not found`);
export const badInput = (message: string, extensions?: Record<string, unknown>) =>
  new ShopError('BAD_USER_INPUT', message, extensions);

/** Errors of the database driver that mean "unreachable now", not "wrong": the client may retry. */
const UNAVAILABLE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** True when `error` (or what it wraps) says the database cannot be reached right now. */
export function isUnavailable(error: unknown): boolean {
  for (let e = error as { name?: string; message?: string; originalError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.name && UNAVAILABLE_ERRORS.has(e.name)) return true;
    // mongoose, while it reconnects, queues an operation and gives up after bufferTimeoutMS.
    if (e.name === 'MongooseError' && /buffering timed out/.test(e.message ?? '')) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

/**
 * Apollo `formatError`: contract errors pass through without stack traces; anything else is
 * logged in full and masked, so no internal message reaches a client.
 */
export function maskErrors(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // A value the database could not cast (an object where an id belongs, with sanitizeFilter):
    // the client's input, not our fault; the message would name our schema, so it is replaced.
    if ((error as { originalError?: { name?: string } })?.originalError?.name === 'CastError')
      return { message: 'Malformed value', path: formatted.path, extensions: { code: 'BAD_USER_INPUT' } };
    if (isUnavailable(error)) {
      logger.warn({ err: error, path: formatted.path }, 'database unavailable');
      return { message: 'The service is unavailable, please retry', path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: error, path: formatted.path }, 'unexpected error');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * Why a process cannot start, in a sentence for whoever runs it (a port taken, a server not
 * reachable): logged as its message alone, without a stack trace.
 */
export class StartupProblem extends Error {}
