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
import { NODE_FLAGS, PROCESSES } from './processes';

const root = PROJECT_ROOT;

interface ProcessSpec {
  name: string;
  source: string;
  compiled: string;
  /** Where to poll until the process is ready; none for the worker. */
  readyPath?: string;
  /** For a process without readyPath: ready once it says so over IPC (kernel bootstrap.ts). */
  readyMessage?: boolean;
}

// The worker has no URL to poll: it says it is ready over IPC (kernel bootstrap.ts).
const SPECS: ProcessSpec[] = PROCESSES.map((p) => ({ ...p, readyMessage: !p.readyPath }));

export interface StackOptions {
  env: Record<string, string>;
  ports?: Partial<Record<string, number>>;
  /** Settings for one process only, by process name (e.g. a broker address for orders). */
  envFor?: Partial<Record<string, Record<string, string>>>;
  /** Plain node on the JavaScript of `npm run build`, as in containers; else tsx on the TypeScript. Default: NODE_ENV=production. */
  compiled?: boolean;
  /** 'console': prefixed lines on stdout; otherwise one log file per process in this folder. */
  logTo: 'console' | string;
  /** Called as each process becomes ready, with its URL (none for the worker). */
  onReady?(name: string, url?: string): void;
}

/** How a stopped process ended: its exit code (or the signal that killed it) and how long it took. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
}

export interface Stack {
  routerUrl: string;
  ports: Record<string, number>;
  stop(): Promise<void>;
  /** Stops one process as an orchestrator would (SIGTERM, SIGKILL after 5 s); how it ended. */
  terminate(name: string): Promise<Exit>;
  /** How each process stopped by stop(), terminate() or kill() ended, by name. */
  exits: Record<string, Exit>;
  /** Kills one process hard (SIGKILL), as a crash would. */
  kill(name: string): Promise<void>;
  /** Starts a process again after kill(). */
  restart(name: string): Promise<void>;
  /** Starts one more router, another replica beside the first, on a free port; returns its URL. */
  addRouter(): Promise<string>;
}

/** Until the child says it is ready over its IPC channel (kernel bootstrap.ts). */
function waitForReadyMessage(child: ChildProcess, name: string, timeoutMs = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', exited);
      if (err) reject(err);
      else resolve();
    };
    const onMessage = (message: unknown) => (message as { ready?: string })?.ready && done();
    const exited = () => done(new Error(`${name} exited with code ${child.exitCode} while starting`));
    const timer = setTimeout(() => done(new Error(`${name} was not ready within ${timeoutMs / 1000}s`)), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', exited);
  });
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
    const args = [...NODE_FLAGS, ...(runCompiled ? ['--conditions=production', entry] : ['--import', 'tsx', entry])];
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...options.env, ...urls, ...options.envFor?.[spec.name], PORT: String(spec.readyPath ? port : 0) },
      // The IPC channel: how the worker, which has no URL to poll, says it is ready.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
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
    else if (spec.readyMessage) await waitForReadyMessage(child, spec.name);
    options.onReady?.(spec.name, spec.readyPath && `http://127.0.0.1:${ports[spec.name]}/graphql`);
  }

  const exits: Record<string, Exit> = {};
  async function stopOne(name: string, signal: NodeJS.Signals): Promise<Exit> {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return exits[name];
    const started = Date.now();
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    return (exits[name] = { code: child.exitCode, signal: child.signalCode, ms: Date.now() - started });
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
    exits,
    terminate: (name) => stopOne(name, 'SIGTERM'),
    kill: async (name) => void (await stopOne(name, 'SIGKILL')),
    restart: (name) => startOne(SPECS.find((s) => s.name === name)!),
    async addRouter() {
      const name = `router-${children.size}`;
      ports[name] = await freePort();
      await startOne({ ...routerSpec, name });
      return `http://127.0.0.1:${ports[name]}/graphql`;
    },
  };
}
