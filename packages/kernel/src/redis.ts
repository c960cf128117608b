import { Redis } from 'ioredis';
import type { Config } from './config';
import type { Logger } from './logger';

/**
 * A Redis client that fails fast while Redis is down (no offline queue, one retry), so callers
 * fall back at once (the catalogue to its database, the log-in limiter to memory). An outage is
 * logged when it starts and when it ends, not on every reconnection attempt. Commands sent in
 * one tick (the cache reads of concurrent requests) go out in one socket write: a write per
 * command was the catalogue's largest single cost under load.
 */
export function connectRedis(config: Config, logger: Logger): Redis {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true });
  let down = false;
  redis.on('error', (err) => {
    if (!down) logger.warn({ err, url: config.redisUrl }, 'redis unavailable');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('redis is back');
    down = false;
  });
  return redis;
}
