import type { Config } from '@shop/kernel';

/** The subgraphs named in the supergraph, with their URLs from the configuration (SUBGRAPH_URL_<NAME> overrides). */
export function subgraphsOf(supergraphSdl: string, config: Config): Map<string, string> {
  const urls = new Map<string, string>();
  for (const [, name, url] of supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)) {
    urls.set(name, config.subgraphUrl(name, url));
  }
  if (!urls.size) throw new Error('no subgraphs found in the supergraph');
  return urls;
}

/** True when every subgraph answers a trivial query within the timeout. */
export async function allSubgraphsAnswer(urls: Map<string, string>, timeoutMs = 1500): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    [...urls].map(async ([name, url]) => {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        return [name, res.ok] as const;
      } catch {
        return [name, false] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}
