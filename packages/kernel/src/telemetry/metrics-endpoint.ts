import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { registry } from './metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read /metrics. With METRICS_TOKEN set: a caller with `Authorization: Bearer <token>`
 * (Prometheus's `authorization` scrape setting). Without it: only a caller on this machine,
 * and not in production, where a token is needed. The metrics name operations and volumes: not
 * for the public, and the router's /metrics is on its public port.
 */
export function metricsAllowed(config: Pick<Config, 'metricsToken' | 'production'>, authorization: string | undefined, remoteAddress: string | undefined): boolean {
  if (config.metricsToken) {
    const given = Buffer.from(authorization ?? '');
    const expected = Buffer.from(`Bearer ${config.metricsToken}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  return !config.production && LOOPBACK.has(remoteAddress ?? '');
}

/** Answers GET /metrics for a node:http or express request; false when the caller may not. */
export async function answerMetrics(config: Pick<Config, 'metricsToken' | 'production'>, req: http.IncomingMessage, res: http.ServerResponse) {
  if (!metricsAllowed(config, req.headers.authorization, req.socket.remoteAddress)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
    return;
  }
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType }).end(body);
}

/**
 * A listener of its own for /metrics, on METRICS_PORT: for a process without an HTTP server
 * (the notifications worker). A port in use is logged, not fatal: the worker's job is the
 * messages. Returns how to close it.
 */
export function serveMetrics(config: Config, logger: Logger, port: number): () => Promise<void> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') answerMetrics(config, req, res).catch(() => res.writeHead(500).end());
    else res.writeHead(404).end();
  });
  server.on('error', (err) => logger.warn({ err, port }, 'metrics not served'));
  server.listen(port, config.host, () => logger.info({ url: `http://${config.host}:${(server.address() as { port: number }).port}/metrics` }, 'metrics served'));
  return () => new Promise((resolve) => server.close(() => resolve()));
}
