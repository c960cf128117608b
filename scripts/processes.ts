/**
 * The shop's processes: six subgraphs, the notifications worker and the router, each with its
 * TypeScript entry (run by tsx in development) and its compiled entry (`npm run build`, run by
 * plain node in production and in containers). `npm start`, the container launcher and the
 * deployment checks read this one list.
 */
import { ROUTER_PORT, SUBGRAPHS } from '@shop/kernel/subgraphs';

export interface ShopProcess {
  /** Its name: the logger's, the compose service's, the Kubernetes Deployment's. */
  name: string;
  /** Its npm workspace (folder), whose production dependencies it needs. */
  workspace: string;
  /** TypeScript entry, from the project root. */
  source: string;
  /** JavaScript entry compiled by `npm run build`, from the project root. */
  compiled: string;
  /** Its default port (PORT overrides); none for the worker, which serves no HTTP. */
  port?: number;
  /** 200 while the process is up. */
  healthPath?: string;
  /** 200 once it can serve: the router's /readyz waits for every subgraph. */
  readyPath?: string;
}

/**
 * V8 flags for every shop process (the Dockerfile's NODE_OPTIONS says the same). A young
 * generation of 32 MiB per semi-space (V8's default on 64-bit: 16): a request's objects live
 * for the whole of its subgraph calls, and with the default more of them survive two scavenges
 * and are copied to the old generation, which is then collected in full. 8 to 15 % more reads
 * per second on average in docs/benchmarks.md's A/B, within this machine's noise.
 */
export const NODE_FLAGS = ['--max-semi-space-size=32'];

const entry = (workspace: string, file: string) => ({
  workspace,
  source: `${workspace}/src/${file}.ts`,
  compiled: `${workspace}/dist/${file}.js`,
});

export const PROCESSES: readonly ShopProcess[] = [
  ...SUBGRAPHS.map(({ name, port }) => ({ name, ...entry(`subgraphs/${name}`, 'index'), port, healthPath: '/healthz', readyPath: '/healthz' })),
  { name: 'notifications-worker', ...entry('subgraphs/notifications', 'worker') },
  { name: 'router', ...entry('router', 'index'), port: ROUTER_PORT, healthPath: '/healthz', readyPath: '/readyz' },
];

export function shopProcess(name: string): ShopProcess {
  const found = PROCESSES.find((p) => p.name === name);
  if (!found) throw new Error(`unknown process ${JSON.stringify(name)}: one of ${PROCESSES.map((p) => p.name).join(', ')}`);
  return found;
}
