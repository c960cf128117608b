import { LRUCache } from 'lru-cache';
import type { Identity, TokenVerifier } from './tokens';

/**
 * Remembers what each access token verified to, until the token expires: a shopper's token
 * reaches the router and up to five subgraphs per request, and an RS256 check costs far more
 * than a lookup. Keyed by the whole token string, so a token that differs in any byte is
 * verified afresh; refusals are not kept (they throw before anything is stored).
 */
export function rememberVerified(verifier: TokenVerifier, max = 10_000): TokenVerifier {
  const verified = new LRUCache<string, Identity>({ max, ttlAutopurge: false });
  return {
    async verify(token) {
      const held = verified.get(token);
      if (held) return held;
      const identity = await verifier.verify(token);
      const ttl = identity.expiresAt ? identity.expiresAt * 1000 - Date.now() : 0;
      if (ttl > 0) verified.set(token, identity, { ttl });
      return identity;
    },
  };
}
