import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { PROJECT_ROOT, type Config } from '@shop/kernel';

/** The contract's operations, offered as examples in the explorer's editor. */
const CONTRACT_DOCUMENTS = ['storefront.graphql', 'admin.graphql'].map((f) => path.join(PROJECT_ROOT, '..', 'shared', 'contract', f));

const FALLBACK_EXAMPLE = `# Sign in with the LogIn mutation, then put its token in the Authorization header:
# Authorization: Bearer <token>
query Products {
  products(first: 5) {
    totalCount
    edges { node { id name price { cents currency } stock } }
  }
}
`;

/** The operations the explorer opens with: the contract's, when the shared folder is there. */
export function exampleDocument(files = CONTRACT_DOCUMENTS): string {
  const found = files.filter((f) => existsSync(f));
  if (!found.length) return FALLBACK_EXAMPLE;
  const header = '# The contract\'s operations: pick one with the run button. For a signed-in call, run LogIn\n# and add the header Authorization: Bearer <token> (Headers, below).\n\n';
  return header + found.map((f) => readFileSync(f, 'utf8').trim()).join('\n\n') + '\n';
}

/**
 * The landing page at GET /graphql: Apollo Sandbox embedded when the explorer is on (development,
 * or GRAPHQL_EXPLORER=true), else none. The Sandbox page loads its code from Apollo's CDN in the
 * browser; this server sends nothing anywhere, and the Sandbox's own telemetry is off.
 */
export function landingPage(config: Config): ApolloServerPlugin {
  if (!config.explorer) return ApolloServerPluginLandingPageDisabled();
  return ApolloServerPluginLandingPageLocalDefault({
    embed: { runTelemetry: false, endpointIsEditable: false, initialState: { pollForSchemaUpdates: false } },
    includeCookies: false,
    footer: false,
    document: exampleDocument(),
  });
}
