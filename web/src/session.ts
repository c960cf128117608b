/**
 * The signed-in session: the short-lived access token and the refresh token, kept in
 * localStorage so a reload keeps the shopper signed in. The access token is refreshed shortly
 * before it expires (and once more on a 401), by one tab at a time; a refresh that is refused
 * (spent or revoked token) ends the session and sends the shopper to log in.
 */
import { print } from 'graphql';
import { WebRefreshSessionDocument } from './gql/graphql';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: string;
}
export interface Session {
  token: string;
  refreshToken: string;
  user: SessionUser;
}

const KEY = 'shop.session';
/** Refresh this long before the access token expires. */
const MARGIN_MS = 60_000;
export const GRAPHQL_PATH = '/graphql';

let current: Session | null = read();
/** Why the last session ended when the shopper did not log out: shown on the log-in page. */
let endedReason: string | null = null;
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
  } catch {
    return null;
  }
}

function emit() {
  for (const l of listeners) l();
}

export const getSession = () => current;
export const sessionEndedReason = () => endedReason;

export function subscribeSession(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function setSession(session: Session | null, reason: string | null = null) {
  current = session;
  endedReason = session ? null : reason;
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  emit();
}

// Another tab refreshed or logged out: take its session.
window.addEventListener('storage', (e) => {
  if (e.key === KEY) {
    current = read();
    emit();
  }
});

function expiresAt(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return (payload.exp ?? 0) * 1000;
  } catch {
    return 0;
  }
}

let refreshing: Promise<string | undefined> | null = null;

/**
 * Runs `refresh` holding a lock shared by every tab of this origin (Web Locks), so two tabs
 * never spend the same single-use refresh token: the second would be refused and, as a reuse,
 * revoke the whole session. Browsers without Web Locks run it directly.
 */
function acrossTabs<T>(refresh: () => Promise<T>): Promise<T> {
  return navigator.locks ? (navigator.locks.request('shop.session.refresh', refresh) as Promise<T>) : refresh();
}

/** Spends the refresh token for a new pair; one refresh at a time, in all tabs. Undefined: the session ended. */
export function refreshNow(): Promise<string | undefined> {
  const session = current;
  if (!session) return Promise.resolve(undefined);
  refreshing ??= acrossTabs(async () => {
    // While this tab waited for the lock, another may have refreshed (or logged out): take its result.
    const stored = read();
    if (stored?.refreshToken !== session.refreshToken) {
      current = stored;
      emit();
      return stored?.token;
    }
    try {
      const res = await fetch(GRAPHQL_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: print(WebRefreshSessionDocument), variables: { refreshToken: session.refreshToken } }),
      });
      const body = (await res.json()) as { data?: { refreshSession: { token: string; refreshToken: string } } | null };
      const pair = body.data?.refreshSession;
      if (!pair) {
        setSession(null, 'expired');
        return undefined;
      }
      // Only if nobody logged out or in meanwhile.
      if (current?.refreshToken === session.refreshToken) setSession({ ...session, ...pair });
      return pair.token;
    } catch {
      // Network trouble: keep the session, try again with the next request.
      return session.token;
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** An access token good for at least a minute, refreshed silently when needed; undefined when signed out. */
export async function validToken(): Promise<string | undefined> {
  if (!current) return undefined;
  if (expiresAt(current.token) - Date.now() > MARGIN_MS) return current.token;
  return refreshNow();
}

/** fetch for Apollo's HttpLink: adds the token, and on a 401 refreshes once and retries. */
export async function authFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const token = await validToken();
  const send = (t?: string) => {
    const headers = new Headers(init.headers);
    if (t) headers.set('authorization', `Bearer ${t}`);
    else headers.delete('authorization');
    return fetch(input, { ...init, headers });
  };
  const res = await send(token);
  if (res.status !== 401 || !token) return res;
  const fresh = await refreshNow();
  return send(fresh);
}
