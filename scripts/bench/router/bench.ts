/**
 * `npm run bench:router`: our router beside a direct subgraph call, a stock @apollo/gateway and
 * Hive Gateway, on the bench's own in-memory subgraphs (./subgraphs.ts). Each target is started
 * in turn as a child process on a free port and measured in interleaved rounds with autocannon;
 * before any load, every target must return the same (normalised) answer to every query.
 *
 *   npm run bench:router                 # 3 rounds, 5 s per target and query after 2 s warm-up
 *   npm run bench:router -- --smoke      # 1 round, 1 s each: checks that every target answers right
 *   npm run bench:router -- --out <dir> --rounds 5 --seconds 10
 *   npm run bench:router -- --only 'stock|our router, 1' --queries small
 *   SHOP_CPU_PROF_DIR=<dir> npm run bench:router -- ...   # our router writes V8 CPU profiles there
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { cpuOfTree } from '../cpu';
import { checkout, loadAverage } from '../report';
import { composeBenchSupergraph, type BenchSubgraph } from './subgraphs';

const root = path.resolve(__dirname, '..', '..', '..');
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const smoke = args.includes('--smoke');
const ROUNDS = Number(option('--rounds') ?? (smoke ? 1 : 3));
const SECONDS = Number(option('--seconds') ?? (smoke ? 1 : 5));
const WARM_UP_SECONDS = smoke ? 1 : 2;
const CONNECTIONS = smoke ? 5 : 50;
const ONLY = new RegExp(option('--only') ?? '.');
const QUERY_FILTER = new RegExp(option('--queries') ?? '.');
const PROFILE_DIR = process.env.SHOP_CPU_PROF_DIR;
const OUT = path.resolve(option('--out') ?? path.join(root, 'bench', 'results'));

export const QUERIES = {
  small: '{ topProducts(first: 5) { upc name price } }',
  cross: '{ topProducts(first: 50) { upc name reviews { id body author { id name } } } }',
  requires: '{ topProducts(first: 10) { upc name shippingEstimate } }',
  mutation: 'mutation { addReview(upc: "p1", body: "Fast and right") { id body author { id name username } } }',
} as const;
type QueryName = keyof typeof QUERIES;

interface Target {
  name: string;
  /** Only these queries (the subgraph alone answers the small query only). */
  queries: QueryName[];
  start(port: number): { child: ChildProcess; url: string; readyUrl?: string };
  /** The bench's own subgraphs process: measured, never stopped between targets. */
  shared?: boolean;
}

const node = (entry: string, env: Record<string, string>, flags: string[] = []) =>
  spawn(process.execPath, [...flags, '--import', 'tsx', entry], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

function targets(supergraphFile: string, subgraphs: ChildProcess, urls: Record<BenchSubgraph, string>, hiveDir: string): Target[] {
  const all: QueryName[] = ['small', 'cross', 'requires', 'mutation'];
  const hiveBin = path.join(root, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js');
  const hive = (configDir: string) => (port: number) => ({
    // Its defaults (one process unless NODE_ENV=production), no registry token: nothing leaves the machine.
    child: spawn(process.execPath, [hiveBin, 'supergraph', supergraphFile, '--port', String(port), '--host', '127.0.0.1'], { cwd: configDir, env: { ...process.env, NODE_ENV: 'development' }, stdio: ['ignore', 'pipe', 'pipe'] }),
    url: `http://127.0.0.1:${port}/graphql`,
  });
  const ours = (processes: string, mergeReads = 'false') => (port: number) => ({
    // One folder per start: each process (and tsx's loader thread) writes its own profile.
    child: node('router/src/index.ts', {
      PORT: String(port),
      SUPERGRAPH_FILE: supergraphFile,
      ROUTER_PROCESSES: processes,
      ROUTER_MERGE_READS: mergeReads,
      SERVICE_TOKEN: process.env.SERVICE_TOKEN ?? 'bench-router-service-token-0123456789',
      QUEUE_PREFIX: `bench-router-${process.pid}-`,
      // Its own namespace, without a database to keep it in.
      SHOP_ID: `bench-router-${process.pid}`,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    }, PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.join(PROFILE_DIR, `router-${processes}-${port}`)}`] : []),
    url: `http://127.0.0.1:${port}/graphql`,
    readyUrl: `http://127.0.0.1:${port}/readyz`,
  });
  const list: Target[] = [
    { name: 'subgraph alone', queries: ['small'], shared: true, start: () => ({ child: subgraphs, url: urls.products }) },
    { name: 'stock @apollo/gateway', queries: all, start: (port) => ({ child: node('scripts/bench/router/stock-gateway.ts', { PORT: String(port), SUPERGRAPH_FILE: supergraphFile }), url: `http://127.0.0.1:${port}/` }) },
    { name: 'Hive Gateway', queries: all, start: hive(path.join(hiveDir, 'default')) },
    { name: 'Hive Gateway, no deduplication', queries: all, start: hive(path.join(hiveDir, 'no-dedup')) },
    { name: 'our router, 1 process', queries: all, start: ours('1') },
    { name: 'our router, 1 process, ROUTER_MERGE_READS=true', queries: all, start: ours('1', 'true') },
    { name: `our router, ROUTER_PROCESSES=auto (${os.availableParallelism()})`, queries: all, start: ours('auto') },
  ];
  return list.filter((t) => ONLY.test(t.name)).map((t) => ({ ...t, queries: t.queries.filter((q) => QUERY_FILTER.test(q)) }));
}

/** Hive Gateway reads gateway.config.* from its working directory: one with its defaults, one without request deduplication. */
function hiveConfigs(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-hive-'));
  mkdirSync(path.join(dir, 'default'));
  mkdirSync(path.join(dir, 'no-dedup'));
  writeFileSync(path.join(dir, 'default', 'gateway.config.mjs'), 'export const gatewayConfig = {};\n');
  // As its docs say: deduplication of in-flight subgraph requests is on by default, off per transport.
  writeFileSync(path.join(dir, 'no-dedup', 'gateway.config.mjs'), "export const gatewayConfig = { transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } } };\n");
  return dir;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

async function post(url: string, query: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: res.status, text: await res.text() };
}

/** Keys sorted at every level: targets may order an object's keys differently, never a list. */
const normalise = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(normalise) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, normalise(v)])) : value;

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await post(url, '{ __typename }');
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready within ${timeoutMs / 1000}s:\n${output()}`);
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  // Writing a CPU profile at exit takes seconds: never cut it short.
  const timer = setTimeout(() => child.kill('SIGKILL'), PROFILE_DIR ? 120_000 : 10_000);
  await exited;
  clearTimeout(timer);
}

interface Measure {
  target: string;
  query: QueryName;
  round: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  cpuUsPerRequest: number;
}

/** autocannon at CONNECTIONS; an answer other than the target's own checked one counts as an error. */
async function load(url: string, query: string, expected: string, seconds: number) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    expectBody: expected,
  });
}

async function main() {
  const subgraphs = node('scripts/bench/router/subgraphs.ts', {});
  const urls: Record<BenchSubgraph, string> = await new Promise((resolve, reject) => {
    readline.createInterface({ input: subgraphs.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    subgraphs.once('exit', (code) => reject(new Error(`the subgraphs exited with ${code}`)));
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-router-'));
  const supergraphFile = path.join(dir, 'supergraph.graphql');
  writeFileSync(supergraphFile, composeBenchSupergraph(urls));
  const hiveDir = hiveConfigs();
  const list = targets(supergraphFile, subgraphs, urls, hiveDir);
  const startLoad = loadAverage();
  const measures: Measure[] = [];
  const reference = new Map<QueryName, string>();
  const failures: string[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of list) {
        const port = await freePort();
        const { child, url, readyUrl } = target.start(port);
        let output = '';
        const keep = (c: Buffer) => (output = (output + c).slice(-4000));
        child.stdout?.on('data', keep);
        child.stderr?.on('data', keep);
        try {
          await waitReady(url, child, () => output);
          if (readyUrl) {
            // Ready once every subgraph answers and its order-change queue is bound, which may follow serving by a moment.
            for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
              const res = await fetch(readyUrl);
              if (res.ok) break;
              if (Date.now() > deadline) throw new Error(`${readyUrl} answered ${res.status}: ${await res.text()}`);
            }
          }
          // Correctness first: each answer without error and the same as every other target's.
          const checked = new Map<QueryName, string>();
          for (const query of target.queries) {
            const answer = await post(url, QUERIES[query]);
            const parsed = JSON.parse(answer.text);
            const normalised = JSON.stringify(normalise(parsed));
            if (answer.status !== 200 || parsed.errors) failures.push(`${target.name}, ${query}: ${answer.status} ${answer.text.slice(0, 300)}`);
            else if (!reference.has(query)) reference.set(query, normalised);
            else if (reference.get(query) !== normalised) failures.push(`${target.name}, ${query}: a different answer: ${answer.text.slice(0, 300)}`);
            checked.set(query, answer.text);
          }
          if (failures.length) throw new Error('wrong answers');
          // Every query warmed up before any is measured: the first one measured should not pay for compiling the others.
          for (const query of target.queries) await load(url, QUERIES[query], checked.get(query)!, WARM_UP_SECONDS);
          for (const query of target.queries) {
            const cpuBefore = cpuOfTree(child.pid!);
            const result = await load(url, QUERIES[query], checked.get(query)!, SECONDS);
            const cpuMs = cpuOfTree(child.pid!) - cpuBefore;
            const errors = result.errors + result.timeouts + result.non2xx + result.mismatches;
            const requests = result.requests.total;
            measures.push({
              target: target.name,
              query,
              round,
              requests,
              perSecond: (requests - result.non2xx - result.mismatches) / SECONDS,
              p50: result.latency.p50,
              p99: result.latency.p99,
              errors,
              cpuUsPerRequest: requests ? Math.round((cpuMs * 1000) / requests) : 0,
            });
            console.log(`round ${round} ${target.name} ${query}: ${Math.round(requests / SECONDS)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${errors} errors`);
          }
        } catch (err) {
          if (!failures.length) failures.push(`${target.name}: ${(err as Error).message}`);
        } finally {
          child.stdout?.off('data', keep);
          child.stderr?.off('data', keep);
          if (!target.shared) await stop(child);
        }
        if (failures.length) break;
      }
      if (failures.length) break;
    }
  } finally {
    await stop(subgraphs);
  }
  if (failures.length) {
    console.error(`the bench failed:\n${failures.join('\n')}`);
    process.exit(1);
  }
  writeResults(list, measures, startLoad);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One row per target and query: mean req/s and CPU over the rounds, median p50 and p99, every error. */
export function summarise(measures: Measure[]) {
  const keys = [...new Set(measures.map((m) => `${m.target}\u0000${m.query}`))];
  return keys.map((key) => {
    const [target, query] = key.split('\u0000') as [string, QueryName];
    const ms = measures.filter((m) => m.target === target && m.query === query);
    return {
      target,
      query,
      perSecond: Math.round(mean(ms.map((m) => m.perSecond))),
      p50: median(ms.map((m) => m.p50)),
      p99: median(ms.map((m) => m.p99)),
      errors: ms.reduce((s, m) => s + m.errors, 0),
      // Weighted by requests: a round with few answers must not dominate.
      cpuUsPerRequest: Math.round(ms.reduce((s, m) => s + m.cpuUsPerRequest * m.requests, 0) / Math.max(1, ms.reduce((s, m) => s + m.requests, 0))),
    };
  });
}

function writeResults(list: Target[], measures: Measure[], startLoad: number[]) {
  const rows = summarise(measures);
  const stock = (query: string) => rows.find((r) => r.target === 'stock @apollo/gateway' && r.query === query)?.perSecond;
  const table = [
    '| target | query | req/s | vs stock | p50 ms | p99 ms | errors | CPU µs/request |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.target} | ${r.query} | ${r.perSecond} | ${stock(r.query) ? (r.perSecond / stock(r.query)!).toFixed(2) + 'x' : ''} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.cpuUsPerRequest} |`),
  ].join('\n');
  const { commit, dirty } = checkout(root);
  // Read from node_modules: some packages do not export their package.json.
  const version = (pkg: string) => {
    const file = [path.join(root, 'router'), root].map((d) => path.join(d, 'node_modules', pkg, 'package.json')).find(existsSync);
    return file ? JSON.parse(readFileSync(file, 'utf8')).version : 'unknown';
  };
  const report = {
    date: new Date().toISOString(),
    commit,
    dirty,
    smoke,
    parameters: { rounds: ROUNDS, seconds: SECONDS, warmUpSeconds: WARM_UP_SECONDS, connections: CONNECTIONS, queries: QUERIES },
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}`, node: process.version, loadAverage: { start: startLoad, end: loadAverage() } },
    versions: Object.fromEntries(['@apollo/gateway', '@apollo/server', '@graphql-hive/gateway', 'autocannon', 'graphql'].map((p) => [p, version(p)])),
    targets: list.map((t) => t.name),
    rows,
    measures,
  };
  const markdown = [
    `# Router bench, ${report.date.slice(0, 10)}, ${commit.slice(0, 7)}${dirty ? ' (uncommitted changes)' : ''}${smoke ? ' (smoke: figures mean nothing)' : ''}`,
    '',
    `- ${ROUNDS} round(s), ${SECONDS} s per target and query after ${WARM_UP_SECONDS} s of warm-up, ${CONNECTIONS} connections (autocannon)`,
    `- machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB, ${report.machine.os}, Node ${process.version}; load average at start ${startLoad.join(' ')}, at the end ${report.machine.loadAverage.end.join(' ')}`,
    `- versions: ${Object.entries(report.versions).map(([p, v]) => `${p} ${v}`).join(', ')}`,
    '- req/s: mean of the rounds; p50, p99: median of the rounds; CPU: the target\'s processes only (not the subgraphs), per request over all rounds',
    '',
    table,
    '',
  ].join('\n');
  console.log(`\n${markdown}`);
  mkdirSync(OUT, { recursive: true });
  const base = path.join(OUT, `router-${report.date.slice(0, 10)}-${commit.slice(0, 7)}${smoke ? '-smoke' : ''}`);
  writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(`${base}.md`, markdown);
  console.log(`wrote ${base}.json and .md`);
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
