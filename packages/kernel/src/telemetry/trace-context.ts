import { randomFillSync } from 'node:crypto';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/*
 * The trace a piece of work belongs to, carried in OpenTelemetry's context (AsyncLocalStorage,
 * installed by ./preload) and passed on in W3C `traceparent` headers: HTTP between the router
 * and the subgraphs, AMQP message headers through RabbitMQ. Log lines name its trace id.
 *
 * Two modes. Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT set, ./tracing started an SDK): each helper
 * here makes a real span. Tracing off: no SDK is loaded and no span is made; the context holds
 * only the ids (a non-recording span), so the trace id still follows the request into every
 * log line, at the cost of one AsyncLocalStorage run per request.
 */

export const tracer = trace.getTracer('shop');

let recording = false;
/** Set by ./tracing once an SDK exports spans. */
export function setRecording(on: boolean) {
  recording = on;
}
export const isRecording = () => recording;

/**
 * The ids of the work in progress, for a log line (pino's mixin): `trace_id`, `span_id`. A new
 * object each time: pino merges the line's own fields into it.
 */
export function traceFields(): object {
  const ids = trace.getSpanContext(context.active());
  return ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}

/** The trace id of the work in progress, if any. */
export const currentTraceId = (): string | undefined => trace.getSpanContext(context.active())?.traceId;

// Random bytes drawn 256 ids at a time: one randomFillSync per id cost 4 % of the router's CPU.
const pool = Buffer.allocUnsafe(24 * 256);
let drawn = pool.length;
/** The next 24 random bytes of the pool, as an offset into it (16 for a trace id, 8 for a span id). */
function nextIds(): number {
  if (drawn === pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  drawn += 24;
  return drawn - 24;
}
/** New ids for a trace that starts here, when no SDK makes them (tracing off). */
function newSpanContext(): SpanContext {
  const at = nextIds();
  return { traceId: pool.toString('hex', at, at + 16), spanId: pool.toString('hex', at + 16, at + 24), traceFlags: TraceFlags.SAMPLED, isRemote: false };
}

/**
 * A `traceparent` for a new trace, for a process that carries it in its own request context
 * rather than in AsyncLocalStorage (the router, tracing off: see router.ts).
 */
export function newTraceparent(): string {
  const at = nextIds();
  return `00-${pool.toString('hex', at, at + 16)}-${pool.toString('hex', at + 16, at + 24)}-01`;
}

/** The trace id of a `traceparent`. */
export const traceIdOf = (traceparent: string) => traceparent.slice(3, 35);

/** The context an incoming `traceparent` (an HTTP or AMQP header) names; the root context if none or invalid. */
export function contextFrom(headers: Record<string, unknown> | undefined): Context {
  return headers?.traceparent ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
}

/** Writes the `traceparent` of `ctx` into outgoing headers. */
export function injectTrace(headers: Record<string, unknown>, ctx: Context = context.active()) {
  propagation.inject(ctx, headers);
}

/**
 * Express middleware: the rest of the request runs in a server span, ended when the response is
 * sent. `continueIncoming`: continue the caller's trace (a subgraph called by the router); the
 * router, facing the public, starts its own. Tracing off, only ids (the caller's, or new ones).
 * Placed after the body parser, so what follows runs in this context.
 */
export function traceHttpRequests(spanName: string, continueIncoming: boolean): RequestHandler {
  return (req, res, next) => inServerSpan(spanName, continueIncoming, req, res, next);
}

/** As traceHttpRequests, for a request served without Express: `work` runs in the request's span. */
export function inServerSpan<T>(spanName: string, continueIncoming: boolean, req: IncomingMessage, res: ServerResponse, work: () => T): T {
  const parent = continueIncoming ? contextFrom(req.headers) : ROOT_CONTEXT;
  if (!recording) return context.with(trace.getSpanContext(parent) ? parent : trace.setSpanContext(parent, newSpanContext()), work);
  const path = ((req as { originalUrl?: string }).originalUrl ?? req.url)?.split('?')[0];
  const span = tracer.startSpan(spanName, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': path } }, parent);
  res.once('finish', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(parent, span), work);
}

/**
 * Handles something that arrived from elsewhere (a message) in a span under `parent`, the
 * context its headers named; a new trace when they named none. Ended when `work` settles.
 */
export async function handleInSpan<T>(name: string, kind: SpanKind, parent: Context, attributes: Attributes | undefined, work: () => Promise<T>): Promise<T> {
  if (!recording) return context.with(trace.getSpanContext(parent) ? parent : trace.setSpanContext(parent, newSpanContext()), work);
  const span = tracer.startSpan(name, { kind, attributes }, parent);
  return settle(span, context.with(trace.setSpan(parent, span), work));
}

async function settle<T>(span: Span, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
    throw err;
  } finally {
    span.end();
  }
}

/**
 * An awaited step as a child span (a call to another service, a publish, an email): ended when
 * `work` settles, with the error recorded. `headers`, when given, get the span's `traceparent`,
 * so the other side continues this trace. Tracing off: the headers get the current ids, and
 * `work` runs as it is.
 */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes | undefined,
  work: () => Promise<T>,
  headers?: Record<string, unknown>,
): Promise<T> {
  if (!recording) {
    if (headers) propagation.inject(context.active(), headers);
    return work();
  }
  const span = tracer.startSpan(name, { kind, attributes });
  const ctx = trace.setSpan(context.active(), span);
  if (headers) propagation.inject(ctx, headers);
  return settle(span, context.with(ctx, work));
}

export { SpanKind };
