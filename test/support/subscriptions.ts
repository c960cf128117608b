import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Connection {
  client: Client;
  /** The close code and reason, once the server or the client has closed the connection. */
  closed: Promise<{ code: number; reason: string }>;
}

/** A graphql-ws client on the router's /graphql, signed in with `token` when given; it never retries. */
export function connect(httpUrl: string, token?: string): Connection {
  let onClosed!: (event: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: { closed: (event) => onClosed({ code: (event as { code: number }).code, reason: (event as { reason: string }).reason }) },
  });
  return { client, closed };
}

export interface Subscription<T> {
  events: T[];
  /** The errors the server answered instead of events, if it refused the subscription. */
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  completed: boolean;
  dispose(): void;
}

/** Subscribes and collects what arrives; `onEvent` sees each event as it comes. */
export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown>, onEvent?: (event: T) => void): Subscription<T> {
  const sub: Subscription<T> = { events: [], completed: false, dispose: () => undefined };
  sub.dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        sub.events.push(result as T);
        onEvent?.(result as T);
      },
      error: (err) => (sub.errors = Array.isArray(err) ? err : [{ message: String((err as Error)?.message ?? err) }]),
      complete: () => (sub.completed = true),
    },
  );
  return sub;
}

/** The router's count of open subscriptions (from /healthz), to know when the server has taken them. */
export async function openSubscriptions(httpUrl: string): Promise<number> {
  const res = await fetch(httpUrl.replace(/\/graphql$/, '/healthz'));
  return ((await res.json()) as { subscriptions: number }).subscriptions;
}
