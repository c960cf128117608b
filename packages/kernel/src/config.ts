import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT, ROUTER_PORT, SUBGRAPHS } from './subgraphs';

// Apollo's packages phone home unless told not to; nothing here may leave the machine.
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

/**
 * Every setting of every process, read from the environment and validated here, once: a bad
 * value stops the process at start with the variable's name and what is wrong with it.
 */
const url = (...schemes: string[]) =>
  z.url({ protocol: new RegExp(`^(${schemes.map((s) => s.replace('+', '\\+')).join('|')})$`), error: `must be a ${schemes.join(' or ')} URL` });
const int = (min: number, max = 2 ** 31 - 1) => z.coerce.number().int().min(min).max(max);
const port = int(0, 65535);

/** The shop's own composed supergraph (`npm run compose`). */
export const DEFAULT_SUPERGRAPH_FILE = path.join(PROJECT_ROOT, 'router', 'supergraph.graphql');

const environment = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: port.optional(),
  MONGO_URL: url('mongodb', 'mongodb+srv').default('mongodb://127.0.0.1:27017'),
  MONGO_POOL_SIZE: int(1, 100).default(1),
  DB_PREFIX: z.string().regex(/^[\w-]*$/, 'letters, digits, _ and - only').default('shop_'),
  REDIS_URL: url('redis', 'rediss').default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().default('shop:'),
  AMQP_URL: url('amqp', 'amqps').default('amqp://guest:guest@127.0.0.1:5672'),
  EVENTS_EXCHANGE: z.string().min(1).default('shop.events'),
  QUEUE_PREFIX: z.string().default(''),
  SHOP_ID: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and - only, at most 40').optional(),
  JWKS_URL: url('http', 'https').optional(),
  ACCESS_TOKEN_TTL_SECONDS: int(30, 86_400).default(900),
  SIGNING_KEY_ROTATE_DAYS: int(1, 3650).default(30),
  SERVICE_TOKEN: z
    .string({ error: 'must be set (npm start generates one into DATA_DIR/secrets.json)' })
    .min(16, 'must have at least 16 characters'),
  // Seals the users subgraph's private signing keys at rest; SERVICE_TOKEN when unset.
  SIGNING_KEY_SECRET: z.string().min(16, 'must have at least 16 characters').optional(),
  DATA_DIR: z.string().default('.data'),
  SMTP_URL: url('smtp', 'smtps').optional(),
  ADMIN_EMAIL: z.email().default('admin@shop.local'),
  // Unset: the users subgraph generates one when it creates the admin, and shows it once.
  ADMIN_PASSWORD: z
    .string()
    .min(12, 'must have at least 12 characters')
    .refine((p) => Buffer.byteLength(p) <= 72, 'must have at most 72 bytes (bcrypt ignores the rest)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WS_KEEPALIVE_MS: int(100).default(12_000),
  RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'a comma-separated list of milliseconds')
    .transform((s) => s.split(',').map(Number))
    .default([1000, 5000, 25_000, 60_000]),
  NOTIFICATION_LEASE_MS: int(100).default(30_000),
  // Above the 30 s a checkout keeps in hand to store its order (docs/checkout.md).
  CHECKOUT_DEADLINE_SECONDS: int(40, 3600).default(180),
  FERRETDB_PORT: port.default(27017),
  NODE_ENV: z.string().default('development'),
  GRAPHQL_EXPLORER: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  SUPERGRAPH_FILE: z.string().min(1).default(DEFAULT_SUPERGRAPH_FILE),
  ROUTER_PROCESSES: z.union([z.literal('auto'), int(1, 256)]).default(1),
  ROUTER_MERGE_READS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  METRICS_TOKEN: z.string().min(16, 'must have at least 16 characters').optional(),
  METRICS_PORT: port.optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url('http', 'https').optional(),
});

/** Every setting a process reads (SUBGRAPH_URL_<NAME> aside): docker-compose.yml and the Kubernetes manifests are checked against it. */
export const SETTING_NAMES: readonly string[] = Object.keys(environment.shape);

/** Values published in this repository's history or examples: anyone could use them. */
export const KNOWN_DEFAULT_SECRETS = ['change-me-admin', 'change-me-service-token'];
const isKnownDefault = (value: string | undefined) => !!value && (KNOWN_DEFAULT_SECRETS.includes(value) || value.startsWith('change-me'));

/**
 * In production a secret must be one of your own: a published default is refused, and so is a
 * missing admin password (generated, it would be printed into logs that may be shipped), so
 * the process stops at start, naming the variable.
 */
function refuseUnsafeSecrets(e: z.output<typeof environment>, serviceName: string) {
  if (e.NODE_ENV !== 'production') return;
  const problems = (['SERVICE_TOKEN', 'ADMIN_PASSWORD'] as const)
    .filter((name) => isKnownDefault(e[name]))
    .map((name) => `  ${name}: a published default; set a secret of your own`);
  // Only the users subgraph creates the admin account.
  if (serviceName === 'users' && !e.ADMIN_PASSWORD) problems.push('  ADMIN_PASSWORD: must be set in production (the users subgraph creates the admin account with it)');
  if (problems.length) throw new Error(`invalid configuration:\n${problems.join('\n')}`);
}

/** SUBGRAPH_URL_<NAME>: where a subgraph is, when not at its default URL from supergraph.yaml. */
const subgraphUrls = z.record(z.string().regex(/^SUBGRAPH_URL_[A-Z0-9_]+$/), url('http', 'https'));

export interface Config {
  serviceName: string;
  /** Interface to listen on: loopback by default, 0.0.0.0 in containers. */
  host: string;
  port: number;
  mongoUrl: string;
  /**
   * Connections per service. 1 by default: FerretDB 1.24 runs findAndModify as a query and a
   * separate update, so a conditional update is atomic only while one connection sends them
   * one at a time. Raise it on a real MongoDB.
   */
  mongoPoolSize: number;
  /** Prefix of every database name, so tests and `npm start` can share one server. */
  dbPrefix: string;
  redisUrl: string;
  /** Prefix of every Redis key; once scoped to the shop (scopedToShop), it ends with the shop's id. */
  redisPrefix: string;
  amqpUrl: string;
  /** The topic exchange of domain events; once scoped to the shop, named by the shop's id. */
  eventsExchange: string;
  /** Prefix of every queue name, for the same reason as dbPrefix; once scoped, it ends with the shop's id. */
  queuePrefix: string;
  /**
   * The shop's id (shop.ts): SHOP_ID, else read from the shop's database at start. Set it for
   * every process of a shop or for none.
   */
  shopId?: string;
  /** Where the users subgraph publishes the keys that verify access tokens. */
  jwksUrl: string;
  accessTokenTtlSeconds: number;
  /** The users subgraph makes a new signing key when the newest is older than this. */
  signingKeyRotateDays: number;
  /** Credential for internal calls between subgraphs. */
  serviceToken: string;
  /** Seals the private signing keys in the users database: SIGNING_KEY_SECRET, else SERVICE_TOKEN. */
  signingKeySecret: string;
  dataDir: string;
  smtpUrl?: string;
  adminEmail: string;
  /** Unset: the users subgraph generates the admin's password and shows it once. */
  adminPassword?: string;
  logLevel: string;
  /** The router pings WebSocket clients this often and drops one that has not answered by the next ping. */
  wsKeepAliveMs: number;
  /** Notifications worker: delay before each retry of a failed event. */
  retryDelaysMs: number[];
  /** Notifications worker: how long a send in progress holds its notification. */
  notificationLeaseMs: number;
  /** Orders: a checkout stores its order within this, or the undo journal gives its stock back. */
  checkoutDeadlineMs: number;
  /**
   * The router's landing page (Apollo Sandbox) and introspection: GRAPHQL_EXPLORER, else on
   * in development and off in production, where the schema is not for strangers to browse.
   */
  explorer: boolean;
  /** The supergraph the router serves: SUPERGRAPH_FILE, else the shop's own. */
  supergraphFile: string;
  /** Router processes sharing the port (node:cluster): ROUTER_PROCESSES, a number or `auto` (one per core). */
  routerProcesses: number;
  /** The router sends identical anonymous subgraph reads in flight at once as one call: ROUTER_MERGE_READS. */
  routerMergeReads: boolean;
  /**
   * A subgraph's /graphql URL: SUBGRAPH_URL_<NAME>, else its routing URL in supergraph.yaml (or
   * `fallback`, the supergraph's own URL). With another supergraph than the shop's, supergraph.yaml
   * does not apply: its URL comes from the override or the supergraph.
   */
  subgraphUrl(name: string, fallback?: string): string;
  /** NODE_ENV=production. */
  production: boolean;
  /** /metrics answers a caller with this bearer token; unset, only loopback callers outside production (docs/telemetry.md). */
  metricsToken?: string;
  /** A listener of its own for /metrics (the notifications worker, which has no HTTP server). */
  metricsPort?: number;
  /** Spans are exported over OTLP/HTTP here; unset, tracing is off (the OTel SDK reads it itself). */
  otlpEndpoint?: string;
}

export const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  router: ROUTER_PORT,
  ...Object.fromEntries(SUBGRAPHS.map((s) => [s.name, s.port])),
};

/** The environment without empty values: `SMTP_URL=` means unset, as in a shell. */
const present = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));

function parse<T extends z.ZodType>(schema: T, env: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
  throw new Error(`invalid configuration:\n${lines.join('\n')}`);
}

/** The settings of one service (or the router, or a worker), validated; throws naming each bad variable. */
export function loadConfig(serviceName: string, env: NodeJS.ProcessEnv = process.env): Config {
  const values = present(env);
  const e = parse(environment, values);
  refuseUnsafeSecrets(e, serviceName);
  const overrides = parse(subgraphUrls, Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('SUBGRAPH_URL_'))));
  const supergraphFile = path.resolve(e.SUPERGRAPH_FILE);
  const ours = (name: string) => (supergraphFile === DEFAULT_SUPERGRAPH_FILE ? SUBGRAPHS.find((s) => s.name === name)?.routingUrl : undefined);
  const subgraphUrl = (name: string, fallback?: string) => {
    const url = overrides[`SUBGRAPH_URL_${name.toUpperCase()}`] ?? ours(name) ?? fallback;
    if (!url) throw new Error(`no URL for subgraph ${name}: set SUBGRAPH_URL_${name.toUpperCase()}`);
    return url;
  };
  return {
    serviceName,
    host: e.HOST,
    port: e.PORT ?? DEFAULT_PORTS[serviceName] ?? 0,
    mongoUrl: e.MONGO_URL,
    mongoPoolSize: e.MONGO_POOL_SIZE,
    dbPrefix: e.DB_PREFIX,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    amqpUrl: e.AMQP_URL,
    eventsExchange: e.EVENTS_EXCHANGE,
    queuePrefix: e.QUEUE_PREFIX,
    shopId: e.SHOP_ID,
    // The shop's users subgraph signs tokens, whatever supergraph the router serves.
    jwksUrl: e.JWKS_URL ?? (overrides.SUBGRAPH_URL_USERS ?? SUBGRAPHS.find((s) => s.name === 'users')!.routingUrl).replace(/\/graphql\/?$/, '/.well-known/jwks.json'),
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    signingKeyRotateDays: e.SIGNING_KEY_ROTATE_DAYS,
    serviceToken: e.SERVICE_TOKEN,
    signingKeySecret: e.SIGNING_KEY_SECRET ?? e.SERVICE_TOKEN,
    dataDir: path.resolve(e.DATA_DIR),
    smtpUrl: e.SMTP_URL,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    logLevel: e.LOG_LEVEL,
    wsKeepAliveMs: e.WS_KEEPALIVE_MS,
    retryDelaysMs: e.RETRY_DELAYS_MS,
    notificationLeaseMs: e.NOTIFICATION_LEASE_MS,
    checkoutDeadlineMs: e.CHECKOUT_DEADLINE_SECONDS * 1000,
    explorer: e.GRAPHQL_EXPLORER ? e.GRAPHQL_EXPLORER === 'true' : e.NODE_ENV !== 'production',
    supergraphFile,
    routerProcesses: e.ROUTER_PROCESSES === 'auto' ? os.availableParallelism() : e.ROUTER_PROCESSES,
    routerMergeReads: e.ROUTER_MERGE_READS === 'true',
    subgraphUrl,
    production: e.NODE_ENV === 'production',
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}

/** What `npm start` reads before any service runs (the service credential may not exist yet). */
export function loadSupervisorConfig(env: NodeJS.ProcessEnv = process.env) {
  const supervisor = environment
    .pick({ DATA_DIR: true, FERRETDB_PORT: true, REDIS_URL: true, AMQP_URL: true })
    .extend({ MONGO_URL: environment.shape.MONGO_URL.unwrap().optional(), SERVICE_TOKEN: environment.shape.SERVICE_TOKEN.optional() });
  const e = parse(supervisor, present(env));
  return {
    dataDir: path.resolve(e.DATA_DIR),
    mongoUrl: e.MONGO_URL,
    ferretdbPort: e.FERRETDB_PORT,
    serviceToken: e.SERVICE_TOKEN,
    redisUrl: e.REDIS_URL,
    amqpUrl: e.AMQP_URL,
  };
}
