/**
 * One load scenario: autocannon at a fixed concurrency for a fixed time against the router,
 * after a warm-up, with the CPU each shop process spent per request meanwhile.
 */
import autocannon from 'autocannon';
import { cpuByProcess, cpuPer, settle, toggleProfiles } from './cpu';
import { dbBusyDuring, type MetricsEndpoint } from './db-busy';
import { commandsDuring, total, untilQuiet } from './ferretdb-metrics';

export interface LoadScenario {
  name: string;
  connections: number;
  /** What connection i sends: its bearer token, if signed in, and its JSON body. */
  connection?(i: number): { token?: string; body?: string };
  /** A body per request instead (e.g. a rotating product id). */
  nextBody?(): string;
  /** Sees each answer of the measured run, when it arrives. */
  onData?(data: any, at: number): void;
  /**
   * Requests sent before the timed warm-up, e.g. one page per product: in the steady state a
   * shop's pages are in its caches, so the measure starts there.
   */
  warmUpRequests?: number;
}

export interface LoadResult {
  name: string;
  connections: number;
  seconds: number;
  /** Answers received in the measured time, and successful ones per second. */
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Failed connections, timeouts, non-2xx answers and answers with GraphQL errors. */
  errors: number;
  cpuMsPerRequest: Record<string, number>;
  /**
   * FerretDB's data commands from the measured run's start until the database is quiet after
   * it (the events it set off included), per request: under load, writes that share a command
   * show here, where the one-at-a-time count cannot see them.
   */
  commandsPerRequest?: number;
  /**
   * Each process's share of the measured time with a command in flight on its one database
   * connection (0 to 1): near 1, that service waits for the database, whatever its CPU.
   */
  dbBusy?: Record<string, number>;
}

function parseJson(text: string): { data?: any; errors?: unknown[] } | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function run(url: string, scenario: LoadScenario, length: { seconds: number } | { requests: number }, measured: boolean) {
  let graphqlErrors = 0;
  let ok = 0;
  let firstError: string | undefined;
  let connection = 0;
  const result = await autocannon({
    url,
    connections: scenario.connections,
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.requests }),
    // A burst of orders on a slow database may take seconds each; that is latency, not an error.
    timeout: 60,
    setupClient: (client) => {
      const { token, body } = scenario.connection?.(connection++) ?? {};
      client.setHeadersAndBody({ 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body);
    },
    requests: [
      {
        method: 'POST',
        ...(scenario.nextBody && { setupRequest: (request) => ({ ...request, body: scenario.nextBody!() }) }),
        onResponse: (status, body) => {
          const at = Date.now();
          const answer = status === 200 ? parseJson(body) : undefined;
          if (!answer?.data || answer.errors) {
            graphqlErrors += status === 200 ? 1 : 0; // autocannon counts the others as non-2xx
            firstError ??= body.slice(0, 300);
          } else {
            ok++;
            if (measured) scenario.onData?.(answer.data, at);
          }
        },
      },
    ],
  });
  if (firstError) console.error(`${scenario.name}: ${firstError}`);
  return { result, ok, errors: result.errors + result.non2xx + graphqlErrors };
}

/** Where the measure reads: FerretDB's command counters, and the shop processes' own metrics. */
export interface LoadMetrics {
  ferretdb: string;
  processes: MetricsEndpoint[];
  token: string;
}

export async function runLoad(url: string, scenario: LoadScenario, timing: { warmUpSeconds: number; seconds: number }, metrics: LoadMetrics): Promise<LoadResult> {
  const metricsUrl = metrics.ferretdb;
  // Profiles (if asked for) start with the warm-up: starting a profiler stalls a process for a
  // moment while it lists the code already compiled.
  toggleProfiles();
  if (scenario.warmUpRequests) await run(url, scenario, { requests: scenario.warmUpRequests }, false);
  await run(url, scenario, { seconds: timing.warmUpSeconds }, false);
  await settle();
  let measured!: Awaited<ReturnType<typeof run>>;
  let cpuMsPerRequest: Record<string, number> = {};
  let dbBusy: Record<string, number> = {};
  const commands = await commandsDuring(metricsUrl, async () => {
    const cpuBefore = cpuByProcess();
    dbBusy = await dbBusyDuring(metrics.processes, metrics.token, async () => void (measured = await run(url, scenario, { seconds: timing.seconds }, true)));
    toggleProfiles();
    cpuMsPerRequest = cpuPer(cpuBefore, cpuByProcess(), measured.result.requests.total);
    await untilQuiet(metricsUrl, 500, 30_000);
  });
  const { result, ok, errors } = measured;
  const requests = result.requests.total;
  await settle();
  return {
    name: scenario.name,
    connections: scenario.connections,
    seconds: timing.seconds,
    requests,
    perSecond: ok / timing.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    cpuMsPerRequest,
    commandsPerRequest: total(commands) / requests,
    dbBusy,
  };
}
