/**
 * How busy each shop process kept its database connection: the kernel's
 * shop_db_busy_seconds_total, read from each process's /metrics with the bench's METRICS_TOKEN.
 * A process (or an older commit) without the metric is left out.
 */
export interface MetricsEndpoint {
  name: string;
  url: string;
}

const BUSY = /^shop_db_busy_seconds_total(?:\{[^}]*\})? ([0-9.eE+-]+)$/m;

async function busySeconds(endpoints: MetricsEndpoint[], token: string): Promise<Map<string, number>> {
  const read = await Promise.all(
    endpoints.map(async ({ name, url }) => {
      try {
        const text = await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).text();
        const match = BUSY.exec(text);
        return match ? ([name, Number(match[1])] as const) : undefined;
      } catch {
        return undefined; // not listening (an older commit's worker): left out
      }
    }),
  );
  return new Map(read.filter((r) => r !== undefined));
}

/** Runs `work`, then gives each process's busy share of its database connection meanwhile (0 to 1). */
export async function dbBusyDuring(endpoints: MetricsEndpoint[], token: string, work: () => Promise<void>): Promise<Record<string, number>> {
  const before = await busySeconds(endpoints, token);
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const after = await busySeconds(endpoints, token);
  return Object.fromEntries([...after].filter(([name]) => before.has(name)).map(([name, busy]) => [name, (busy - before.get(name)!) / seconds]));
}

/** The busiest connection, as "orders 95 %". */
export function busiest(shares: Record<string, number> | undefined): string {
  const [name, share] = Object.entries(shares ?? {}).sort((a, b) => b[1] - a[1])[0] ?? [];
  return name === undefined ? '—' : `${name} ${Math.round(share! * 100)} %`;
}
