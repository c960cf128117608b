import path from 'node:path';
import { freePort } from '../../scripts/ferretdb';
import { startStack, type Stack } from '../../scripts/stack';
import { isolatedEnv } from './env';

/** The whole shop on free ports, isolated from every other test and from `npm start`. */
export async function startTestStack(label: string): Promise<{ stack: Stack; env: Record<string, string> }> {
  const env = isolatedEnv(label);
  const names = ['router', 'users', 'catalogue', 'orders', 'promotions', 'recommendations', 'notifications'];
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const)));
  const stack = await startStack({ env, ports, logTo: path.join(env.DATA_DIR, 'logs') });
  return { stack, env };
}
