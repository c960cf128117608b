import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

/**
 * With SHOP_CPU_PROF_DIR=<dir>, SIGUSR2 starts a V8 CPU profile of this process and the next
 * SIGUSR2 writes it to <dir>/<name>/<n>.cpuprofile: the bench profiles exactly the scenario it
 * measures, without the start-up or its set-up (`npm run bench -- --only ...`).
 */
export function profileOnSignal(name: string, dir = process.env.SHOP_CPU_PROF_DIR): void {
  if (!dir) return;
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<any>((resolve, reject) => session.post(method, (err, result) => (err ? reject(err) : resolve(result))));
  let running = false;
  let written = 0;
  process.on('SIGUSR2', () => {
    running = !running;
    if (running) return void post('Profiler.enable').then(() => post('Profiler.start'));
    void post('Profiler.stop').then(({ profile }) => {
      mkdirSync(path.join(dir, name), { recursive: true });
      writeFileSync(path.join(dir, name, `${++written}.cpuprofile`), JSON.stringify(profile));
    });
  });
}
