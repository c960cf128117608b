/**
 * The production build: `npm run build:ts` compiles every process once to JavaScript; with
 * NODE_ENV=production the whole shop runs on it with plain node (no tsx, no TypeScript loaded,
 * the kernel from its dist/), and a process refuses a missing or published secret, naming it.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, SUBGRAPHS } from '@shop/kernel';
import { NODE_FLAGS, PROCESSES } from '../scripts/processes';
import { startStack } from '../scripts/stack';
import { startTestStack } from './support/stack';

const root = PROJECT_ROOT;
const run = promisify(execFile);

beforeAll(async () => {
  // Incremental (tsc -b): seconds when nothing changed, about a minute from scratch.
  await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: root });
}, 600_000);

it('compiles every process, the kernel and the generated resolver types', () => {
  for (const p of PROCESSES) expect(existsSync(path.join(root, p.compiled))).toBe(true);
  expect(existsSync(path.join(root, 'packages/kernel/dist/index.js'))).toBe(true);
  for (const s of SUBGRAPHS) expect(existsSync(path.join(root, `subgraphs/${s.name}/dist/__generated__/resolvers-types.js`))).toBe(true);
  for (const f of ['service.js', 'healthcheck.js', 'processes.js']) expect(existsSync(path.join(root, 'scripts/dist', f))).toBe(true);
});

it('resolves @shop/kernel to its compiled output under the production condition, to its TypeScript otherwise', async () => {
  const resolve = async (...flags: string[]) =>
    (await run(process.execPath, [...flags, '-p', "require.resolve('@shop/kernel') + ' ' + require.resolve('@shop/kernel/subgraphs')"], { cwd: path.join(root, 'router') })).stdout.trim();
  const kernel = path.join(root, 'packages/kernel');
  expect(await resolve('--conditions=production')).toBe(`${kernel}/dist/index.js ${kernel}/dist/subgraphs.js`);
  expect(await resolve()).toBe(`${kernel}/src/index.ts ${kernel}/src/subgraphs.ts`);
});

/** Runs a compiled process until it exits; its code and what it wrote to stderr. */
function runCompiled(name: string, env: Record<string, string>) {
  const spec = PROCESSES.find((p) => p.name === name)!;
  const child = spawn(process.execPath, ['--conditions=production', path.join(root, spec.compiled)], {
    cwd: root,
    env: { PATH: process.env.PATH!, NODE_ENV: 'production', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

it.each([
  ['users', {}, 'SERVICE_TOKEN: must be set'],
  ['orders', { SERVICE_TOKEN: 'change-me-service-token' }, 'SERVICE_TOKEN: a published default; set a secret of your own'],
  ['users', { SERVICE_TOKEN: 'a-service-token-of-32-characters' }, 'ADMIN_PASSWORD: must be set in production'],
  ['users', { SERVICE_TOKEN: 'a-service-token-of-32-characters', ADMIN_PASSWORD: 'change-me-admin' }, 'ADMIN_PASSWORD: a published default'],
  ['router', { SERVICE_TOKEN: 'a-service-token-of-32-characters', PORT: 'eighty' }, 'PORT: '],
])('%s refuses to start in production with %j, naming the variable', async (name, env, message) => {
  const { code, stderr } = await runCompiled(name, env);
  expect(code).toBe(1);
  expect(stderr).toContain(`${name}: invalid configuration:\n`);
  expect(stderr).toContain(`  ${message}`);
});

it("the container's entry point runs the process SHOP_PROCESS names, under the production condition only", async () => {
  const entry = async (env: Record<string, string>) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/dist/service.js')], {
      cwd: root,
      env: { PATH: process.env.PATH!, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    return { code, stderr };
  };
  expect(await entry({ SHOP_PROCESS: 'users' })).toEqual({ code: 1, stderr: expect.stringMatching(/^run with node --conditions=production/) });
  expect(await entry({ SHOP_PROCESS: 'shop', NODE_OPTIONS: '--conditions=production' })).toEqual({ code: 1, stderr: expect.stringMatching(/^unknown process "shop": one of users, /) });
  // It got as far as the users subgraph's own configuration check.
  expect(await entry({ SHOP_PROCESS: 'users', NODE_OPTIONS: '--conditions=production' })).toEqual({ code: 1, stderr: expect.stringMatching(/^users: invalid configuration:\n  SERVICE_TOKEN: must be set/) });
});

it('runs the whole shop on plain node: every process loads compiled JavaScript only', async () => {
  // Each process writes the files it loaded, when it exits, into a folder of this test's own.
  const records = mkdtempSync(path.join(os.tmpdir(), 'shop-loaded-'));
  const recorder = path.join(records, 'record-loaded.js');
  writeFileSync(
    recorder,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(records)} + '/loaded-' + process.pid + '.json', JSON.stringify({ execArgv: process.execArgv, files: Object.keys(require.cache) })));`,
  );
  const { stack, env } = await startTestStack('production', { NODE_ENV: 'production', NODE_OPTIONS: `--require ${recorder}` }, {}, (options) =>
    startStack({ ...options, compiled: true }),
  );
  try {
    const res = await fetch(stack.routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ products(first: 2) { totalCount edges { node { name } } } }' }),
    });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.products.totalCount).toBe(500);
    expect(body.data.products.edges).toHaveLength(2);
    // The container's health check, against each kind of process.
    expect(await healthcheck('router', stack.ports.router)).toEqual({ code: 0, stdout: `http://127.0.0.1:${stack.ports.router}/healthz: 200\n` });
    expect(await healthcheck('catalogue', stack.ports.catalogue)).toEqual({ code: 0, stdout: `http://127.0.0.1:${stack.ports.catalogue}/healthz: 200\n` });
    expect(await healthcheck('notifications-worker')).toEqual({ code: 0, stdout: 'notifications-worker serves no HTTP; healthy while it runs\n' });
    // On SIGTERM each process stops in order and exits before its time bound (bootstrap.ts): none
    // waits for the bound, as all did while Apollo Server's own signal handler called stop() again.
    await stack.terminate('router');
    await Promise.all(PROCESSES.filter((p) => p.name !== 'router').map((p) => stack.terminate(p.name)));
    const logs = path.join(env.DATA_DIR, 'logs');
    expect(readdirSync(logs).filter((f) => readFileSync(path.join(logs, f), 'utf8').includes('shutdown took too long'))).toEqual([]);
  } finally {
    await stack.stop();
  }
  expect(await healthcheck('router', stack.ports.router)).toMatchObject({ code: 1, stdout: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/healthz: fetch failed/) });
  const loaded = readdirSync(records)
    .filter((f) => f.startsWith('loaded-'))
    .map((f) => JSON.parse(readFileSync(path.join(records, f), 'utf8')) as { execArgv: string[]; files: string[] });
  rmSync(records, { recursive: true, force: true });
  expect(loaded).toHaveLength(PROCESSES.length);
  for (const { execArgv, files } of loaded) {
    expect(execArgv).toEqual([...NODE_FLAGS, '--conditions=production']);
    const ours = files.filter((f) => f.startsWith(root + path.sep) && !f.includes(`${path.sep}node_modules${path.sep}`));
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.filter((f) => !/\/dist\/[\w/.-]+\.js$/.test(f))).toEqual([]);
    expect(files.filter((f) => /\.ts$|\/tsx\//.test(f))).toEqual([]);
  }
}, 300_000);

/** Runs the container's HEALTHCHECK command for a process on a port. */
async function healthcheck(name: string, port?: number) {
  const child = spawn(process.execPath, ['--conditions=production', path.join(root, 'scripts/dist/healthcheck.js')], {
    cwd: root,
    env: { PATH: process.env.PATH!, SHOP_PROCESS: name, ...(port ? { PORT: String(port) } : {}) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  return { code, stdout };
}
