/** The bench's results: one JSON and one Markdown file, with the machine, versions and date. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busiest } from './db-busy';
import type { CommandsResult, OrderCommands } from './commands';
import type { LatencyResult } from './latency';
import type { LoadResult } from './load';
import type { SearchQuality } from './search-quality';

export interface Checkout {
  dir: string;
  commit: string;
  /** Uncommitted changes were present: the commit alone does not name the code. */
  dirty: boolean;
}

export interface Report {
  date: string;
  mode: 'full' | 'smoke';
  /** `--only`: the parts of the scenario names asked for (absent: every scenario). */
  only?: string[];
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    os: string;
    node: string;
    ferretdb: string;
    /** 1, 5 and 15 minutes: on a shared machine, how much else ran. */
    loadAverage: { start: number[]; end?: number[] };
  };
  /** The shop measured, and the bench that measured it (the same checkout unless --code). */
  code: Checkout;
  bench: Checkout;
  parameters: Record<string, unknown>;
  scenarios: (LoadResult | LatencyResult)[];
  /** Left out (empty, null) when only some scenarios ran (--only). */
  commands: CommandsResult[];
  /** Database commands per checkout, with the work it sets off (null with --only). */
  orderCommands: OrderCommands | null;
  search: SearchQuality | null;
}

export function checkout(dir: string): Checkout {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
  return { dir, commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
}

export const loadAverage = () => os.loadavg().map((n) => Math.round(n * 100) / 100);

export function machine(ferretdb: string): Report['machine'] {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    ferretdb,
    loadAverage: { start: loadAverage() },
  };
}

/** Processes in the order of the request's path: the router, the subgraphs, the worker, the database. */
const PROCESS_ORDER = ['router', 'users', 'catalogue', 'orders', 'promotions', 'recommendations', 'notifications', 'notifications-worker', 'ferretdb'];

const fixed = (n: number | null | undefined, digits = 0) => (n == null || Number.isNaN(n) ? '—' : n.toFixed(digits));
/** Two significant digits or whole numbers: CPU per request spans 0.05 ms to hundreds. */
const short = (n: number | undefined) => (n === undefined ? '—' : n < 1 ? n.toFixed(2) : n < 10 ? n.toFixed(1) : n.toFixed(0));
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const shortCommit = (c: Checkout) => `${c.commit.slice(0, 7)}${c.dirty ? ' (with uncommitted changes)' : ''}`;

function scenarioTable(report: Report): string {
  const seen = new Set(report.scenarios.flatMap((s) => Object.keys('cpuMsPerRequest' in s ? s.cpuMsPerRequest : {})));
  const processes = [...PROCESS_ORDER.filter((p) => seen.has(p)), ...[...seen].filter((p) => !PROCESS_ORDER.includes(p))];
  const rows = report.scenarios.map((s) =>
    'perSecond' in s
      ? [s.name, s.connections, s.requests, fixed(s.perSecond, 1), fixed(s.p50), fixed(s.p99), s.errors, fixed(s.commandsPerRequest, 2), busiest(s.dbBusy), ...processes.map((p) => short(s.cpuMsPerRequest[p]))]
      : [s.name, '—', s.count, '—', fixed(s.p50), fixed(s.p99), s.errors, '—', '—', ...processes.map(() => '—')],
  );
  return table(['scenario', 'connections', 'measured', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'DB commands/req', 'busiest DB connection', ...processes.map((p) => `CPU ms/req ${p}`)], rows);
}

function commandsTable(report: Report): string {
  const shapes = [...new Set(report.commands.map((c) => c.shape))];
  const sizes = [...new Set(report.commands.map((c) => c.size))];
  const cell = (shape: string, size: number) => report.commands.find((c) => c.shape === shape && c.size === size);
  const rows = shapes.map((shape) => [shape, ...sizes.flatMap((size) => [cell(shape, size)?.items ?? '—', fixed(cell(shape, size)?.perRequest)])]);
  return table(['request', ...sizes.flatMap((size) => [`first: ${size}, items`, `first: ${size}, commands/request`])], rows);
}

function orderCommandsTable({ orders, perOrder, byCommand, cpuPerOrder = {} }: OrderCommands): string {
  const commands = Object.keys(byCommand).sort();
  const processes = Object.keys(cpuPerOrder);
  return table(
    ['orders', 'commands per order', ...commands, ...processes.map((p) => `CPU ms/order ${p}`)],
    [[orders, fixed(perOrder, 1), ...commands.map((c) => fixed(byCommand[c], 1)), ...processes.map((p) => short(cpuPerOrder[p]))]],
  );
}

function searchTable(search: SearchQuality): string {
  const { precisionAt10: p, answered } = search;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return table(
    ['precision@10 all', 'exact word', 'several words', 'prefix', 'typo', 'typo queries answered', 'prefix queries answered'],
    [[p.all, p.exact, p.words, p.prefix, p.typo].map((x) => x.toFixed(2)).concat([pct(answered.typo), pct(answered.prefix)])],
  );
}

/** The three tables, as printed and as written into the Markdown file. */
export function tables(report: Report): string {
  const { parameters: params } = report;
  const sections = [
    `Scenarios (${report.mode}: ${params.seconds} s each after ${params.warmUpSeconds} s of warm-up; req/s counts answers without errors; placeOrder's are orders/s):`,
    '',
    scenarioTable(report),
  ];
  if (report.commands.length)
    sections.push(
      '',
      `Database commands per request (FerretDB's counters around each of ${params.commandRequests} sequential requests after as many to warm the caches; the fewest, as the shop's timers only add):`,
      '',
      commandsTable(report),
    );
  if (report.orderCommands)
    sections.push(
      '',
      'Database commands and CPU per placeOrder of one line, one at a time, with everything it sets off (the event, the notifications worker, learning), counted from a quiet database until it is quiet again:',
      '',
      orderCommandsTable(report.orderCommands),
    );
  if (report.search)
    sections.push('', `Search quality (${report.search.queries.length} judged queries of bench/search-judgments.json):`, '', searchTable(report.search));
  return sections.join('\n');
}

function markdown(report: Report): string {
  const m = report.machine;
  const queries =
    report.search &&
    table(
      ['query', 'kind', 'answers', 'relevant among them', 'precision@10'],
      report.search.queries.map((q) => [q.query, q.kind, q.returned, q.relevantReturned, q.precisionAt10.toFixed(2)]),
    );
  return [
    `# Bench ${report.date} (${report.mode}${report.only ? `, only: ${report.only.join(', ')}` : ''})`,
    '',
    `- code: ${shortCommit(report.code)} in ${report.code.dir}; bench: ${shortCommit(report.bench)}`,
    `- machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; load average at start ${m.loadAverage.start.join(' ')}, at the end ${m.loadAverage.end?.join(' ')}`,
    `- Node ${m.node}, FerretDB ${m.ferretdb}`,
    `- parameters: ${Object.entries(report.parameters).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')}`,
    '',
    tables(report),
    '',
    ...(queries
      ? ['Precision@10: relevant products among the first 10 answers, divided by the most 10 answers can hold (10, or fewer when fewer are relevant).', '', queries, '']
      : []),
  ].join('\n');
}

/** Writes <date>-<commit>[-smoke].json and .md into dir; returns their paths. */
export function writeReport(report: Report, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  // A run of some scenarios is named by its time too: it never overwrites a whole run of the same commit, nor another such run.
  const part = report.only ? `-only-${report.date.slice(11, 19).replaceAll(':', '')}` : '';
  const base = path.join(dir, `${report.date.slice(0, 10)}-${report.code.commit.slice(0, 7)}${report.mode === 'smoke' ? '-smoke' : ''}${part}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown(report));
  return [`${base}.json`, `${base}.md`];
}
