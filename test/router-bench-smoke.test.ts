/**
 * `npm run bench:router -- --smoke` runs end to end: every target starts, returns the same
 * answer to every query as the others (the bench fails otherwise), serves its queries under load
 * without an error, and the result files are written. No figure is judged.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

test(
  'the router bench in smoke mode: every target answers every query alike and without errors',
  async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'router-bench-out-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/router/bench.ts', '--smoke', '--out', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      if (code !== 0) throw new Error(`the bench exited with ${code}:\n${output}`);

      const files = readdirSync(out);
      expect(files.filter((f) => f.endsWith('.md'))).toHaveLength(1);
      const report = JSON.parse(readFileSync(path.join(out, files.find((f) => f.endsWith('.json'))!), 'utf8'));
      expect(report.targets).toHaveLength(7);
      // The subgraph alone answers the small query; each gateway all four.
      expect(report.rows).toHaveLength(1 + 6 * 4);
      for (const row of report.rows) {
        expect({ target: row.target, query: row.query, errors: row.errors }).toEqual({ target: row.target, query: row.query, errors: 0 });
        expect(row.perSecond).toBeGreaterThan(0);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
  600_000,
);
