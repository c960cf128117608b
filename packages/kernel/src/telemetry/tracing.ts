import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { Logger } from '../logger';
import { otlpEndpoint } from './preload';
import { setRecording } from './trace-context';

let contextInstalled = false;
/**
 * Carries the trace context across async calls (AsyncLocalStorage), so log lines, calls and
 * publishes know the request or message they belong to. On Node 20 this costs every promise of
 * the process a little (async hooks), which is why the router, tracing off, does without and
 * keeps its trace in its request context instead. Tracing on, every process needs it.
 */
export function useAsyncContext() {
  if (!contextInstalled) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextInstalled = true;
}

/**
 * Exports this process's spans over OTLP/HTTP (JSON encoding) when OTEL_EXPORTER_OTLP_ENDPOINT
 * (or ..._TRACES_ENDPOINT) is set, as service `name` (or OTEL_SERVICE_NAME). Unset: nothing is loaded and this returns undefined. The returned function
 * flushes the spans still buffered and stops.
 */
export function startTracing(name: string, logger: Logger): (() => Promise<void>) | undefined {
  const endpoint = otlpEndpoint();
  if (!endpoint) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || name }),
    // Batched off the request path; the OTEL_BSP_* variables tune it (OTEL_BSP_SCHEDULE_DELAY: how often, ms).
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  useAsyncContext();
  trace.setGlobalTracerProvider(provider);
  setRecording(true);
  logger.info({ endpoint }, 'tracing: spans exported over OTLP/HTTP');
  return () => provider.shutdown();
}
