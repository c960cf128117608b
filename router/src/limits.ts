import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { costLimitError } from './cost';

/**
 * Bounds on what one request may ask of the supergraph, checked before planning (graphql-armor):
 * the contract's deepest operation (MyAccount) has depth 6 and a few dozen fields.
 */
export const QUERY_LIMITS = {
  maxDepth: { n: 10 },
  maxAliases: { n: 15 },
  maxDirectives: { n: 20 },
  // Tokens are bounded by graphql-js's own parser (parseOptions below), which answers 400;
  // armor's token plugin throws from a hook, which Apollo turns into a 500.
  maxTokens: { enabled: false },
  // The cost limit is ours (cost.ts): armor's reads list sizes from literals only, not variables or defaults.
  costLimit: { enabled: false },
  blockFieldSuggestion: { enabled: true },
};

/** Largest request body (or WebSocket message) accepted, before any parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

export const PARSE_OPTIONS = { maxTokens: 2000 };

/** Refuses a request over the cost limit once its operation and variables are known (HTTP 400). */
export const costLimitPlugin = (): ApolloServerPlugin => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ schema, document, operationName, request }) {
        const error = costLimitError(schema, document, operationName, request.variables);
        if (error) throw error;
      },
    };
  },
});

export function queryLimits() {
  const armor = new ApolloArmor(QUERY_LIMITS).protect();
  return { validationRules: armor.validationRules, plugins: [...armor.plugins, costLimitPlugin()], parseOptions: PARSE_OPTIONS };
}
