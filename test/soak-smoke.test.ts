/**
 * `npm run bench:soak -- --seconds 5` runs end to end: mixed traffic with no error, memory
 * sampled for every process, and stock plus units sold equal to the starting stock for every
 * product. No figure is judged: this is the soak's smoke, the soak itself is not for CI.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SoakReport } from '../scripts/bench/soak';

const root = path.resolve(__dirname, '..');
// The soak sends the contract's operations; without ../shared/contract there is nothing to run.
const withContract = existsSync(path.resolve(root, '..', 'shared', 'contract', 'storefront.graphql')) ? test : test.skip;

withContract(
  'a 5 s soak: every kind of request answered without error, memory sampled, stock adds up',
  async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'shop-soak-out-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/soak.ts', '--seconds', '5', '--rate', '20', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      if (code !== 0) throw new Error(`the soak exited with ${code}:\n${output}`);

      const report: SoakReport = JSON.parse(readFileSync(path.join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8'));
      expect(report.errors).toEqual({});
      expect(report.sent).toBeGreaterThan(50);
      for (const kind of ['browse', 'product page', 'checkout'] as const) expect(report.requests[kind].count).toBeGreaterThan(0);
      expect(report.stock.mismatches).toEqual([]);
      expect(report.stock.products).toBeGreaterThanOrEqual(500);
      expect(report.stock.unitsSold).toBeGreaterThan(0);
      const names = Object.keys(report.memoryGrowth).sort();
      expect(names).toEqual(['catalogue', 'ferretdb', 'notifications', 'notifications-worker', 'orders', 'promotions', 'recommendations', 'router', 'users']);
      expect(report.memory.length).toBeGreaterThanOrEqual(3);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
  300_000,
);
