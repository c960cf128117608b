/**
 * Containers, checked without a Docker engine: the Dockerfile is linted (dockerfile-utils, the
 * linter of VS Code's Docker support) and held to what the code needs; docker-compose.yml is
 * validated against the Compose Specification's JSON schema (deploy/schemas) and against the
 * code: every process, port, URL and variable it names exists, and each process's settings
 * pass the kernel's validation in production.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { DockerfileParser, type Copy, type Instruction } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { DEFAULT_PORTS, loadConfig, PROJECT_ROOT, SETTING_NAMES, SUBGRAPHS } from '@shop/kernel';
import { NODE_FLAGS, PROCESSES } from '../scripts/processes';
import { interpolateAll, readComposeFile, requiredVariables } from './support/compose-file';

const root = PROJECT_ROOT;
const file = (...parts: string[]) => path.join(root, ...parts);

describe('Dockerfile', () => {
  const text = readFileSync(file('Dockerfile'), 'utf8');
  const instructions = DockerfileParser.parse(text).getInstructions();
  /** Instructions by build stage, in order. */
  const stages = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const i of instructions) {
    if (i.getKeyword() === 'FROM') stages.set(/\bAS\s+(\S+)/i.exec(i.getArgumentsContent() ?? '')?.[1] ?? `stage${stages.size}`, (current = []));
    current.push(i);
  }
  const args = (i: Instruction) => i.getArgumentsContent() ?? '';
  const of = (stage: string, keyword: string) => (stages.get(stage) ?? []).filter((i) => i.getKeyword() === keyword).map(args);
  const runtime = [...stages.keys()].at(-1)!;

  it('lints clean', () => {
    const problems = lintDockerfile(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it('builds in one stage, installs production dependencies in another, and runs the JavaScript as a non-root user', () => {
    expect([...stages.keys()]).toEqual(['build', 'deps', 'runtime']);
    expect(of('build', 'RUN')).toEqual(expect.arrayContaining(['npm ci --include=dev --no-audit --no-fund', 'npm run build']));
    expect(JSON.parse(readFileSync(file('package.json'), 'utf8')).scripts.build).toMatch(/^npm run build:ts && npm run build:web$/);
    const install = of('deps', 'RUN').join('\n');
    expect(install).toMatch(/npm ci --omit=dev/);
    // Every server workspace, and not the storefront's (bundled into web/dist).
    const workspaces = [...install.matchAll(/--workspace=(\S+)/g)].map((m) => m[1]).sort();
    expect(workspaces).toEqual([...new Set(['packages/kernel', ...PROCESSES.map((p) => p.workspace)])].sort());
    expect(runtime).toBe('runtime');
    expect(of(runtime, 'RUN').join('\n')).not.toMatch(/npm (ci|install)|tsc|tsx/);
    const user = of(runtime, 'USER');
    expect(user).toEqual(['node']);
    expect(of(runtime, 'CMD')).toEqual(['["node", "scripts/dist/service.js"]']);
    expect(of(runtime, 'HEALTHCHECK')).toEqual(['CMD ["node", "scripts/dist/healthcheck.js"]']);
    const env = of(runtime, 'ENV').join(' ');
    for (const setting of ['NODE_ENV=production', `NODE_OPTIONS="${['--conditions=production', ...NODE_FLAGS].join(' ')}"`, 'HOST=0.0.0.0', 'SHOP_PROCESS=${SERVICE}']) expect(env).toContain(setting);
    expect(of(runtime, 'ARG')).toEqual(['SERVICE=router']);
  });

  it('copies only files that exist or that the build makes, and everything a process reads at run time', () => {
    const built = new Set(['scripts/dist', 'packages/kernel/dist', 'web/dist', ...PROCESSES.map((p) => `${p.workspace}/dist`)]);
    const copies = [...stages.values()].flat().filter((i) => i.getKeyword() === 'COPY') as Copy[];
    for (const copy of copies) {
      const from = copy.getFromFlag()?.getValue();
      if (from === 'deps') continue; // what the deps stage installed
      for (const source of copy.getArguments().slice(0, -1).map((a) => a.getValue())) {
        if (source === '.') continue;
        const relative = source.replace(/^\/shop\//, '');
        expect({ source, exists: existsSync(file(relative)) || (from === 'build' && built.has(relative)) }).toEqual({ source, exists: true });
      }
    }
    const copied = of(runtime, 'COPY').join('\n');
    for (const needed of ['supergraph.yaml', 'router/supergraph.graphql', ...SUBGRAPHS.map((s) => path.relative(root, s.schemaFile)), ...built])
      expect(copied).toContain(`/shop/${needed}`);
  });

  it('keeps local builds, dependencies, data and secrets out of the build context, and secrets out of git', () => {
    const ignored = readFileSync(file('.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.data', '.tools', '.git', '.env', '**/secrets.env']) expect(ignored).toContain(entry);
    expect(readFileSync(file('.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['.env', 'deploy/k8s/overlays/*/secrets.env']));
  });
});

describe('docker-compose.yml', () => {
  const composeFile = file('docker-compose.yml');
  const raw = readComposeFile(composeFile);
  const secrets = ['ADMIN_PASSWORD', 'METRICS_TOKEN', 'MONGO_PASSWORD', 'RABBITMQ_PASSWORD', 'REDIS_PASSWORD', 'SERVICE_TOKEN'];
  const vars = Object.fromEntries(secrets.map((name, i) => [name, `secret-${i}-of-twenty-chars`]));
  const compose = interpolateAll(raw, vars);
  const shop = PROCESSES.map((p) => p.name);

  it('follows the Compose Specification, before and after interpolation', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // The schema names its draft by https; ajv knows draft-07 by http.
    ajv.addMetaSchema({ ...require('ajv/dist/refs/json-schema-draft-07.json'), $id: 'https://json-schema.org/draft-07/schema' });
    const check = ajv.compile(JSON.parse(readFileSync(file('deploy/schemas/compose-spec.json'), 'utf8')));
    for (const doc of [raw, compose]) {
      check(doc);
      expect(check.errors ?? []).toEqual([]);
    }
    // The schema does refuse what compose would refuse.
    expect(check({ services: { router: { image: 'x', ports: 4000, restart: 'on-failure', bogus: true } } })).toBe(false);
  });

  it('requires every secret from the environment and hard-codes none', () => {
    expect(requiredVariables(composeFile)).toEqual(secrets);
    for (const name of secrets) {
      const { [name]: _left, ...others } = vars;
      expect(() => interpolateAll(raw, others)).toThrow(new RegExp(`^required variable ${name} is missing a value: set ${name}`));
    }
    for (const service of shop) {
      const env = raw.services[service].environment as Record<string, string>;
      for (const name of ['SERVICE_TOKEN', 'ADMIN_PASSWORD']) if (env[name] !== undefined) expect(env[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
      for (const name of ['MONGO_URL', 'REDIS_URL', 'AMQP_URL']) expect(env[name]).toMatch(/:\$\{[A-Z]+_PASSWORD:\?[^}]+\}@/);
    }
  });

  it('runs every process of the shop, each from the Dockerfile built for it', () => {
    const services = Object.keys(compose.services);
    expect(services.filter((s) => compose.services[s].build)).toEqual(shop);
    for (const name of shop) {
      const service = compose.services[name];
      expect(service.build).toEqual({ context: '.', args: { SERVICE: name } });
      expect(existsSync(file(service.build.context, service.build.dockerfile ?? 'Dockerfile'))).toBe(true);
      expect(service.command).toBeUndefined(); // the image's: scripts/dist/service.js runs SHOP_PROCESS
      for (const needed of Object.keys(service.depends_on ?? {})) expect(services).toContain(needed);
    }
    expect(compose.services['notifications-worker'].healthcheck).toEqual({ disable: true });
    expect(Object.keys(compose.services.router.depends_on).sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
    for (const s of SUBGRAPHS) expect(compose.services.router.depends_on[s.name]).toEqual({ condition: 'service_healthy' });
  });

  it('names only settings the kernel reads, each process on its configured port, and addresses that are services of this file', () => {
    const services = compose.services;
    const hostAndPort = (url: string) => {
      const u = new URL(url);
      return [u.hostname, Number(u.port)] as const;
    };
    for (const name of shop) {
      const env = services[name].environment as Record<string, string>;
      const unknown = Object.keys(env).filter((k) => !SETTING_NAMES.includes(k) && !SUBGRAPHS.some((s) => k === `SUBGRAPH_URL_${s.name.toUpperCase()}`));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
      const spec = PROCESSES.find((p) => p.name === name)!;
      expect(env.PORT === undefined ? undefined : Number(env.PORT)).toBe(spec.port);
      if (spec.port) expect(spec.port).toBe(DEFAULT_PORTS[name]);
      for (const s of SUBGRAPHS) {
        const [host, port] = hostAndPort(env[`SUBGRAPH_URL_${s.name.toUpperCase()}`]);
        expect([host, port]).toEqual([s.name, Number(services[s.name].environment.PORT)]);
      }
      const infrastructure = { MONGO_URL: ['mongo', 27017, /^mongo:7/], REDIS_URL: ['redis', 6379, /^redis:7/], AMQP_URL: ['rabbitmq', 5672, /^rabbitmq:3-management/], SMTP_URL: ['mailpit', 1025, /^axllent\/mailpit/] } as const;
      for (const [variable, [host, port, image]] of Object.entries(infrastructure)) {
        expect(hostAndPort(env[variable])).toEqual([host, port]);
        expect(services[host].image).toMatch(image);
      }
      // What the container gets (the Dockerfile's ENV, then compose's) passes the kernel's checks in production.
      const config = loadConfig(name === 'notifications-worker' ? 'notifications' : name, { NODE_ENV: 'production', HOST: '0.0.0.0', DATA_DIR: '/data', ...env });
      expect(config.serviceToken).toBe(vars.SERVICE_TOKEN);
      expect(config.mongoPoolSize).toBe(10);
    }
    // The router (and the storefront it serves) on 4000; Mailpit's and RabbitMQ's web UIs on this machine only.
    expect(services.router.ports).toEqual(['4000:4000']);
    expect(services.mailpit.ports).toEqual(['127.0.0.1:8025:8025']);
    expect(services.rabbitmq.ports).toEqual(['127.0.0.1:15672:15672']);
    expect(services.rabbitmq.environment).toEqual({ RABBITMQ_DEFAULT_USER: 'shop', RABBITMQ_DEFAULT_PASS: vars.RABBITMQ_PASSWORD });
    expect(services.mongo.environment).toEqual({ MONGO_INITDB_ROOT_USERNAME: 'shop', MONGO_INITDB_ROOT_PASSWORD: vars.MONGO_PASSWORD });
    expect(services.users.environment.ADMIN_PASSWORD).toBe(vars.ADMIN_PASSWORD);
  });
});
