import jwt from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { ShopError } from './errors';
import type { Logger } from './logger';

export type Role = 'CUSTOMER' | 'ADMIN';

/** Who a verified access token says the caller is. */
export interface Identity {
  userId: string;
  role: Role;
  email: string;
  /** When the verified token expires, in seconds since the epoch (long-lived connections close then). */
  expiresAt?: number;
}

const ISSUER = 'shop-users';
const AUDIENCE = 'shop';

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
}

/** Access tokens are RS256 JWTs with a key id, so verifiers pick the key from the JWKS. */
export function signAccessToken(identity: Identity, key: SigningKey, ttlSeconds: number): string {
  return jwt.sign({ role: identity.role, email: identity.email }, key.privateKeyPem, {
    algorithm: 'RS256',
    keyid: key.kid,
    subject: identity.userId,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: ttlSeconds,
  });
}

export interface TokenVerifier {
  /** The identity in a valid token; UNAUTHENTICATED for anything else. */
  verify(token: string): Promise<Identity>;
}

const unauthenticated = () => new ShopError('UNAUTHENTICATED', 'Invalid or expired token');

export interface KeySetOptions {
  /** A key set older than this is fetched again before use (kept if the fetch fails). */
  maxAgeMs?: number;
  /** Fetches are at least this far apart, whatever `kid`s arrive. */
  refreshCooldownMs?: number;
  now?: () => number;
  /** Told of each failed fetch (the keys held stay in use). */
  onFetchError?: (err: unknown) => void;
}

/**
 * The published public keys by `kid`, fetched as a whole set, one fetch at a time and at most
 * one per cooldown, however many made-up `kid`s arrive. (jwks-rsa cached one key per `kid` and
 * fetched on every miss under a shared rate limit: made-up `kid`s spent the limit and, once a
 * real key's entry expired, every valid token was refused.)
 *
 * An unknown `kid` is looked for again only for a token issued after the last fetch began: a key
 * is published before it signs anything, so an older token names no key we could be missing.
 * Such a token waits for the cooldown to end rather than being refused, so a freshly rotated
 * key is always found, a few seconds late at worst.
 */
export function keySet(fetchKeys: () => Promise<Map<string, string>>, options: KeySetOptions = {}) {
  const { maxAgeMs = 10 * 60_000, refreshCooldownMs = 5000, now = Date.now } = options;
  let keys = new Map<string, string>();
  let fetchedAt = -Infinity; // when the last successful fetch began
  let attemptedAt = -Infinity;
  let inFlight: Promise<void> | undefined;
  const refresh = () =>
    (inFlight ??= (async () => {
      const started = (attemptedAt = now());
      try {
        keys = await fetchKeys();
        fetchedAt = started;
      } catch (err) {
        // The keys we have stay in use; the next attempt waits for the cooldown.
        options.onFetchError?.(err);
      } finally {
        inFlight = undefined;
      }
    })());
  const coolingDown = () => now() - attemptedAt < refreshCooldownMs;
  return {
    /** The public key of `kid`; `issuedAt` is the token's `iat` (seconds). */
    async publicKey(kid: string, issuedAt?: number): Promise<string | undefined> {
      if (inFlight) await inFlight;
      if (now() - fetchedAt > maxAgeMs && !coolingDown()) await refresh();
      if (keys.has(kid)) return keys.get(kid);
      const issuedMs = typeof issuedAt === 'number' ? issuedAt * 1000 : NaN;
      // Issued before the last fetch began (a second of rounding aside), or in the future: nothing to look for.
      if (!(issuedMs + 1000 > fetchedAt && issuedMs <= now() + 60_000)) return undefined;
      // Until this cooldown ends by now(): a timer, set from the event loop's cached clock, may
      // fire a little before it, and then no fetch would be made.
      const cooledAt = attemptedAt + refreshCooldownMs;
      while (now() < cooledAt) await new Promise((r) => setTimeout(r, cooledAt - now() + 1));
      if (keys.has(kid)) return keys.get(kid);
      if (inFlight) await inFlight;
      else if (!coolingDown()) await refresh();
      return keys.get(kid);
    },
  };
}

/**
 * Verifies access tokens against the users subgraph's published keys (JWKS), cached by keySet: an
 * unknown `kid` in a recent token makes it fetch the set again (at most once per cooldown), which
 * is how a rotated key is picked up without downtime. Only RS256 is accepted: `none`, HS256 signed with the public
 * key, and tokens without a `kid` are refused before any key is looked up.
 */
export function jwksVerifier(jwksUri: string, options: KeySetOptions = {}, logger?: Logger): TokenVerifier {
  const client = new JwksClient({ jwksUri, cache: false, rateLimit: false, timeout: 3000 });
  // A failed fetch is logged once per outage, with its cause; the first success after says so.
  let failing = false;
  const fetchKeys = async () => {
    const keys = new Map((await client.getSigningKeys()).map((k) => [k.kid, k.getPublicKey()]));
    if (failing) logger?.info({ jwksUri }, 'signing keys fetched again');
    failing = false;
    return keys;
  };
  const onFetchError = (err: unknown) => {
    if (!failing) logger?.warn({ err, jwksUri }, 'signing keys not fetched: tokens signed by a key not held yet are refused');
    failing = true;
    options.onFetchError?.(err);
  };
  const keys = keySet(fetchKeys, { ...options, onFetchError });
  return {
    async verify(token) {
      const decoded = jwt.decode(token, { complete: true });
      if (!decoded || typeof decoded.payload === 'string' || decoded.header.alg !== 'RS256' || !decoded.header.kid)
        throw unauthenticated();
      const publicKey = await keys.publicKey(decoded.header.kid, decoded.payload.iat);
      if (!publicKey) throw unauthenticated();
      try {
        const claims = jwt.verify(token, publicKey, { algorithms: ['RS256'], issuer: ISSUER, audience: AUDIENCE }) as jwt.JwtPayload;
        if (!claims.sub || (claims.role !== 'CUSTOMER' && claims.role !== 'ADMIN')) throw new Error('bad claims');
        return { userId: claims.sub, role: claims.role, email: String(claims.email ?? ''), expiresAt: claims.exp };
      } catch {
        throw unauthenticated();
      }
    },
  };
}
