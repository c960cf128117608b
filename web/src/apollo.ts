/**
 * Apollo Client, talking only to the router of the page's own origin: queries and mutations
 * over HTTP POST /graphql, the subscription over graphql-ws on the same path.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { authFetch, GRAPHQL_PATH, validToken } from './session';

const reconnectListeners = new Set<() => void>();
/** Called each time the WebSocket connects again after a drop: pages refetch what they show. */
export function onReconnect(listener: () => void) {
  reconnectListeners.add(listener);
  return () => {
    reconnectListeners.delete(listener);
  };
}

let connectedOnce = false;
export const wsClient = createClient({
  url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`,
  // Asked at each (re)connection, so a reconnect carries a fresh token.
  connectionParams: async () => {
    const token = await validToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  },
  retryAttempts: Number.POSITIVE_INFINITY,
  shouldRetry: () => true,
  // Soon after a drop, then every few seconds, with jitter so a restarted router is not stormed.
  retryWait: async (retries) => new Promise((r) => setTimeout(r, Math.min(500 * 2 ** retries, 4000) + Math.random() * 1000)),
  on: {
    connected: () => {
      if (connectedOnce) for (const l of reconnectListeners) l();
      connectedOnce = true;
    },
  },
});

const http = new HttpLink({ uri: GRAPHQL_PATH, fetch: authFetch });
const ws = new GraphQLWsLink(wsClient);

export const client = new ApolloClient({
  link: ApolloLink.split(
    ({ query }) => {
      const def = getMainDefinition(query);
      return def.kind === Kind.OPERATION_DEFINITION && def.operation === OperationTypeNode.SUBSCRIPTION;
    },
    ws,
    http,
  ),
  cache: new InMemoryCache({
    typePolicies: {
      // The catalogue pages by cursor; each page is its own query result (pages, not a merged list).
      Query: { fields: { products: { keyArgs: ['first', 'after', 'filter', 'sort'] } } },
    },
  }),
});
