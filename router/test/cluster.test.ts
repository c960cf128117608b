/**
 * ROUTER_PROCESSES=2: the primary forks two workers that share the port and serve, and SIGTERM to
 * the primary stops them all. Real processes: the router on the bench's supergraph and subgraphs.
 */
import { execFileSync } from 'node:child_process';
import { eventually } from '../../test/support/graphql';
import { startRouterProcess } from './support/router-process';

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
  const router = await startRouterProcess({ ROUTER_PROCESSES: '2' });
  try {
    // New connections on the shared port, handed out by the primary, all find a ready worker.
    const readiness = () => Promise.all(Array.from({ length: 8 }, () => fetch(`${router.url}/readyz`, { headers: { connection: 'close' } }).then((r) => r.status, () => 0)));
    await eventually(async () => ((await readiness()).every((s) => s === 200) ? true : undefined), 30_000, 200);
    const res = await fetch(`${router.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id name } topProducts(first: 1) { upc shippingEstimate } }' }) });
    expect(await res.json()).toEqual({ data: { me: { id: 'u1', name: 'User 1' }, topProducts: [{ upc: 'p1', shippingEstimate: 2 }] } });
    const workers = children(router.child.pid!);
    expect(workers).toHaveLength(2);

    const exited = new Promise<number | null>((resolve) => router.child.once('exit', resolve));
    router.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
  } finally {
    await router.stop();
  }
}, 60_000);
