/**
 * What `npm start` checks before it builds or starts anything: each thing the shop needs from
 * the machine, and for each one missing, a sentence that says what and how to get it, not a
 * stack trace from the first process that trips on it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { Connection } from 'rabbitmq-client';
import { DEFAULT_PORTS } from '../packages/kernel/src/config';
import { FERRETDB_BIN } from './ferretdb';

export const START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no';
export const START_RABBITMQ = 'rabbitmq-server -detached';
const TIMEOUT_MS = 3000;

export interface PreflightSettings {
  redisUrl: string;
  amqpUrl: string;
  /** Unset: the embedded FerretDB, built with Go on the first run. */
  mongoUrl?: string;
  ferretdbPort: number;
  /** The ports the shop's processes listen on, by process. */
  ports?: Record<string, number>;
  /** The FerretDB binary `npm start` runs (built when absent). */
  ferretdbBin?: string;
  /** The PATH where Go is looked for. */
  path?: string;
}

/** A URL without its password, for messages. */
export const redacted = (url: string) => url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
const reason = (err: unknown) => (err as Error)?.message?.split('\n')[0] || String(err);
const isLoopback = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

async function redisProblem(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let last: unknown;
  redis.on('error', (err) => (last = err));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    const start = isLoopback(url) ? `\n    start it with: ${START_REDIS}` : '';
    return `Redis is not reachable at REDIS_URL=${redacted(url)} (${reason(last ?? err)}).${start}\n    or set REDIS_URL to a Redis server of yours`;
  } finally {
    redis.disconnect();
  }
}

async function rabbitProblem(url: string): Promise<string | undefined> {
  const rabbit = new Connection({ url, connectionTimeout: TIMEOUT_MS, retryLow: 100, retryHigh: 200 });
  let last: unknown;
  rabbit.on('error', (err) => (last = err));
  try {
    await rabbit.onConnect(TIMEOUT_MS);
  } catch (err) {
    const start = isLoopback(url) ? `\n    start it with: ${START_RABBITMQ}` : '';
    return `RabbitMQ is not reachable at AMQP_URL=${redacted(url)} (${reason(last ?? err)}).${start}\n    or set AMQP_URL to a RabbitMQ server of yours`;
  } finally {
    // Not awaited: closing a connection that never opened can wait for a reconnection.
    void rabbit.close().catch(() => undefined);
  }
}

async function mongoProblem(url: string): Promise<string | undefined> {
  const db = mongoose.createConnection(url, { serverSelectionTimeoutMS: TIMEOUT_MS, maxPoolSize: 1 });
  try {
    await db.asPromise();
  } catch (err) {
    return `MongoDB is not reachable at MONGO_URL=${redacted(url)} (${reason(err)}).\n    unset MONGO_URL to use the embedded database, or start that server`;
  } finally {
    await db.close().catch(() => undefined);
  }
}

function goProblem(bin: string, pathEnv: string | undefined): string | undefined {
  if (existsSync(bin)) return undefined;
  try {
    execFileSync('go', ['version'], { stdio: 'ignore', env: { ...process.env, PATH: pathEnv ?? process.env.PATH } });
  } catch {
    return (
      'Go is missing: the embedded database (FerretDB) is built with Go on the first run, into .tools/.\n' +
      '    install Go 1.22 or newer (https://go.dev/dl/, or `apt-get install golang-go`),\n' +
      '    or set MONGO_URL to a MongoDB server of yours'
    );
  }
}

const portTaken = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });

async function portProblems(ports: Record<string, number>): Promise<string[]> {
  const taken = await Promise.all(Object.entries(ports).map(async ([name, port]) => ((await portTaken(port)) ? [name, port] : undefined)));
  return taken
    .filter((t): t is [string, number] => !!t)
    .map(([name, port]) => `port ${port} (${name}) is taken: another npm start? Stop what listens there (\`ss -ltnp 'sport = :${port}'\` names it)`);
}

/** Every problem found, each a readable paragraph; empty when the shop can start. */
export async function preflight(settings: PreflightSettings): Promise<string[]> {
  const ports = { ...(settings.ports ?? DEFAULT_PORTS), ...(!settings.mongoUrl && { 'embedded FerretDB (FERRETDB_PORT)': settings.ferretdbPort }) };
  const found = await Promise.all([
    redisProblem(settings.redisUrl),
    rabbitProblem(settings.amqpUrl),
    settings.mongoUrl ? mongoProblem(settings.mongoUrl) : goProblem(settings.ferretdbBin ?? FERRETDB_BIN, settings.path),
    portProblems(ports),
  ]);
  return found.flat().filter((p): p is string => !!p);
}
