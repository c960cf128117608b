/**
 * Runs the shop's processes (six subgraphs, the notifications worker, the router) as child
 * processes, waits until each answers, and stops them together. Used by `npm start` and by
 * the end-to-end tests, so both run the same thing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { DEFAULT_PORTS } from '../packages/kernel/src/config';
import { PROJECT_ROOT, SUBGRAPHS } from '../packages/kernel/src/subgraphs';
import { freePort } from './ferretdb';
import { PROCESSES } from './processes';

const root = PROJECT_ROOT;

interface ProcessSpec {
  name: string;
  source: string;
  compiled: string;
  /** Where to poll until the process is ready; none for the worker. */
  readyPath?: string;
}

const SPECS: ProcessSpec[] = [...PROCESSES];

export interface StackOptions {
  env: Record<string, string>;
  ports?: Partial<Record<string, number>>;
  /** Settings for one process only, by process name (e.g. a broker address for orders). */
  envFor?: Partial<Record<string, Record<string, string>>>;
  /** Plain node on the JavaScript of `npm run build`, as in containers; else tsx on the TypeScript. Default: NODE_ENV=production. */
  compiled?: boolean;
  /** 'console': prefixed lines on stdout; otherwise one log file per process in this folder. */
  logTo: 'console' | string;
}

export interface Stack {
  routerUrl: string;
  ports: Record<string, number>;
  stop(): Promise<void>;
  /** Kills one process hard (SIGKILL), as a crash would. */
  kill(name: string): Promise<void>;
  /** Starts a process again after kill(). */
  restart(name: string): Promise<void>;
  /** Starts one more router, another replica beside the first, on a free port; returns its URL. */
  addRouter(): Promise<string>;
}

async function waitUntilReady(url: string, child: ChildProcess, name: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} was not ready within ${timeoutMs / 1000}s (${url})`);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const ports: Record<string, number> = { ...DEFAULT_PORTS, ...(options.ports as Record<string, number>) };
  const urls = Object.fromEntries(SUBGRAPHS.map(({ name }) => [`SUBGRAPH_URL_${name.toUpperCase()}`, `http://127.0.0.1:${ports[name]}/graphql`]));
  const children = new Map<string, ChildProcess>();
  const runCompiled = options.compiled ?? process.env.NODE_ENV === 'production';
  if (options.logTo !== 'console') mkdirSync(options.logTo, { recursive: true });

  function launch(spec: ProcessSpec): ChildProcess {
    const port = ports[spec.name.replace('-worker', '')];
    const entry = path.join(root, runCompiled ? spec.compiled : spec.source);
    if (runCompiled && !existsSync(entry)) throw new Error(`${spec.compiled} is missing: run npm run build first (NODE_ENV=production runs the compiled JavaScript)`);
    const args = runCompiled ? ['--conditions=production', entry] : ['--import', 'tsx', entry];
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...options.env, ...urls, ...options.envFor?.[spec.name], PORT: String(spec.readyPath ? port : 0) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (options.logTo === 'console') {
      for (const stream of [child.stdout!, child.stderr!])
        readline.createInterface({ input: stream }).on('line', (line) => console.log(`[${spec.name}] ${line}`));
    } else {
      const file = createWriteStream(path.join(options.logTo, `${spec.name}.log`), { flags: 'a' });
      child.stdout!.pipe(file);
      child.stderr!.pipe(file);
    }
    children.set(spec.name, child);
    return child;
  }

  async function startOne(spec: ProcessSpec) {
    const child = launch(spec);
    if (spec.readyPath) await waitUntilReady(`http://127.0.0.1:${ports[spec.name]}${spec.readyPath}`, child, spec.name);
  }

  async function stopOne(name: string, signal: NodeJS.Signals) {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  const isRouter = (name: string) => name.startsWith('router');
  const stop = async () => {
    await Promise.all([...children.keys()].filter(isRouter).map((name) => stopOne(name, 'SIGTERM')));
    await Promise.all([...children.keys()].filter((name) => !isRouter(name)).map((name) => stopOne(name, 'SIGTERM')));
  };
  const routerSpec = SPECS.find((s) => s.name === 'router')!;

  try {
    // Subgraphs and the worker start side by side; the router last, once all of them answer.
    await Promise.all(SPECS.filter((s) => s.name !== 'router').map(startOne));
    await startOne(routerSpec);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    routerUrl: `http://127.0.0.1:${ports.router}/graphql`,
    ports,
    stop,
    kill: (name) => stopOne(name, 'SIGKILL'),
    restart: (name) => startOne(SPECS.find((s) => s.name === name)!),
    async addRouter() {
      const name = `router-${children.size}`;
      ports[name] = await freePort();
      await startOne({ ...routerSpec, name });
      return `http://127.0.0.1:${ports[name]}/graphql`;
    },
  };
}
