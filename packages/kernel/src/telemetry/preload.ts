import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/*
 * Loaded first by the kernel (index.ts), before mongoose and ioredis: the W3C propagator, and,
 * only when spans are exported, the instrumentations of the database and Redis clients, which
 * must hook `require` before those modules load. Tracing off, no SDK or instrumentation module
 * is even loaded.
 */
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

/** The OTLP/HTTP endpoint spans go to; unset, tracing is off. */
export const otlpEndpoint = () => process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;

if (otlpEndpoint()) {
  // Spans go to the global tracer provider, which ./tracing sets once the process knows its name.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { MongoDBInstrumentation } = require('@opentelemetry/instrumentation-mongodb') as typeof import('@opentelemetry/instrumentation-mongodb');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  registerInstrumentations({
    // Database statements are not recorded: they hold customers' data.
    instrumentations: [new MongoDBInstrumentation({ dbStatementSerializer: () => '' }), new IORedisInstrumentation({ dbStatementSerializer: (cmd) => cmd })],
  });
}
