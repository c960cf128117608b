import { GraphQLError } from 'graphql';
import { Agent, request } from 'undici';
import { SERVICE_TOKEN_HEADER } from './auth';
import type { Config } from './config';
import { ShopError, type ErrorCode } from './errors';
import type { Logger } from './logger';
import { serviceCallDuration } from './telemetry/metrics';
import { inSpan, SpanKind } from './telemetry/trace-context';

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
  const timers = { ok: serviceCallDuration.labels(service, 'ok'), error: serviceCallDuration.labels(service, 'error'), unavailable: serviceCallDuration.labels(service, 'unavailable') };
  const spanAttributes = { 'peer.service': service, 'server.address': new URL(url).host };
  type Body<T> = { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  /** One attempt, in a client span; the called service continues the trace from the traceparent header. */
  const send = <T>(query: string, variables: Record<string, unknown>, timeoutMs: number) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', [SERVICE_TOKEN_HEADER]: config.serviceToken };
    return inSpan(
      `POST ${service}`,
      SpanKind.CLIENT,
      spanAttributes,
      async () => {
        const res = await request(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(timeoutMs), dispatcher: agent });
        if (res.statusCode >= 502) {
          await res.body.dump();
          throw new Error(`${service} answered HTTP ${res.statusCode}`);
        }
        return (await res.body.json()) as Body<T>;
      },
      headers,
    );
  };
  return async function call<T>(query: string, variables: Record<string, unknown>, options: CallOptions = {}): Promise<T> {
    const { timeoutMs = 3000, retries = 0 } = options;
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      let body: Body<T>;
      try {
        body = await send<T>(query, variables, timeoutMs);
      } catch (err) {
        if (attempt < retries) {
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
          continue;
        }
        // The cause stays in our logs; the client gets the code.
        logger.warn({ err, service, attempts: attempt + 1 }, 'call to another service failed');
        timers.unavailable.observe((performance.now() - started) / 1000);
        throw new ShopError('SERVICE_UNAVAILABLE', `The ${service} service is unavailable, please retry`);
      }
      const error = body.errors?.[0];
      (error ? timers.error : timers.ok).observe((performance.now() - started) / 1000);
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
