import { GraphQLError } from 'graphql';
import { Agent, request } from 'undici';
import { SERVICE_TOKEN_HEADER } from './auth';
import type { Config } from './config';
import { ShopError, type ErrorCode } from './errors';
import type { Logger } from './logger';

export interface CallOptions {
  timeoutMs?: number;
  /** Only for calls that are safe to repeat (idempotent). */
  retries?: number;
}

/** Errors the called service raised on purpose are re-raised with the same code and facts. */
const PASS_THROUGH: ErrorCode[] = ['NOT_FOUND', 'BAD_USER_INPUT', 'OUT_OF_STOCK', 'PROMO_CODE_INVALID', 'FORBIDDEN'];

/**
 * A GraphQL client for internal calls to another subgraph, with the service credential,
 * a timeout per attempt, and bounded retries with exponential backoff on transport failures.
 */
export function serviceClient(config: Config, service: string, logger: Logger) {
  const url = config.subgraphUrl(service);
  // undici's request() costs about half the CPU of fetch() per call; idle sockets close before
  // the subgraph's own 5 s keep-alive ends them.
  const agent = new Agent({ keepAliveTimeout: 4000, keepAliveMaxTimeout: 4000 });
  return async function call<T>(query: string, variables: Record<string, unknown>, options: CallOptions = {}): Promise<T> {
    const { timeoutMs = 3000, retries = 0 } = options;
    for (let attempt = 0; ; attempt++) {
      let body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
      try {
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SERVICE_TOKEN_HEADER]: config.serviceToken },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(timeoutMs),
          dispatcher: agent,
        });
        if (res.statusCode >= 502) {
          await res.body.dump();
          throw new Error(`${service} answered HTTP ${res.statusCode}`);
        }
        body = (await res.body.json()) as typeof body;
      } catch (err) {
        if (attempt < retries) {
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
          continue;
        }
        // The cause stays in our logs; the client gets the code.
        logger.warn({ err, service, attempts: attempt + 1 }, 'call to another service failed');
        throw new ShopError('SERVICE_UNAVAILABLE', `The ${service} service is unavailable, please retry`);
      }
      const error = body.errors?.[0];
      if (error) {
        const code = error.extensions?.code as ErrorCode | undefined;
        if (code && PASS_THROUGH.includes(code)) throw new ShopError(code, error.message, error.extensions);
        // Its own database or a service behind it is down: so is this call, for our client.
        if (code === 'SERVICE_UNAVAILABLE') throw new ShopError('SERVICE_UNAVAILABLE', `The ${service} service is unavailable, please retry`);
        throw new GraphQLError(`${service} failed: ${error.message}`);
      }
      return body.data as T;
    }
  };
}

export type ServiceCall = ReturnType<typeof serviceClient>;
