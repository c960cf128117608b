import path from 'node:path';

// Apollo's packages phone home unless told not to; nothing here may leave the machine.
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

/** Every setting a service reads, from the environment, with defaults that work on a developer machine. */
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
  redisPrefix: string;
  amqpUrl: string;
  eventsExchange: string;
  /** Prefix of every queue name, for the same reason as dbPrefix. */
  queuePrefix: string;
  /** Where the users subgraph publishes the keys that verify access tokens. */
  jwksUrl: string;
  accessTokenTtlSeconds: number;
  /** The users subgraph makes a new signing key when the newest is older than this. */
  signingKeyRotateDays: number;
  /** Credential for internal calls between subgraphs. */
  serviceToken: string;
  dataDir: string;
  smtpUrl?: string;
  adminEmail: string;
  adminPassword: string;
  logLevel: string;
  /** The router pings WebSocket clients this often and drops one that has not answered by the next ping. */
  wsKeepAliveMs: number;
  /** URLs of the other services, by name, e.g. SUBGRAPH_URL_CATALOGUE. */
  subgraphUrl(name: string): string;
}

export const DEFAULT_PORTS: Record<string, number> = {
  router: 4000,
  users: 4001,
  catalogue: 4002,
  orders: 4003,
  promotions: 4004,
  recommendations: 4005,
  notifications: 4006,
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (npm start sets it; see README)`);
  return value;
}

/** http://host:port of a subgraph: from SUBGRAPH_URL_<NAME> (its /graphql URL) or the default port. */
function subgraphBase(env: NodeJS.ProcessEnv, name: string): string {
  const url = env[`SUBGRAPH_URL_${name.toUpperCase()}`];
  return url ? url.replace(/\/graphql\/?$/, '') : `http://127.0.0.1:${DEFAULT_PORTS[name]}`;
}

export function loadConfig(serviceName: string, env: NodeJS.ProcessEnv = process.env): Config {
  const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
  return {
    serviceName,
    host: env.HOST ?? '127.0.0.1',
    port: num('PORT', DEFAULT_PORTS[serviceName] ?? 0),
    mongoUrl: env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
    mongoPoolSize: num('MONGO_POOL_SIZE', 1),
    dbPrefix: env.DB_PREFIX ?? 'shop_',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: env.REDIS_PREFIX ?? 'shop:',
    amqpUrl: env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    eventsExchange: env.EVENTS_EXCHANGE ?? 'shop.events',
    queuePrefix: env.QUEUE_PREFIX ?? '',
    jwksUrl: env.JWKS_URL ?? subgraphBase(env, 'users') + '/.well-known/jwks.json',
    accessTokenTtlSeconds: num('ACCESS_TOKEN_TTL_SECONDS', 900),
    signingKeyRotateDays: num('SIGNING_KEY_ROTATE_DAYS', 30),
    serviceToken: env.SERVICE_TOKEN ?? required('SERVICE_TOKEN'),
    dataDir: path.resolve(env.DATA_DIR ?? '.data'),
    smtpUrl: env.SMTP_URL || undefined,
    adminEmail: env.ADMIN_EMAIL ?? 'admin@shop.local',
    adminPassword: env.ADMIN_PASSWORD ?? 'change-me-admin',
    logLevel: env.LOG_LEVEL ?? 'info',
    wsKeepAliveMs: num('WS_KEEPALIVE_MS', 12_000),
    subgraphUrl: (name) => `${subgraphBase(env, name)}/graphql`,
  };
}
