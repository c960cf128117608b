import { ApolloArmor } from '@escape.tech/graphql-armor';

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
  costLimit: { maxCost: 5000, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 },
  blockFieldSuggestion: { enabled: true },
};

/** Largest request body (or WebSocket message) accepted, before any parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

export const PARSE_OPTIONS = { maxTokens: 2000 };

export function queryLimits() {
  const armor = new ApolloArmor(QUERY_LIMITS).protect();
  return { validationRules: armor.validationRules, plugins: armor.plugins, parseOptions: PARSE_OPTIONS };
}
