import type { Redis } from 'ioredis';
import type { Connection, Model } from 'mongoose';
import { loadConfig, type Config } from './config';
import { StartupProblem } from './errors';
import { createLogger, type Logger } from './logger';
import { connectBroker, type Broker } from './messaging';
import { connectDatabase, syncIndexes } from './mongo';
import { repeat, type RepeatOptions } from './repeat';
import { startOutboxRelay, type OutboxRelay } from './outbox';
import { profileOnSignal } from './profiling';
import { connectRedis } from './redis';
import { loadSchema, serveSubgraph, type SubgraphOptions } from './server';
import { serviceClient, type ServiceCall } from './service-client';
import { cacheGeneration, renewCacheGeneration, scopedToShop, shopId } from './shop';
import type { AuthContext } from './auth';
import { subgraphEntry } from './subgraphs';
import { initMetrics } from './telemetry/metrics';
import { serveMetrics } from './telemetry/metrics-endpoint';
import { startTracing, useAsyncContext } from './telemetry/tracing';

/**
 * What a service is made of, each opened on first use and closed at shutdown in the reverse
 * order: the server first (in-flight requests finish), then sweeps, outbox relays, the broker,
 * Redis, and the database last.
 */
export interface Infrastructure {
  config: Config;
  logger: Logger;
  db: Connection;
  /** Compiles models on the service's database and creates their indexes before any query runs. */
  models<M>(define: (db: Connection) => M): Promise<M>;
  redis(): Redis;
  /**
   * Prefix of a cache's Redis keys: the shop's prefix, the cache's name and the generation of
   * the service's database (shop.ts), so a value cached from another database is never read.
   */
  cachePrefix(name: string): Promise<string>;
  /** After the service replaced its data wholesale (a new seed): caches filled before are dropped. */
  renewCacheGeneration(): Promise<void>;
  broker(): Broker;
  /** Publishes the events that documents of `model` carry in their outbox (see outbox.ts). */
  outbox(model: Model<any>): OutboxRelay;
  /** Runs `task` every `ms`, one run at a time; a failure is logged and the next run tries again. */
  every(ms: number, label: string, task: () => Promise<unknown>, options?: RepeatOptions): void;
  /** A client of another subgraph's internal operations, with the service credential. */
  client(service: string): ServiceCall;
}

export type SubgraphParts<C extends AuthContext> = Pick<SubgraphOptions<C>, 'resolvers' | 'context' | 'routes'>;

type Closer = () => unknown;
/** Below the 5 s after which scripts/stack.ts kills a process that ignored SIGTERM. */
const SHUTDOWN_GRACE_MS = 3000;

async function infrastructure(unscoped: Config, logger: Logger, closers: Closer[]): Promise<Infrastructure> {
  const db = await connectDatabase(unscoped);
  closers.push(() => db.close());
  const config = scopedToShop(unscoped, unscoped.shopId ?? (await shopId(db, unscoped.dbPrefix)));
  let redis: Redis | undefined;
  let broker: Broker | undefined;
  const openBroker = () => {
    if (!broker) {
      const opened = (broker = connectBroker(config, logger));
      closers.push(() => opened.close());
    }
    return broker;
  };
  // Plain functions, not methods: a service destructures what it uses.
  return {
    config,
    logger,
    db,
    async models(define) {
      const models = define(db);
      await syncIndexes(db);
      return models;
    },
    redis() {
      if (!redis) {
        const client = (redis = connectRedis(config, logger));
        closers.push(() => client.quit());
      }
      return redis;
    },
    cachePrefix: async (name) => `${config.redisPrefix}${name}:${await cacheGeneration(db)}:`,
    renewCacheGeneration: async () => void (await renewCacheGeneration(db)),
    broker: openBroker,
    outbox(model) {
      const relay = startOutboxRelay(model, openBroker(), logger);
      closers.push(relay.stop);
      return relay;
    },
    every(ms, label, task, options) {
      closers.push(repeat(ms, task, (err) => logger.warn({ err }, `${label} failed; next run in ${ms} ms at least`), options));
    },
    client: (service) => serviceClient(config, service, logger),
  };
}

/**
 * Starts a process and stops it cleanly on SIGINT/SIGTERM: `start` opens what the process
 * uses, registering how to close each part; shutdown closes them in reverse order and exits 0.
 * A failure to start is logged (no stack trace on the console for a plain configuration error)
 * and exits 1.
 */
function run(name: string, service: string, start: (config: Config, logger: Logger, closers: Closer[]) => Promise<void>, asyncContext = true): void {
  let config: Config;
  try {
    config = loadConfig(service);
  } catch (err) {
    console.error(`${name}: ${(err as Error).message}`);
    process.exit(1);
  }
  const logger = createLogger(name, config.logLevel);
  profileOnSignal(name);
  const closers: Closer[] = [];
  // Telemetry (docs/telemetry.md): closed last, so the spans of the shutdown still go out.
  initMetrics(name);
  const stopTracing = startTracing(name, logger);
  if (stopTracing) closers.push(stopTracing);
  if (asyncContext) useAsyncContext();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // A closer that hangs (a client that keeps its connection open) must not keep the process
    // past its supervisor's patience: exit 0 anyway, as the work in flight had its grace.
    setTimeout(() => {
      logger.warn('shutdown took too long; exiting');
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
    for (const close of closers.reverse()) await Promise.resolve().then(close).catch((err) => logger.warn({ err }, 'close failed'));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  start(config, logger, closers).then(
    () => {
      // A supervisor that started this process with an IPC channel (scripts/stack.ts) learns it is
      // ready, whatever the log level; the channel must not keep the process alive.
      process.send?.({ ready: name }, undefined, {}, () => undefined);
      process.channel?.unref();
    },
    (err) => {
      if (err instanceof StartupProblem) logger.fatal(`failed to start: ${err.message}`);
      else logger.fatal({ err }, 'failed to start');
      process.exit(1);
    },
  );
}

/** Runs one subgraph: its schema from supergraph.yaml's entry, its parts from `build`. */
export function runSubgraph<C extends AuthContext>(name: string, build: (infra: Infrastructure) => Promise<SubgraphParts<C>>): void {
  run(name, name, async (config, logger, closers) => {
    const infra = await infrastructure(config, logger, closers);
    const parts = await build(infra);
    const server = await serveSubgraph({ ...parts, config: infra.config, logger, typeDefs: loadSchema(subgraphEntry(name).schemaFile) });
    closers.push(server.stop);
  });
}

/** Runs a background worker of a service (its database and broker, no GraphQL server). */
export function runWorker(name: string, service: string, build: (infra: Infrastructure) => Promise<void>): void {
  run(name, service, async (config, logger, closers) => {
    await build(await infrastructure(config, logger, closers));
    if (config.metricsPort !== undefined) closers.push(serveMetrics(config, logger, config.metricsPort));
    logger.info(`${name} running`);
  });
}

/**
 * Runs a process that needs none of the above (the router): `start` returns how to stop it. Its
 * configuration is scoped to the shop, whose id (unless SHOP_ID) it reads from the shop's database.
 * `asyncContext: false`: the process carries its trace context itself unless tracing is on
 * (see useAsyncContext).
 */
export function runProcess(name: string, start: (config: Config, logger: Logger) => Promise<Closer>, { asyncContext = true } = {}): void {
  run(
    name,
    name,
    async (config, logger, closers) => {
      let id = config.shopId;
      if (!id) {
        const db = await connectDatabase(config, 'shop');
        id = await shopId(db, config.dbPrefix).finally(() => db.close());
      }
      closers.push(await start(scopedToShop(config, id), logger));
    },
    asyncContext,
  );
}
