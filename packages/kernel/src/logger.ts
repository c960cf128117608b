import pino from 'pino';
import { traceFields } from './telemetry/trace-context';

export type Logger = pino.Logger;

/**
 * JSON lines on stdout, one logger per service (level from Config.logLevel). Each line names
 * the trace it was written in (`trace_id`, `span_id`: the request or message being handled),
 * read from the context when the line is written, so a request costs nothing unless it logs.
 */
export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level, mixin: traceFields, redact: ['password', '*.password', 'token', '*.token'] });
}
