/**
 * `npm start` says what is missing, before it builds or starts anything, and exits non-zero:
 * run as a real process against closed ports and a taken one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../scripts/ferretdb';
import { preflight, START_RABBITMQ, START_REDIS } from '../scripts/preflight';

const root = path.resolve(__dirname, '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

function npmStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

it('npm start names each missing service with the command that starts it, and a taken port, then exits 1', async () => {
  const [redisPort, amqpPort] = [await freePort(), await freePort()]; // nothing listens there
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const takenPort = (taken.address() as net.AddressInfo).port;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shop-preflight-'));
  try {
    const { code, stdout, stderr } = await npmStart({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      AMQP_URL: `amqp://guest:secret@127.0.0.1:${amqpPort}`,
      MONGO_URL: '',
      FERRETDB_PORT: String(takenPort),
      DATA_DIR: dataDir,
    });
    expect(code).toBe(1);
    expect(stdout).toBe(''); // nothing was built or started
    const problems = stderr.split('\n  - ').slice(1);
    expect(stderr.split('\n')[0]).toBe('npm start: the shop cannot start:');
    expect(problems.find((p) => p.startsWith('Redis'))).toContain(`Redis is not reachable at REDIS_URL=redis://127.0.0.1:${redisPort} (`);
    expect(problems.find((p) => p.startsWith('Redis'))).toContain(`start it with: ${START_REDIS}`);
    // The password stays out of the message.
    expect(problems.find((p) => p.startsWith('RabbitMQ'))).toContain(`RabbitMQ is not reachable at AMQP_URL=amqp://guest:***@127.0.0.1:${amqpPort} (`);
    expect(problems.find((p) => p.startsWith('RabbitMQ'))).toContain(`start it with: ${START_RABBITMQ}`);
    expect(problems.find((p) => p.startsWith(`port ${takenPort}`))).toContain('(embedded FerretDB (FERRETDB_PORT)) is taken');
    expect(stderr).not.toMatch(/^\s+at /m); // no stack trace
  } finally {
    taken.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);

it('says Go is missing when the embedded database must be built, and nothing else when the rest is there', async () => {
  const problems = await preflight({
    redisUrl: REDIS_URL,
    amqpUrl: AMQP_URL,
    ferretdbPort: await freePort(),
    ports: { router: await freePort() },
    ferretdbBin: path.join(os.tmpdir(), 'no-such-ferretdb'),
    path: path.join(os.tmpdir(), 'no-such-bin'),
  });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^Go is missing: the embedded database \(FerretDB\) is built with Go on the first run/);
  expect(problems[0]).toContain('or set MONGO_URL');
});

it('names an unreachable MONGO_URL instead of building the embedded database', async () => {
  const port = await freePort();
  const problems = await preflight({ redisUrl: REDIS_URL, amqpUrl: AMQP_URL, mongoUrl: `mongodb://127.0.0.1:${port}`, ferretdbPort: await freePort(), ports: {} });
  expect(problems).toEqual([expect.stringMatching(new RegExp(`^MongoDB is not reachable at MONGO_URL=mongodb://127.0.0.1:${port} \\(`))]);
});
