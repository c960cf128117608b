/**
 * `npm run bench`: starts its own shop on a fresh FerretDB (with its metrics on), an SMTP server
 * on loopback, and measures the storefront's reads, checkout, notification and subscription
 * latency, database commands per request and search quality. Prints the tables and writes
 * them with the machine, versions and date to bench/results/ as JSON and Markdown.
 *
 *   npm run bench                      full: 10 s per scenario at 10 connections
 *   npm run bench -- --smoke           a few seconds each, few subscribers (CI)
 *   npm run bench -- --out <dir>       write the results there instead
 *   npm run bench -- --source          run the TypeScript under tsx, as the tests do, not the production build
 *   npm run bench -- --code <dir>      run another checkout's shop (its scripts/stack.ts), measured by this one
 *   npm run bench -- --ferretdb <bin>  run that FerretDB build (an earlier commit's, unpatched)
 *   npm run bench -- --sqlite <query>  FerretDB's SQLite URL query, e.g. '_pragma=synchronous(NORMAL)'
 *   npm run bench -- --only <a,b>      only the scenarios whose name contains one of these (no quality tables;
 *                                      "per order" adds the database commands and CPU per order; its file
 *                                      is named by the time too, so a whole run's file is never overwritten)
 *
 * With SHOP_CPU_PROF_DIR=<dir>, every process of the shop writes a V8 CPU profile there at the end.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startFerretDB } from '../ferretdb';
import type * as StackModule from '../stack';
import { startSmtp } from '../../test/support/smtp';
import { startTestStack } from '../../test/support/stack';
import { commandsPerOrder, commandsPerRequest } from './commands';
import { settle } from './cpu';
import { emailClock } from './emails';
import { ferretdbVersion } from './ferretdb-metrics';
import { setUp } from './fixtures';
import { idleNotifications, statusChangeFanOut } from './latency';
import { runLoad } from './load';
import { checkout, loadAverage, machine, tables, writeReport, type Report } from './report';
import { checkoutScenario, readScenarios } from './scenarios';
import { searchQuality } from './search-quality';

const ROOT = path.resolve(__dirname, '..', '..');

const MODES = {
  full: { seconds: 10, warmUpSeconds: 3, connections: 10, buyers: 20, idleOrders: 50, subscribers: 1000, commandRequests: 20, listSizes: [5, 50] },
  // Enough to run every scenario end to end on a busy CI machine, not to measure.
  smoke: { seconds: 2, warmUpSeconds: 1, connections: 2, buyers: 5, idleOrders: 3, subscribers: 20, commandRequests: 3, listSizes: [2, 10] },
};

const started = Date.now();
const log = (message: string) => console.error(`bench ${((Date.now() - started) / 1000).toFixed(0)} s: ${message}`);

async function main() {
  const { values: args } = parseArgs({
    options: { smoke: { type: 'boolean' }, source: { type: 'boolean' }, out: { type: 'string' }, code: { type: 'string' }, ferretdb: { type: 'string' }, sqlite: { type: 'string' }, only: { type: 'string' } },
  });
  const mode = args.smoke ? 'smoke' : 'full';
  const params = MODES[mode];
  const codeDir = path.resolve(args.code ?? ROOT);
  // Another checkout's startStack has the same shape and starts that checkout's processes.
  const { startStack } = (await import(path.join(codeDir, 'scripts', 'stack.ts'))) as typeof StackModule;
  // The shop as deployed (the Dockerfile's way): the JavaScript of `npm run build:ts`, with
  // NODE_ENV=production. A checkout older than the production build runs its TypeScript.
  const compiled = !args.source && readFileSync(path.join(codeDir, 'scripts', 'stack.ts'), 'utf8').includes('compiled?: boolean');
  if (compiled) {
    log(`building ${codeDir}`);
    execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: codeDir, stdio: 'inherit' });
  }

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shop-bench-'));
  const db = await startFerretDB(dataDir, await freePort(), { debugPort: await freePort(), binary: args.ferretdb, sqliteQuery: args.sqlite });
  const metricsUrl = db.metricsUrl!;
  const host = machine(await ferretdbVersion(metricsUrl));
  const smtp = await startSmtp();
  try {
    log(`starting the shop of ${codeDir}`);
    // The processes' /metrics answer the bench with this token (production answers no one else).
    const token = randomBytes(24).toString('hex');
    const overrides = { MONGO_URL: db.url, SMTP_URL: smtp.url, LOG_LEVEL: 'error', ACCESS_TOKEN_TTL_SECONDS: '3600', METRICS_TOKEN: token, ...(compiled && { NODE_ENV: 'production' }) };
    const workerMetricsPort = await freePort();
    const envFor = { 'notifications-worker': { METRICS_PORT: String(workerMetricsPort) } };
    const { stack, env } = await startTestStack('bench', overrides, envFor, (options) => startStack({ ...options, compiled }));
    try {
      const url = stack.routerUrl;
      const processes = [
        ...Object.entries(stack.ports)
          .filter(([name]) => name !== 'router')
          .map(([name, port]) => ({ name, url: `http://127.0.0.1:${port}/metrics` })),
        { name: 'notifications-worker', url: `http://127.0.0.1:${workerMetricsPort}/metrics` },
      ];
      const metrics = { ferretdb: metricsUrl, processes, token };
      const accountOrders = Math.max(...params.listSizes);
      log(`signing up ${params.buyers} buyers and a customer with ${accountOrders} orders`);
      const fixtures = await setUp(url, env, params.buyers, accountOrders);
      const clock = emailClock(smtp);
      await settle(); // the orders' events are still being handled

      const only = args.only?.split(',');
      const wanted = (name: string) => !only || only.some((part) => name.includes(part));
      log('search quality');
      const search = args.only ? null : await searchQuality(url);
      log('database commands per request');
      const commands = args.only ? [] : await commandsPerRequest(url, metricsUrl, fixtures, params.commandRequests, params.listSizes);
      const orderCommands = args.only && !wanted('per order') ? null : await commandsPerOrder(url, metricsUrl, fixtures, params.commandRequests);

      const scenarios: Report['scenarios'] = [];
      for (const scenario of readScenarios(fixtures, params.connections).filter((s) => wanted(s.name))) {
        log(scenario.name);
        scenarios.push(await runLoad(url, scenario, params, metrics));
      }
      if (wanted('notification latency, idle')) {
        log('notification latency, idle');
        scenarios.push(await idleNotifications(url, fixtures, clock, params.idleOrders));
      }
      const burst = checkoutScenario(fixtures, clock.placed);
      if (wanted(burst.name) || wanted('notification latency, during the checkout burst')) {
        log(burst.name);
        scenarios.push(await runLoad(url, burst, params, metrics));
        const { missing, ...duringBurst } = await clock.collect(120_000);
        scenarios.push({ name: 'notification latency, during the checkout burst', ...duringBurst, errors: missing });
      }
      if (wanted('subscribers')) {
        log(`one status change to ${params.subscribers} subscribers`);
        scenarios.push(await statusChangeFanOut(url, env, fixtures, params.subscribers));
      }

      const report: Report = {
        date: new Date().toISOString(),
        mode,
        ...(only && { only }),
        machine: { ...host, loadAverage: { ...host.loadAverage, end: loadAverage() } },
        code: checkout(codeDir),
        bench: checkout(ROOT),
        parameters: { ...params, runs: compiled ? 'compiled JavaScript, NODE_ENV=production' : 'TypeScript under tsx', ...(args.ferretdb && { ferretdbBinary: path.basename(args.ferretdb) }), ...(args.sqlite && { sqlite: args.sqlite }) },
        scenarios,
        commands,
        orderCommands,
        search,
      };
      console.log(tables(report));
      for (const file of writeReport(report, path.resolve(args.out ?? path.join(ROOT, 'bench', 'results')))) log(`wrote ${file}`);
    } finally {
      await stack.stop();
    }
  } finally {
    await smtp.stop();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
