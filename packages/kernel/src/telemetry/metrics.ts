import client from 'prom-client';

/*
 * The shop's Prometheus metrics, one registry per process (prom-client's default), every series
 * labelled with the process (`service`). Names are shared by every process; a process exports
 * the series of what it does. deploy/grafana/shop-dashboard.json queries them, and a test checks
 * that each name it queries is exported.
 *
 * Label values that come from outside (operation names) are bounded: see `boundedLabel`.
 */

export const registry = client.register;

let defaultsCollected = false;
/** Names the process in every series and adds Node's own metrics (CPU, memory, event loop lag, GC). */
export function initMetrics(service: string) {
  registry.setDefaultLabels({ service });
  // Event loop lag sampled every 100 ms, not prom-client's 10: a timer per sample wakes each idle process.
  if (!defaultsCollected) client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  defaultsCollected = true;
}

const SECONDS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const graphqlDuration = new client.Histogram({
  name: 'shop_graphql_request_duration_seconds',
  help: 'GraphQL requests served, by operation name, from request start to response (its _count is the request rate)',
  labelNames: ['operation'],
  buckets: SECONDS,
});

export const graphqlErrors = new client.Counter({
  name: 'shop_graphql_errors_total',
  help: 'GraphQL responses with errors, by operation name and the first error code',
  labelNames: ['operation', 'code'],
});

export const subgraphFetchDuration = new client.Histogram({
  name: 'shop_subgraph_fetch_duration_seconds',
  help: 'Router: one fetch from a subgraph, from sending to the whole body read, by subgraph and outcome (ok, http_error, failed)',
  labelNames: ['subgraph', 'outcome'],
  buckets: SECONDS,
});

export const routerSingleFetch = new client.Counter({
  name: 'shop_router_single_fetch_total',
  help: "Router: requests for a query planned as one plain fetch, by outcome: answered (the subgraph's answer passed on as it is) or full_way (a check or the answer sent it through the gateway)",
  labelNames: ['outcome'],
});

export const routerMergedPlans = new client.Counter({
  name: 'shop_router_merged_plans_total',
  help: "Router: requests for a query planned as several plain fetches, by outcome: answered (the fetches' answers merged and shaped by the router) or full_way (an answer that was not plain data sent it through the gateway)",
  labelNames: ['outcome'],
});

export const subgraphDirectQueries = new client.Counter({
  name: 'shop_subgraph_direct_queries_total',
  help: 'Subgraph: plain JSON POSTs by outcome: answered (a query run without Apollo Server\'s pipeline) or passed (to Apollo Server: a mutation, an error, introspection...)',
  labelNames: ['outcome'],
});

export const serviceCallDuration = new client.Histogram({
  name: 'shop_service_call_duration_seconds',
  help: 'A call between services (the kernel service client), by called service and outcome (ok, error, unavailable)',
  labelNames: ['target', 'outcome'],
  buckets: SECONDS,
});

export const cacheRequests = new client.Counter({
  name: 'shop_cache_requests_total',
  help: 'Cache lookups by cache and result (hit, miss); hit ratio = hit / (hit + miss)',
  labelNames: ['cache', 'result'],
});

export const outboxLag = new client.Histogram({
  name: 'shop_outbox_lag_seconds',
  help: 'Outbox: from an event being written with its change to its publication confirmed by the broker',
  labelNames: ['type'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 15, 60, 300],
});

export const queueDepth = new client.Gauge({
  name: 'shop_queue_depth',
  help: 'Messages ready in a consumed RabbitMQ queue (the main queue, its retry queues and its dead letters), read at scrape time',
  labelNames: ['queue'],
  async collect() {
    await queueDepthReader?.();
  },
});

let queueDepthReader: (() => Promise<void>) | undefined;
/** What fills shop_queue_depth at scrape time (set by the broker's telemetry). */
export function readQueueDepthWith(read: () => Promise<void>) {
  queueDepthReader = read;
}

export const messagesHandled = new client.Counter({
  name: 'shop_messages_handled_total',
  help: 'Events handled by a queue consumer, by queue, type and outcome (ok, retry, dead)',
  labelNames: ['queue', 'type', 'outcome'],
});

export const notificationLatency = new client.Histogram({
  name: 'shop_notification_latency_seconds',
  help: 'Notifications worker: from the event (an order placed) to its message handed to the channel, by channel',
  labelNames: ['channel'],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
});

/**
 * Each service sends its database commands over one connection (FerretDB loses concurrent
 * updates across connections), one at a time: the share of time it has a command in flight is
 * how near the service is to its database's capacity, whatever its CPU shows.
 */
export const dbBusySeconds = new client.Counter({
  name: 'shop_db_busy_seconds_total',
  help: "Time the process's database connection had at least one command in flight (rate: the connection's busy share)",
});

export const dbCommands = new client.Counter({
  name: 'shop_db_commands_total',
  help: 'Database commands sent, by command name (find, insert, update, findAndModify, ...)',
  labelNames: ['command'],
});

/**
 * A label from outside (a client's operation name) as one of at most `max` values: past that,
 * new values count as `other`, so a client sending random names cannot grow the registry.
 */
export function boundedLabel(max = 200) {
  const seen = new Set<string>();
  return (value: string): string => {
    if (seen.has(value)) return value;
    if (seen.size >= max || value.length > 100) return 'other';
    seen.add(value);
    return value;
  };
}

/** Hit and miss counters of one cache, bound once (no label lookup per call). */
export function cacheCounters(cache: string) {
  return { hit: cacheRequests.labels(cache, 'hit'), miss: cacheRequests.labels(cache, 'miss') };
}
