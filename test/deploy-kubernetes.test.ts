/**
 * The Kubernetes manifests, checked offline: deploy/k8s/overlays/production is rendered with the
 * kustomize library itself and every object decoded strictly into its Kubernetes API type
 * (deploy/k8s/render, built once into .tools/ with Go, like FerretDB); every object is also
 * validated against the API schemas of kubernetes-models (required fields, formats); and the
 * manifests are held to the code: every process, port, probe path, setting and secret key.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfig, PROJECT_ROOT, SETTING_NAMES, SUBGRAPHS } from '@shop/kernel';
import { PROCESSES } from '../scripts/processes';

const root = PROJECT_ROOT;
const RENDER_SOURCE = path.join(root, 'deploy/k8s/render');
/** The renderer's binary, named by a hash of its source: a change builds a new one. */
const RENDERER = path.join(
  root,
  '.tools',
  `k8s-render-${createHash('sha256')
    .update(['main.go', 'go.mod', 'go.sum'].map((f) => readFileSync(path.join(RENDER_SOURCE, f), 'utf8')).join('\0'))
    .digest('hex')
    .slice(0, 12)}`,
);
const STATELESS = ['router', 'users', 'orders', 'promotions', 'recommendations', 'notifications'];
const CREDENTIALS = ['SERVICE_TOKEN', 'ADMIN_PASSWORD', 'METRICS_TOKEN', 'MONGO_URL', 'REDIS_URL', 'AMQP_URL', 'SMTP_URL'];

let objects: any[];
let secretValues: Record<string, string>;
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

beforeAll(() => {
  // Built once per source (about 2 minutes on this machine, k8s.io/api being large).
  if (!existsSync(RENDERER)) execFileSync('go', ['build', '-buildvcs=false', '-o', RENDERER, '.'], { cwd: RENDER_SOURCE, stdio: 'inherit' });
  // Render a copy, with a secrets.env made from the example's keys.
  const copy = mkdtempSync(path.join(os.tmpdir(), 'shop-k8s-'));
  cpSync(path.join(root, 'deploy/k8s'), copy, { recursive: true, filter: (f) => !f.includes(`${path.sep}render`) });
  const overlay = path.join(copy, 'overlays/production');
  const keys = readFileSync(path.join(overlay, 'secrets.env.example'), 'utf8').match(/^[A-Z_]+(?==)/gm)!;
  secretValues = Object.fromEntries(keys.map((k) => [k, k.endsWith('_URL') ? readFileSync(path.join(overlay, 'secrets.env.example'), 'utf8').match(new RegExp(`^${k}=(.*)$`, 'm'))![1].replace('change-me', 's3cret') : `${k.toLowerCase()}-of-my-own-0123456789`]));
  writeFileSync(path.join(overlay, 'secrets.env'), Object.entries(secretValues).map(([k, v]) => `${k}=${v}\n`).join(''));
  try {
    objects = YAML.parseAllDocuments(execFileSync(RENDERER, [overlay], { encoding: 'utf8' })).map((d) => d.toJSON());
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}, 600_000);

it('renders every object valid against the Kubernetes API schemas', () => {
  // The renderer has already decoded each strictly into its API type, or failed the render.
  // kustomize wraps long base64 values at 70 characters; the API server's decoder skips the line
  // breaks, the schema's "byte" pattern does not.
  const unwrapped = objects.map((o) => (o.kind === 'Secret' ? { ...o, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, (v as string).replace(/\s/g, '')])) } : o));
  const results = JSON.parse(
    execFileSync(process.execPath, [path.join(root, 'test/support/validate-kubernetes.mjs')], { input: JSON.stringify(unwrapped), encoding: 'utf8' }),
  ) as { name: string; error?: string }[];
  expect(results.filter((r) => r.error)).toEqual([]);
  expect(results.map((r) => r.name).sort()).toEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort());
  // The validator does refuse a wrong object.
  const wrong = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'http' }] } };
  expect(execFileSync(process.execPath, [path.join(root, 'test/support/validate-kubernetes.mjs')], { input: JSON.stringify([wrong]), encoding: 'utf8' })).toMatch(/port must be integer/);
});

it('refuses, when rendering, a field the Kubernetes API does not know', () => {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'shop-k8s-typo-'));
  try {
    cpSync(path.join(root, 'deploy/k8s/base'), copy, { recursive: true });
    const users = path.join(copy, 'users.yaml');
    writeFileSync(users, readFileSync(users, 'utf8').replace('readOnlyRootFilesystem:', 'readOnlyRootFilsystem:'));
    expect(() => execFileSync(RENDERER, [copy], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/Deployment\/users: .*unknown field "readOnlyRootFilsystem"/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

it('puts everything in the namespace shop, images from the registry', () => {
  expect(named('Namespace', 'shop')).toBeDefined();
  for (const o of objects.filter((o) => o.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('shop');
  for (const d of ofKind('Deployment')) expect(d.spec.template.spec.containers[0].image).toBe(`registry.example.com/shop-supergraph/${d.metadata.name}:1.0.0`);
});

it('runs every process, each with resources, non-root, and probes on its health endpoints', () => {
  expect(ofKind('Deployment').map((d) => d.metadata.name).sort()).toEqual(PROCESSES.map((p) => p.name).sort());
  for (const p of PROCESSES) {
    const deployment = named('Deployment', p.name);
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    if (!p.port) {
      expect([container.livenessProbe, container.readinessProbe, container.ports]).toEqual([undefined, undefined, undefined]);
      continue;
    }
    expect(container.ports).toEqual([{ name: 'http', containerPort: p.port }]);
    const env = Object.fromEntries(container.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    expect(Number(env.PORT)).toBe(p.port);
    expect(container.livenessProbe.httpGet).toEqual({ path: p.healthPath, port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: p.healthPath, port: 'http' });
    // The router starts taking traffic once every subgraph answers.
    expect(container.startupProbe.httpGet).toEqual({ path: p.readyPath, port: 'http' });
    // Drains and upgrades take one replica at a time.
    expect(named('PodDisruptionBudget', p.name).spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: deployment.spec.template.metadata.labels } });
    const service = named('Service', p.name);
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    expect(service.spec.ports).toEqual([{ name: 'http', port: p.port, targetPort: 'http' }]);
  }
});

it('autoscales the router and the stateless subgraphs only', () => {
  const hpas = ofKind('HorizontalPodAutoscaler');
  expect(hpas.map((h) => h.metadata.name).sort()).toEqual([...STATELESS].sort());
  for (const h of hpas) {
    expect(h.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: h.metadata.name });
    expect(h.spec.minReplicas).toBeGreaterThanOrEqual(2);
  }
  expect(named('HorizontalPodAutoscaler', 'router').spec.maxReplicas).toBe(20); // the overlay's patch
  expect(named('Deployment', 'catalogue').spec.replicas).toBe(2);
});

it('names only settings the kernel reads, credentials only from the Secret, and settings that pass its checks in production', () => {
  const [secret] = ofKind('Secret');
  expect(secret.metadata.name).toMatch(/^shop-secrets-[a-z0-9]{10}$/);
  const config = named('ConfigMap', 'shop-config').data as Record<string, string>;
  const known = (k: string) => SETTING_NAMES.includes(k) || SUBGRAPHS.some((s) => k === `SUBGRAPH_URL_${s.name.toUpperCase()}`);
  expect(Object.keys(config).filter((k) => !known(k))).toEqual([]);
  expect(Object.keys(config).filter((k) => CREDENTIALS.includes(k))).toEqual([]);
  for (const s of SUBGRAPHS) {
    const url = new URL(config[`SUBGRAPH_URL_${s.name.toUpperCase()}`]);
    expect([url.hostname, Number(url.port), url.pathname]).toEqual([s.name, named('Service', s.name).spec.ports[0].port, '/graphql']);
  }
  for (const p of PROCESSES) {
    const [container] = named('Deployment', p.name).spec.template.spec.containers;
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'shop-config' } }]);
    const env: Record<string, string> = { ...config, NODE_ENV: 'production', HOST: '0.0.0.0' };
    for (const e of container.env) {
      expect(known(e.name)).toBe(true);
      if (CREDENTIALS.includes(e.name)) {
        expect(e.valueFrom.secretKeyRef).toEqual({ name: secret.metadata.name, key: e.name });
        expect(secret.data[e.name]).toBeDefined();
        env[e.name] = Buffer.from(secret.data[e.name], 'base64').toString();
      } else env[e.name] = e.value;
    }
    const loaded = loadConfig(p.name === 'notifications-worker' ? 'notifications' : p.name, env);
    expect(loaded.serviceToken).toBe(secretValues.SERVICE_TOKEN);
    expect(loaded.mongoUrl).toBe(secretValues.MONGO_URL);
    if (p.name === 'notifications-worker') expect(loaded.smtpUrl).toBe(secretValues.SMTP_URL);
  }
});

it("ships an example of the secrets that the services refuse as it is, naming each published default", () => {
  const example = Object.fromEntries(
    readFileSync(path.join(root, 'deploy/k8s/overlays/production/secrets.env.example'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  expect(Object.keys(example).sort()).toEqual([...CREDENTIALS].sort());
  expect(() => loadConfig('users', { ...example, NODE_ENV: 'production' })).toThrow(/SERVICE_TOKEN: a published default[\s\S]*ADMIN_PASSWORD: a published default/);
});
