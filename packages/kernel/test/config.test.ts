/** Configuration: every variable validated in one place, with the variable's name in the error. */
import { loadConfig, loadSupervisorConfig } from '../src/config';
import { SUBGRAPHS } from '../src/subgraphs';

const env = { SERVICE_TOKEN: 'a-service-token-of-32-characters' };
const problem = (extra: Record<string, string>) => {
  try {
    loadConfig('orders', { ...env, ...extra });
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
};

it('defaults work on a developer machine; ports and URLs come from supergraph.yaml', () => {
  const config = loadConfig('orders', env);
  expect(config).toMatchObject({
    port: 4003,
    host: '127.0.0.1',
    mongoUrl: 'mongodb://127.0.0.1:27017',
    mongoPoolSize: 1,
    redisUrl: 'redis://127.0.0.1:6379',
    amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
    jwksUrl: 'http://127.0.0.1:4001/.well-known/jwks.json',
    retryDelaysMs: [1000, 5000, 25_000, 60_000],
    notificationLeaseMs: 30_000,
    logLevel: 'info',
  });
  for (const s of SUBGRAPHS) expect(config.subgraphUrl(s.name)).toBe(s.routingUrl);
  expect(loadConfig('router', env).port).toBe(4000);
});

it('reads every override, an empty value meaning unset', () => {
  const config = loadConfig('router', {
    ...env,
    PORT: '5000',
    SUBGRAPH_URL_USERS: 'http://10.1.2.3:9000/graphql',
    RETRY_DELAYS_MS: '10,20',
    SMTP_URL: '',
    LOG_LEVEL: 'warn',
  });
  expect(config.port).toBe(5000);
  expect(config.subgraphUrl('users')).toBe('http://10.1.2.3:9000/graphql');
  expect(config.jwksUrl).toBe('http://10.1.2.3:9000/.well-known/jwks.json');
  expect(config.retryDelaysMs).toEqual([10, 20]);
  expect(config.smtpUrl).toBeUndefined();
  expect(config.logLevel).toBe('warn');
});

it('serves another supergraph: its URLs come from it or SUBGRAPH_URL_<NAME>, not supergraph.yaml', () => {
  const ours = loadConfig('router', env);
  expect(ours.supergraphFile).toMatch(/router\/supergraph\.graphql$/);
  expect(ours.routerProcesses).toBe(1);
  const other = loadConfig('router', { ...env, SUPERGRAPH_FILE: '/tmp/other.graphql', SUBGRAPH_URL_REVIEWS: 'http://10.0.0.2/graphql', ROUTER_PROCESSES: 'auto' });
  expect(other.supergraphFile).toBe('/tmp/other.graphql');
  expect(other.subgraphUrl('users', 'http://10.0.0.1/graphql')).toBe('http://10.0.0.1/graphql');
  expect(other.subgraphUrl('reviews', 'http://10.0.0.3/graphql')).toBe('http://10.0.0.2/graphql');
  expect(other.jwksUrl).toBe(ours.jwksUrl);
  expect(other.routerProcesses).toBeGreaterThanOrEqual(1);
  expect(loadConfig('router', { ...env, ROUTER_PROCESSES: '3' }).routerProcesses).toBe(3);
});

it.each([
  [{ ROUTER_PROCESSES: '0' }, 'ROUTER_PROCESSES'],
  [{ ROUTER_PROCESSES: 'many' }, 'ROUTER_PROCESSES'],
  [{ PORT: 'abc' }, 'PORT'],
  [{ PORT: '70000' }, 'PORT'],
  [{ MONGO_URL: 'http://127.0.0.1:27017' }, 'MONGO_URL'],
  [{ AMQP_URL: 'guest@127.0.0.1' }, 'AMQP_URL'],
  [{ RETRY_DELAYS_MS: '1000,soon' }, 'RETRY_DELAYS_MS'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  [{ SUBGRAPH_URL_USERS: 'users:4001' }, 'SUBGRAPH_URL_USERS'],
  [{ ADMIN_EMAIL: 'not-an-email' }, 'ADMIN_EMAIL'],
  [{ SERVICE_TOKEN: 'short' }, 'SERVICE_TOKEN'],
  [{ GRAPHQL_EXPLORER: 'yes' }, 'GRAPHQL_EXPLORER'],
  [{ ADMIN_PASSWORD: 'short-pass' }, 'ADMIN_PASSWORD'],
  [{ ADMIN_PASSWORD: 'é'.repeat(37) }, 'ADMIN_PASSWORD'], // 37 characters, 74 bytes: bcrypt would drop the end
])('refuses %j, naming %s', (extra, variable) => {
  expect(problem(extra)).toMatch(new RegExp(`^invalid configuration:\\n  ${variable}: `));
});

it('opens the explorer in development, closes it in production unless GRAPHQL_EXPLORER says otherwise', () => {
  const explorer = (extra: Record<string, string>) => loadConfig('router', { ...env, ...extra }).explorer;
  expect(explorer({})).toBe(true);
  expect(explorer({ NODE_ENV: 'production' })).toBe(false);
  expect(explorer({ NODE_ENV: 'production', GRAPHQL_EXPLORER: 'true' })).toBe(true);
  expect(explorer({ GRAPHQL_EXPLORER: 'false' })).toBe(false);
});

it('has no admin password by default (the users subgraph generates one), and takes one of 12 characters to 72 bytes', () => {
  expect(loadConfig('users', env).adminPassword).toBeUndefined();
  expect(loadConfig('users', { ...env, ADMIN_PASSWORD: 'twelve-chars' }).adminPassword).toBe('twelve-chars');
  expect(loadConfig('users', { ...env, ADMIN_PASSWORD: 'x'.repeat(72) }).adminPassword).toHaveLength(72);
});

it('refuses the published defaults in production, naming each variable, and only there', () => {
  const defaults = { SERVICE_TOKEN: 'change-me-service-token', ADMIN_PASSWORD: 'change-me-admin' };
  expect(() => loadConfig('users', { ...defaults, NODE_ENV: 'production' })).toThrow(
    'invalid configuration:\n  SERVICE_TOKEN: a published default; set a secret of your own\n  ADMIN_PASSWORD: a published default; set a secret of your own',
  );
  expect(() => loadConfig('users', { ...env, ADMIN_PASSWORD: 'change-me-please', NODE_ENV: 'production' })).toThrow(/ADMIN_PASSWORD: a published default/);
  expect(loadConfig('users', { ...defaults, NODE_ENV: 'development' }).serviceToken).toBe('change-me-service-token');
  expect(loadConfig('users', { ...env, ADMIN_PASSWORD: 'a-secret-of-mine', NODE_ENV: 'production' }).adminPassword).toBe('a-secret-of-mine');
});

it('requires an admin password of the users subgraph in production, and of no other process', () => {
  expect(() => loadConfig('users', { ...env, NODE_ENV: 'production' })).toThrow(
    'invalid configuration:\n  ADMIN_PASSWORD: must be set in production (the users subgraph creates the admin account with it)',
  );
  expect(loadConfig('orders', { ...env, NODE_ENV: 'production' }).adminPassword).toBeUndefined();
  expect(loadConfig('users', env).adminPassword).toBeUndefined();
});

it('refuses a missing service credential in production too, whatever else is set', () => {
  expect(() => loadConfig('router', { NODE_ENV: 'production', ADMIN_PASSWORD: 'a-secret-of-mine' })).toThrow(/^invalid configuration:\n  SERVICE_TOKEN: must be set/);
});

it('refuses a missing service credential with what to do', () => {
  expect(() => loadConfig('users', {})).toThrow(/SERVICE_TOKEN: must be set \(npm start generates one/);
});

it('lets the supervisor start without a service credential or MONGO_URL', () => {
  expect(loadSupervisorConfig({ FERRETDB_PORT: '28000' })).toMatchObject({ mongoUrl: undefined, serviceToken: undefined, ferretdbPort: 28000 });
  expect(() => loadSupervisorConfig({ FERRETDB_PORT: 'x' })).toThrow(/FERRETDB_PORT/);
});
