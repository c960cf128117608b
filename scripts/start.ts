/**
 * `npm start`: sets up what is missing (secrets, the embedded database, the supergraph), builds
 * the storefront (web/dist, served by the router) and the TypeScript (only what changed), then
 * runs every subgraph, the notifications worker and the router until Ctrl-C, from their
 * compiled JavaScript as containers do. `npm start -- --source` runs the TypeScript under tsx.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadSupervisorConfig } from '../packages/kernel/src/config';
import { compose, SUPERGRAPH_FILE } from './compose';
import { startFerretDB, type EmbeddedDatabase } from './ferretdb';
import { preflight } from './preflight';
import { startStack } from './stack';
import { buildStorefront } from './web';

let settings: ReturnType<typeof loadSupervisorConfig>;
try {
  settings = loadSupervisorConfig();
} catch (err) {
  console.error(`npm start: ${(err as Error).message}`);
  process.exit(1);
}
const { dataDir } = settings;

/** The internal service credential, made once per data folder unless given in the environment. */
function secrets(): Record<string, string> {
  const file = path.join(dataDir, 'secrets.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const made = { SERVICE_TOKEN: randomBytes(32).toString('hex') };
    writeFileSync(file, JSON.stringify(made, null, 2), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return { SERVICE_TOKEN: settings.serviceToken ?? stored.SERVICE_TOKEN };
}

function ensureSupergraph() {
  const result = compose();
  if (!result.supergraphSdl) throw new Error(`composition failed:\n${result.errors.join('\n')}`);
  const current = existsSync(SUPERGRAPH_FILE) ? readFileSync(SUPERGRAPH_FILE, 'utf8') : '';
  if (current !== result.supergraphSdl) writeFileSync(SUPERGRAPH_FILE, result.supergraphSdl);
}

async function main() {
  // Before anything slow: what is missing is said at once, all of it.
  const problems = await preflight(settings);
  if (problems.length) {
    console.error(`npm start: the shop cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  ensureSupergraph();
  console.log('building the storefront (web/)...');
  buildStorefront();
  // tsx compiles each file as it loads and resolves every require through its own hooks: a
  // request costs nearly half as much CPU again as in the build (docs/benchmarks.md).
  const compiled = !process.argv.includes('--source');
  if (compiled) {
    console.log('building the TypeScript (tsc -b: only what changed)...');
    execFileSync(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.build.json'], { cwd: path.resolve(__dirname, '..'), stdio: 'inherit' });
  }
  let db: EmbeddedDatabase | undefined;
  let mongoUrl = settings.mongoUrl;
  if (!mongoUrl) {
    db = await startFerretDB(dataDir, settings.ferretdbPort);
    mongoUrl = db.url;
    console.log(`embedded FerretDB at ${mongoUrl} (data in ${path.join(dataDir, 'ferretdb')})`);
  }
  const stack = await startStack({
    compiled,
    env: { ...secrets(), MONGO_URL: mongoUrl, DATA_DIR: dataDir },
    logTo: 'console',
    onReady: (name, url) => console.log(`  ready: ${name.padEnd(22)}${url ?? ''}`),
  }).catch(
    async (err) => {
      await db?.stop();
      throw err;
    },
  );
  const storefront = stack.routerUrl.replace(/graphql$/, '');
  console.log(`\n  shop-supergraph is running: ${stack.routerUrl}\n  storefront: ${storefront}\n  (Ctrl-C stops everything)\n`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping...');
    await stack.stop();
    await db?.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  // Our own failures are sentences; anything else keeps its stack for a bug report.
  console.error(`npm start: ${err instanceof Error && !(err as NodeJS.ErrnoException).code ? err.message : (err as Error)?.stack ?? err}`);
  process.exit(1);
});
