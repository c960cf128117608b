/**
 * Builds the storefront (web/) with Vite into web/dist, which the router serves. `npm start`
 * builds it every time; tests build it only when a source is newer than the build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../packages/kernel/src/subgraphs';

export const WEB_DIR = path.join(PROJECT_ROOT, 'web');
export const WEB_DIST = path.join(WEB_DIR, 'dist');

function newestChange(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(target).map((name) => newestChange(path.join(target, name))));
}

/** True when web/dist is missing or older than web/src, index.html or the Vite config. */
export function storefrontStale(): boolean {
  const built = path.join(WEB_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((f) => path.join(WEB_DIR, f));
  return Math.max(...sources.map(newestChange)) > statSync(built).mtimeMs;
}

export function buildStorefront({ onlyIfStale = false } = {}): void {
  if (onlyIfStale && !storefrontStale()) return;
  const vite = path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // Always the production bundle: jest sets NODE_ENV=test, which would make Vite build React's development copy.
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: WEB_DIR, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
