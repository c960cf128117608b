/**
 * Database commands as FerretDB counts them (ferretdb_client_requests_total, by command) from
 * its Prometheus metrics. Only data commands count: the drivers' heartbeats (hello, isMaster,
 * ping, ...) arrive on a timer, not per request.
 */
const DATA_COMMANDS = new Set(['find', 'getMore', 'aggregate', 'count', 'distinct', 'insert', 'update', 'delete', 'findAndModify', 'bulkWrite']);

/** Commands served so far, by command name. */
export async function commandCounts(metricsUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^ferretdb_client_requests_total\{([^}]*)\} (\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/gm)) {
    const command = /command="([^"]*)"/.exec(match[1])?.[1] ?? '';
    if (DATA_COMMANDS.has(command)) counts[command] = (counts[command] ?? 0) + Number(match[2]);
  }
  return counts;
}

export const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Runs `work` and returns the data commands FerretDB served meanwhile, by command. */
export async function commandsDuring(metricsUrl: string, work: () => Promise<void>): Promise<Record<string, number>> {
  const before = await commandCounts(metricsUrl);
  await work();
  const after = await commandCounts(metricsUrl);
  return Object.fromEntries(Object.entries(after).map(([c, n]) => [c, n - (before[c] ?? 0)]).filter(([, n]) => n !== 0));
}

/** The version FerretDB reports of itself (its ferretdb_up metric). */
export async function ferretdbVersion(metricsUrl: string): Promise<string> {
  const text = await (await fetch(metricsUrl)).text();
  return /^ferretdb_up\{[^}]*version="([^"]*)"/m.exec(text)?.[1] ?? 'unknown';
}

/** Waits until FerretDB has served no data command for quietMs (at most maxMs): the shop's timers work in bursts. */
export async function untilQuiet(metricsUrl: string, quietMs = 200, maxMs = 5000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = total(await commandCounts(metricsUrl));
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = total(await commandCounts(metricsUrl));
    if (now === last) return;
    last = now;
  }
}
