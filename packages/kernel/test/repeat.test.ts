/** repeat(): the kernel's timer for background work, as `every` and the outbox relay use it. */
import { repeat } from '../src/repeat';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('runs one run at a time, every ms after the last one ended', async () => {
  let running = 0;
  let most = 0;
  let runs = 0;
  const stop = repeat(20, async () => {
    most = Math.max(most, ++running);
    await sleep(30);
    running--;
    runs++;
  }, () => undefined);
  await sleep(400);
  stop();
  expect(most).toBe(1);
  expect(runs).toBeGreaterThanOrEqual(3);
  expect(runs).toBeLessThanOrEqual(8); // 50 ms a cycle at least
});

it('with maxShare, waits long enough after a slow run that the task takes at most that share of the time', async () => {
  const runs: { start: number; end?: number }[] = [];
  const stop = repeat(10, async () => {
    const run: { start: number; end?: number } = { start: performance.now() };
    runs.push(run);
    await sleep(100);
    run.end = performance.now();
  }, () => undefined, { now: true, maxShare: 0.1 });
  for (let waited = 0; runs.length < 2 && waited < 10_000; waited += 50) await sleep(50);
  stop();
  // A run of t ms at 10 % at most: the next starts 10 t after the last one started, not 10 ms after it ended.
  const took = runs[0].end! - runs[0].start;
  expect(runs).toHaveLength(2);
  expect(runs[1].start - runs[0].start).toBeGreaterThanOrEqual(10 * took - 5);
});

it('passes a failed run to its handler and runs again', async () => {
  const errors: unknown[] = [];
  let runs = 0;
  const stop = repeat(10, async () => {
    runs++;
    throw new Error('down');
  }, (err) => errors.push(err), { now: true });
  await sleep(200);
  stop();
  expect(runs).toBeGreaterThanOrEqual(2);
  expect(errors).toHaveLength(runs);
});
