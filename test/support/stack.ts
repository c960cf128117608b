import { rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { Connection } from 'rabbitmq-client';
import { EVENT_QUEUES, loadConfig, queueNames, scopedToShop, shopId, SUBGRAPHS } from '@shop/kernel';
import { freePort } from '../../scripts/ferretdb';
import { startStack, type Stack } from '../../scripts/stack';
import { isolatedEnv } from './env';

/** Queues the shop declares, by name without prefix, each with its retry and dead-letter queues. */
const QUEUES = Object.keys(EVENT_QUEUES);

/**
 * The whole shop on free ports, isolated from every other test and from `npm start`. `start`
 * is another checkout's startStack when the bench measures that checkout's code.
 */
export async function startTestStack(
  label: string,
  overrides: Record<string, string> = {},
  envFor: Partial<Record<string, Record<string, string>>> = {},
  start: typeof startStack = startStack,
): Promise<{ stack: Stack; env: Record<string, string> }> {
  const env = { ...isolatedEnv(label), ...overrides };
  const names = ['router', ...SUBGRAPHS.map((s) => s.name)];
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const)));
  const stack = await start({ env, ports, envFor, logTo: path.join(env.DATA_DIR, 'logs') });
  const stop = stack.stop;
  stack.stop = async () => {
    await stop();
    await removeTraces(env);
  };
  return { stack, env };
}

/**
 * The names the shop of `env` uses on the shared Redis and RabbitMQ: the configured prefixes
 * scoped by the shop's id, read from its database as the services read it (kernel shop.ts).
 */
export async function shopNames(env: Record<string, string>): Promise<{ shopId: string; redisPrefix: string; queuePrefix: string; eventsExchange: string }> {
  const config = loadConfig('test', { ...process.env, ...env });
  const db = mongoose.createConnection(config.mongoUrl, { dbName: `${config.dbPrefix}shop`, retryWrites: false, maxPoolSize: 1 });
  try {
    await db.asPromise();
    const scoped = scopedToShop(config, await shopId(db, config.dbPrefix));
    return { shopId: scoped.shopId!, redisPrefix: scoped.redisPrefix, queuePrefix: scoped.queuePrefix, eventsExchange: scoped.eventsExchange };
  } finally {
    await db.close();
  }
}

/** Deletes what the test left in the shared Redis and RabbitMQ, and its data folder. */
export async function removeTraces(env: Record<string, string>) {
  const names = await shopNames(env);
  const redis = new Redis(env.REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    const keys = await redis.keys(`${env.REDIS_PREFIX}*`);
    if (keys.length) await redis.del(...keys);
  } catch {
    // the test's own Redis, already stopped: nothing to clean
  } finally {
    redis.disconnect();
  }
  const rabbit = new Connection(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  for (const base of QUEUES) {
    const { main, retries, dead } = queueNames(`${names.queuePrefix}${base}`);
    for (const queue of [main, ...retries, dead]) await rabbit.queueDelete({ queue });
  }
  await rabbit.exchangeDelete({ exchange: names.eventsExchange });
  await rabbit.close();
  rmSync(env.DATA_DIR, { recursive: true, force: true });
}
