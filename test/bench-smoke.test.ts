/**
 * `npm run bench -- --smoke` runs end to end: every scenario runs with no error and yields
 * numbers, and the result files are written. No figure is judged: CI machines are too noisy.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoProducts } from '../subgraphs/catalogue/src/data/seed';
import { readJudgments } from '../scripts/bench/search-quality';
import type { Report } from '../scripts/bench/report';

const root = path.resolve(__dirname, '..');
// The bench sends the contract's operations; without ../shared/contract there is nothing to run.
const withContract = existsSync(path.resolve(root, '..', 'shared', 'contract', 'storefront.graphql')) ? test : test.skip;

test('the judged search queries list exactly the demo products whose name holds the intended words', () => {
  const words = (name: string) => name.toLowerCase().split(/\s+/);
  for (const judgment of readJudgments()) {
    const expected = demoProducts().filter((p) => judgment.intended.split(' ').every((w) => words(p.name).includes(w)));
    expect(judgment.relevant).toEqual(expected.map((p) => p.sku));
  }
});

withContract(
  'the smoke bench runs every scenario without errors and writes its results',
  async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'shop-bench-out-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/shop.ts', '--smoke', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      if (code !== 0) throw new Error(`the bench exited with ${code}:\n${output}`);

      const files = readdirSync(out);
      expect(files.filter((f) => f.endsWith('.md'))).toHaveLength(1);
      const report: Report = JSON.parse(readFileSync(path.join(out, files.find((f) => f.endsWith('.json'))!), 'utf8'));
      expect(report.scenarios.map((s) => s.name)).toEqual([
        'landing list',
        'search',
        'Products, first: 20 only',
        'product page, 10 recommendations',
        'MyAccount',
        'landing list, again',
        'notification latency, idle',
        'placeOrder, 5 customers',
        'notification latency, during the checkout burst',
        'one status change to 20 subscribers',
      ]);
      for (const scenario of report.scenarios) {
        expect({ name: scenario.name, errors: scenario.errors }).toEqual({ name: scenario.name, errors: 0 });
        expect(Number.isFinite(scenario.p50) && Number.isFinite(scenario.p99)).toBe(true);
        if ('perSecond' in scenario) expect(scenario.perSecond).toBeGreaterThan(0);
        else expect(scenario.count).toBeGreaterThan(0);
      }
      // Every order writes (its reservation, itself, its notification): the burst's count sees them.
      const burst = report.scenarios.find((s) => s.name.startsWith('placeOrder'));
      expect(burst && 'commandsPerRequest' in burst && burst.commandsPerRequest).toBeGreaterThan(3);
      // The orders service stores each order: its one database connection was busy for a share of the burst.
      const ordersBusy = burst && 'dbBusy' in burst ? burst.dbBusy?.orders : undefined;
      expect(ordersBusy).toBeGreaterThan(0);
      expect(ordersBusy).toBeLessThan(1.1);
      // The shop as deployed: the production build, which this run also proves serves every scenario.
      expect(report.parameters.runs).toBe('compiled JavaScript, NODE_ENV=production');
      expect(report.commands).toHaveLength(6);
      // Zero is a result: the storefront's cached reads send the database nothing.
      for (const c of report.commands) expect(Number.isInteger(c.perRequest) && c.perRequest >= 0).toBe(true);
      // A checkout writes at least its order, its stock and its notification.
      expect(report.orderCommands!.perOrder).toBeGreaterThanOrEqual(3);
      expect(report.search!.queries).toHaveLength(readJudgments().length);
      expect(Number.isFinite(report.search!.precisionAt10.all)).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
  300_000,
);
