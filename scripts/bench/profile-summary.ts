/**
 * `npm run bench:profile -- <dir>`: sums the self time of the V8 CPU profiles in <dir> (written
 * by `SHOP_CPU_PROF_DIR=<dir> npm run bench -- --only ...`, one folder per process) by where the
 * code lives: a package of node_modules, our own code, Node's internals, garbage collection.
 * Prints one Markdown table per process with the largest shares, and the top functions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code comes from: a package, our workspace, node's internals, or V8's states. */
function origin({ url, functionName }: ProfileNode['callFrame']): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  // The innermost package: mongoose's own copy of the driver counts as mongodb, not mongoose.
  const pkg = url.match(/.*node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node internals';
  return 'shop code';
}

// Idle time, and the inspector's dispatch: the profiler listing compiled code as it starts.
const isIdle = (fn: string) => fn === '(idle)' || fn === '(program)' || fn === 'dispatch';

/** Every profile of one process (one per scenario the bench profiled), its samples summed. */
function summarise(name: string, files: string[], top: number): string {
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const file of files) busy += add(JSON.parse(readFileSync(file, 'utf8')) as Profile, byOrigin, byFunction);
  const rows = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `| ${k} | ${(us / 1000).toFixed(0)} | ${((100 * us) / busy).toFixed(1)} % |`);
  return [
    `### ${name}: ${(busy / 1000).toFixed(0)} ms busy`,
    '',
    '| code | ms | share |',
    '| --- | ---: | ---: |',
    ...rows(byOrigin),
    '',
    '| function | ms | share |',
    '| --- | ---: | ---: |',
    ...rows(byFunction),
    '',
  ].join('\n');
}

/** Adds a profile's self time by origin and by function; returns its busy microseconds. */
function add(profile: Profile, byOrigin: Map<string, number>, byFunction: Map<string, number>): number {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let busy = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (isIdle(frame.functionName)) continue;
    busy += us;
    const where = origin(frame);
    byOrigin.set(where, (byOrigin.get(where) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${where === 'shop code' ? path.relative(process.cwd(), frame.url.replace('file://', '')) : where}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  return busy;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: npm run bench:profile -- <dir of .cpuprofile files>');
const top = Number(process.argv[3] ?? 12);
for (const name of readdirSync(dir).sort()) {
  const files = readdirSync(path.join(dir, name)).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length) console.log(summarise(name, files.map((f) => path.join(dir, name, f)), top));
}
