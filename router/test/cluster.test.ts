/**
 * ROUTER_PROCESSES=2: the primary forks two workers that share the port and serve, and SIGTERM to
 * the primary stops them all. Real processes: the router on the bench's supergraph and subgraphs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeBenchSupergraph, startBenchSubgraphs } from '../../scripts/bench/router/subgraphs';

const root = path.resolve(__dirname, '..', '..');
const children = (pid: number) => execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').filter((l) => l.trim()).map(Number);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('two router workers share the port, serve, and stop with the primary', async () => {
  const subgraphs = await startBenchSubgraphs();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'router-cluster-'));
  const supergraphFile = path.join(dir, 'supergraph.graphql');
  writeFileSync(supergraphFile, composeBenchSupergraph(subgraphs.urls));
  const port = 40_000 + (process.pid % 20_000);
  const router = spawn(process.execPath, ['--import', 'tsx', 'router/src/index.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), SUPERGRAPH_FILE: supergraphFile, ROUTER_PROCESSES: '2', SERVICE_TOKEN: 'cluster-test-service-token-0123456789', QUEUE_PREFIX: `cluster-test-${process.pid}-`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const url = `http://127.0.0.1:${port}/graphql`;
    let answer: any;
    for (let i = 0; i < 150 && !answer; i++) {
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id name } topProducts(first: 1) { upc shippingEstimate } }' }) });
        answer = await res.json();
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(answer).toEqual({ data: { me: { id: 'u1', name: 'User 1' }, topProducts: [{ upc: 'p1', shippingEstimate: 2 }] } });
    const workers = children(router.pid!);
    expect(workers).toHaveLength(2);
    // New connections on the shared port, handed out by the primary, all find a ready worker.
    const ready = await Promise.all(Array.from({ length: 8 }, () => fetch(`http://127.0.0.1:${port}/readyz`, { headers: { connection: 'close' } }).then((r) => r.status)));
    expect(ready).toEqual(Array(8).fill(200));

    const exited = new Promise<number | null>((resolve) => router.once('exit', resolve));
    router.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
  } finally {
    router.kill('SIGKILL');
    await subgraphs.close();
  }
}, 60_000);
