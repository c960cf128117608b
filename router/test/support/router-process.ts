import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../scripts/ferretdb';
import { composeBenchSupergraph, startBenchSubgraphs } from '../../../scripts/bench/router/subgraphs';

const root = path.resolve(__dirname, '..', '..', '..');

/** The router as its own process (from source) on the router bench's in-memory subgraphs. */
export async function startRouterProcess(env: Record<string, string> = {}) {
  const subgraphs = await startBenchSubgraphs();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'router-process-'));
  const supergraphFile = path.join(dir, 'supergraph.graphql');
  writeFileSync(supergraphFile, composeBenchSupergraph(subgraphs.urls));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'router/src/index.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), SUPERGRAPH_FILE: supergraphFile, SERVICE_TOKEN: 'router-test-service-token-0123456789', QUEUE_PREFIX: `router-test-${process.pid}-`, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGKILL');
      await subgraphs.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
