import { errorCode, type GraphQLResponse } from './graphql';

/** What a client got from one request: an answer in time, or nothing at all (a hang, a reset). */
export interface Outcome {
  status: number;
  ms: number;
  /** The response body; undefined when none came (timeout, connection refused). */
  body?: GraphQLResponse<any>;
  failure?: string;
}

/** Client-side patience: a request that takes longer counts as a hang. */
export const HANG_MS = 20_000;

/** POSTs one operation like a storefront, and reports what came back instead of throwing. */
export async function call(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Outcome> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(HANG_MS),
    });
    const text = await res.text();
    const ms = Date.now() - started;
    try {
      return { status: res.status, ms, body: { status: res.status, ...JSON.parse(text) } };
    } catch {
      return { status: res.status, ms, failure: `not JSON: ${text.slice(0, 200)}` };
    }
  } catch (err) {
    return { status: 0, ms: Date.now() - started, failure: String((err as Error).name === 'TimeoutError' ? 'hang' : err) };
  }
}

/** Words that only an internal error would show: stack frames, driver and runtime errors. */
const INTERNAL = /\bat .+:\d+:\d+|node_modules|Mongo[A-Z]\w*Error|ECONNREFUSED|ECONNRESET|socket hang up|buffering timed out|TypeError|ReferenceError|Cannot read prop|fetch failed|redis|amqp/i;

/**
 * Why an outcome is not what a client may see (undefined when it is): no answer, a 5xx
 * without GraphQL errors, an error without a contract code, a stack trace or an internal message.
 */
export function unclean(outcome: Outcome): string | undefined {
  if (outcome.failure) return outcome.failure;
  const body = outcome.body!;
  if (outcome.status >= 500 && !body.errors?.length) return `HTTP ${outcome.status} without a GraphQL error`;
  for (const e of body.errors ?? []) {
    if (typeof e.extensions?.code !== 'string') return `error without a code: ${e.message}`;
    if (e.extensions.code === 'INTERNAL_SERVER_ERROR') return `internal error: ${e.message}`;
    if ('stacktrace' in (e.extensions ?? {})) return 'stack trace in extensions';
    if (INTERNAL.test(e.message)) return `internal message: ${e.message}`;
  }
  return undefined;
}

/** Counts outcomes by what the client saw: 'ok' or the first error's code. */
export function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.failure ? 'no answer' : o.body?.errors?.length ? String(errorCode(o.body)) : 'ok';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
