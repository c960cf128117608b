/**
 * supergraph.yaml is the one list of subgraphs. What derives from it at run time (default ports,
 * the router's URLs, npm start's processes, composition) reads it; what must name each subgraph
 * in a file of its own (codegen.yml, docker-compose.yml, the composed supergraph) is checked here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEFAULT_PORTS, PROJECT_ROOT, SUBGRAPHS } from '@shop/kernel';

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const names = SUBGRAPHS.map((s) => s.name);

it('lists every subgraph folder, each with its schema and an entry point that boots that name', () => {
  const folders = readdirSync(path.join(PROJECT_ROOT, 'subgraphs'));
  expect([...names].sort()).toEqual(folders.sort());
  for (const s of SUBGRAPHS) {
    expect(s.schemaFile).toBe(path.join(PROJECT_ROOT, 'subgraphs', s.name, 'schema.graphql'));
    expect(existsSync(s.schemaFile)).toBe(true);
    expect(read(`subgraphs/${s.name}/src/index.ts`)).toContain(`runSubgraph('${s.name}'`);
    expect(DEFAULT_PORTS[s.name]).toBe(s.port);
  }
  expect(new Set(SUBGRAPHS.map((s) => s.port)).size).toBe(names.length);
});

it('codegen.yml generates resolver types for each subgraph from its own schema, and client types for the storefront from the composed supergraph', () => {
  const targets = YAML.parse(read('codegen.yml')).generates as Record<string, { schema: string; preset?: string }>;
  const expected = {
    ...Object.fromEntries(SUBGRAPHS.map((s) => [`subgraphs/${s.name}/src/__generated__/resolvers-types.ts`, path.relative(PROJECT_ROOT, s.schemaFile)])),
    'web/src/gql/': 'router/supergraph.graphql',
  };
  expect(Object.fromEntries(Object.entries(targets).map(([file, t]) => [file, t.schema]))).toEqual(expected);
  expect(targets['web/src/gql/'].preset).toBe('client');
});

it('the composed supergraph names the same subgraphs at the same URLs', () => {
  const joined = [...read('router/supergraph.graphql').matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)].map(([, name, url]) => ({ name, url }));
  expect(joined.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
    SUBGRAPHS.map((s) => ({ name: s.name, url: s.routingUrl })).sort((a, b) => a.name.localeCompare(b.name)),
  );
});

it('docker-compose.yml runs each subgraph on its port, and every service reaches each one by name', () => {
  const compose = YAML.parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, { build?: unknown; environment?: Record<string, string> }>;
  };
  for (const s of SUBGRAPHS) {
    const service = compose.services[s.name];
    // Its own image, whose entry point runs that process (scripts/service.ts).
    expect(service?.build).toEqual({ context: '.', args: { SERVICE: s.name } });
    expect(service.environment?.PORT).toBe(String(s.port));
  }
  for (const name of [...names, 'notifications-worker', 'router']) {
    const env = compose.services[name]?.environment ?? {};
    for (const s of SUBGRAPHS) expect(env[`SUBGRAPH_URL_${s.name.toUpperCase()}`]).toBe(`http://${s.name}:${s.port}/graphql`);
  }
  expect(compose.services.router.environment?.PORT).toBe(String(DEFAULT_PORTS.router));
  const processes = Object.entries(compose.services).filter(([, s]) => s.build).map(([name]) => name);
  expect(processes.sort()).toEqual([...names, 'notifications-worker', 'router'].sort());
});
