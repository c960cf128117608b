import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** The project root: supergraph.yaml, the subgraphs' schemas and the supergraph live under it. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface SubgraphEntry {
  name: string;
  /** Where the router and other services reach it by default (SUBGRAPH_URL_<NAME> overrides). */
  routingUrl: string;
  /** Its default port, taken from routingUrl. */
  port: number;
  /** Absolute path of its SDL. */
  schemaFile: string;
}

interface RoverConfig {
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

/**
 * The subgraphs of the shop, from supergraph.yaml (rover's format): the one list that
 * composition, the router, `npm start`, each service's default port and the checks read.
 */
export function readSubgraphList(file = path.join(PROJECT_ROOT, 'supergraph.yaml')): SubgraphEntry[] {
  const config = YAML.parse(readFileSync(file, 'utf8')) as RoverConfig;
  return Object.entries(config.subgraphs).map(([name, s]) => ({
    name,
    routingUrl: s.routing_url,
    port: Number(new URL(s.routing_url).port),
    schemaFile: path.resolve(path.dirname(file), s.schema.file),
  }));
}

export const SUBGRAPHS: readonly SubgraphEntry[] = readSubgraphList();

export function subgraphEntry(name: string): SubgraphEntry {
  const entry = SUBGRAPHS.find((s) => s.name === name);
  if (!entry) throw new Error(`${name} is not a subgraph of supergraph.yaml`);
  return entry;
}

/** The router's default port; the subgraphs' come from supergraph.yaml. */
export const ROUTER_PORT = 4000;
