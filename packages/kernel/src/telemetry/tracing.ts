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
  const { TracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || name }),
    // Batched off the request path; OTEL_BSP_SCHEDULE_DELAY (ms) is the standard variable for how often.
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), scheduledDelayMillis: Number(process.env.OTEL_BSP_SCHEDULE_DELAY) || 5000 })],
  });
  trace.setGlobalTracerProvider(provider);
  setRecording(true);
  logger.info({ endpoint }, 'tracing: spans exported over OTLP/HTTP');
  return () => provider.shutdown();
}
