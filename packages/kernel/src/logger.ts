import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stdout, one logger per service (level from Config.logLevel); children add a request id. */
export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level, redact: ['password', '*.password', 'token', '*.token'] });
}
