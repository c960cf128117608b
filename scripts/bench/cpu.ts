/**
 * CPU time of the shop's processes, read from /proc: each descendant of this process (the
 * subgraphs, the worker, the router, FerretDB), named by the entry file on its command line.
 * Linux only; elsewhere it finds no process and the CPU columns stay empty.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Process names by the entry that identifies them on a command line; first match wins. */
const NAMES: [RegExp, string][] = [
  [/router\/(src\/index\.ts|dist\/index\.js)/, 'router'],
  [/subgraphs\/notifications\/(src\/worker\.ts|dist\/worker\.js)/, 'notifications-worker'],
  [/subgraphs\/([a-z-]+)\/(src\/index\.ts|dist\/index\.js)/, '$1'],
  [/ferretdb/, 'ferretdb'],
];

interface ProcStat {
  pid: number;
  ppid: number;
  ticks: number;
}

function readStat(pid: string): ProcStat | undefined {
  try {
    // The command name in parentheses may hold spaces: fields are counted after the last ')'.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // gone meanwhile, or not Linux
  }
}

function nameOf(pid: number): string | undefined {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
  for (const [pattern, name] of NAMES) {
    const match = pattern.exec(cmdline);
    if (match) return name.replace('$1', match[1] ?? '');
  }
  return undefined;
}

/** The named descendants of this process, with their CPU ticks so far. */
function shopProcesses(): (ProcStat & { name: string })[] {
  let stats: ProcStat[];
  try {
    stats = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => readStat(d) ?? []);
  } catch {
    return [];
  }
  const descendants = new Set([process.pid]);
  // Parents may come after their children in /proc order: repeat until nothing new is found.
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) {
      if (descendants.has(s.pid) || !descendants.has(s.ppid)) continue;
      descendants.add(s.pid);
      grew = true;
    }
  }
  return stats.flatMap((s) => {
    const name = s.pid !== process.pid && descendants.has(s.pid) ? nameOf(s.pid) : undefined;
    return name ? [{ ...s, name }] : [];
  });
}

/** CPU milliseconds used so far by each named descendant of this process. */
export function cpuByProcess(): Record<string, number> {
  const cpu: Record<string, number> = {};
  for (const { name, ticks } of shopProcesses()) cpu[name] = (cpu[name] ?? 0) + (ticks * 1000) / TICKS_PER_SECOND;
  return cpu;
}

/** Resident memory (RSS, MiB) of each named descendant of this process, summed per name. */
export function memoryByProcess(): Record<string, number> {
  const rss: Record<string, number> = {};
  for (const { pid, name } of shopProcesses()) {
    try {
      const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      rss[name] = (rss[name] ?? 0) + kib / 1024;
    } catch {
      // gone meanwhile
    }
  }
  return rss;
}

/**
 * With SHOP_CPU_PROF_DIR set, starts or stops the CPU profile of each of the shop's Node
 * processes (SIGUSR2, see packages/kernel/src/profiling.ts); FerretDB, a Go program, is left alone.
 */
export function toggleProfiles(): void {
  if (!process.env.SHOP_CPU_PROF_DIR) return;
  for (const { pid, name } of shopProcesses()) if (name !== 'ferretdb') process.kill(pid, 'SIGUSR2');
}

/** CPU milliseconds per unit of work of each process between two readings. */
export function cpuPer(before: Record<string, number>, after: Record<string, number>, units: number): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, ms]) => [name, units ? (ms - (before[name] ?? 0)) / units : 0]));
}

/**
 * Waits until the shop's processes are nearly idle (under 5% of a core for half a second), at
 * most maxMs: a load generator's run ends with requests still being served, and a scenario
 * should not pay for the last one's.
 */
export async function settle(maxMs = 30_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  const busyMs = (a: Record<string, number>, b: Record<string, number>) => Object.entries(b).reduce((sum, [name, ms]) => sum + ms - (a[name] ?? 0), 0);
  while (Date.now() < deadline) {
    const before = cpuByProcess();
    await new Promise((r) => setTimeout(r, 500));
    if (busyMs(before, cpuByProcess()) < 25) return;
  }
}

/** CPU milliseconds used so far by one process and all its descendants (e.g. cluster workers). */
export function cpuOfTree(rootPid: number): number {
  let stats: ProcStat[];
  try {
    stats = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => readStat(d) ?? []);
  } catch {
    return 0;
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) if (!tree.has(s.pid) && tree.has(s.ppid)) (tree.add(s.pid), (grew = true));
  }
  return stats.filter((s) => tree.has(s.pid)).reduce((sum, s) => sum + (s.ticks * 1000) / TICKS_PER_SECOND, 0);
}
