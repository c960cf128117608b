export interface RepeatOptions {
  /**
   * The largest share of time the task may take (0 to 1): after a run that took t ms, the next
   * waits t / maxShare if that is longer than `ms`. For scans whose cost grows with a collection
   * (FerretDB scans for any filter but _id), so they never hold the service's one connection
   * more than that share, however large the collection grows.
   */
  maxShare?: number;
  /** Runs the task at once too, not only after the first wait. */
  now?: boolean;
}

/**
 * Runs `task` every `ms` (counted from the end of a run: one run at a time), until the
 * returned stop is called. A failed run is passed to `failed`; the next run tries again.
 */
export function repeat(ms: number, task: () => Promise<unknown>, failed: (err: unknown) => void, { maxShare, now = false }: RepeatOptions = {}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    const started = performance.now();
    await task().catch(failed);
    const took = performance.now() - started;
    if (stopped) return;
    timer = setTimeout(run, maxShare ? Math.max(ms, took / maxShare) : ms);
    timer.unref();
  };
  if (now) void run();
  else {
    timer = setTimeout(run, ms);
    timer.unref();
  }
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
