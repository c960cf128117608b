import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * An isolated environment for one test file: its own database names, Redis keys, exchange,
 * queues and data folder, so tests never meet each other or a running `npm start`.
 */
export function isolatedEnv(label: string): Record<string, string> {
  const id = `${label}_${randomBytes(4).toString('hex')}`;
  return {
    MONGO_URL: process.env.MONGO_URL!,
    DB_PREFIX: `t_${id}_`,
    REDIS_PREFIX: `t:${id}:`,
    EVENTS_EXCHANGE: `t.${id}.events`,
    QUEUE_PREFIX: `t.${id}.`,
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), `shop-${label}-`)),
    SERVICE_TOKEN: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: 'admin@test.local',
    ADMIN_PASSWORD: 'admin-password-1',
    LOG_LEVEL: 'warn',
    APOLLO_TELEMETRY_DISABLED: 'true',
  };
}
