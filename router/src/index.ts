import cluster from 'node:cluster';
import { createLogger, loadConfig, runProcess } from '@shop/kernel';
import { startRouter } from './router';

/** ROUTER_PROCESSES: one process serves, or a primary forks that many workers sharing the port. */
if (cluster.isPrimary && routerProcesses() > 1) supervise();
// The router keeps each request's trace in its GraphQL context (router.ts), not AsyncLocalStorage.
else runProcess('router', async (config, logger) => (await startRouter(config, logger)).stop, { asyncContext: false });

/** 1 on a bad configuration: runProcess then reports it as for any process. */
function routerProcesses(): number {
  try {
    return loadConfig('router').routerProcesses;
  } catch {
    return 1;
  }
}

/**
 * The primary only forks and stops: each worker is a whole router (its own gateway, token cache
 * and order-change queue, so subscriptions work on any worker). SIGTERM or SIGINT is passed on to
 * every worker; the primary exits when they all have. A worker that dies otherwise stops them all
 * with an error, for the supervisor (npm start, the container's) to restart the router.
 */
function supervise() {
  const config = loadConfig('router');
  const logger = createLogger('router', config.logLevel);
  let stopping = false;
  for (let i = 0; i < config.routerProcesses; i++) cluster.fork();
  logger.info({ processes: config.routerProcesses }, 'router workers started');
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = code;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      logger.error({ pid: worker.process.pid, code, signal }, 'a router worker died: stopping the others');
      stop(1);
    }
    if (!Object.keys(cluster.workers ?? {}).length) process.exit();
  });
}
