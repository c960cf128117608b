import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stdout, one logger per service; children add a request id. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, redact: ['password', '*.password', 'token', '*.token'] });
}
