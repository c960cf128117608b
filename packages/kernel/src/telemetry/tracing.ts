import { trace } from '@opentelemetry/api';
import type { Logger } from '../logger';
import { otlpEndpoint } from './preload';
import { setRecording } from './trace-context';

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
  trace.setGlobalTracerProvider(provider);
  setRecording(true);
  logger.info({ endpoint }, 'tracing: spans exported over OTLP/HTTP');
  return () => provider.shutdown();
}
