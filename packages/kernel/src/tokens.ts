import jwt from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { ShopError } from './errors';

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

/**
 * Verifies access tokens against the users subgraph's published keys (JWKS). Keys are cached;
 * an unknown `kid` makes the client fetch the set again (rate-limited), which is how a
 * rotated key is picked up without downtime. Only RS256 is accepted: `none`, HS256 signed
 * with the public key, and tokens without a `kid` are refused before any key is looked up.
 */
export function jwksVerifier(jwksUri: string): TokenVerifier {
  const client = new JwksClient({
    jwksUri,
    cache: true,
    cacheMaxAge: 10 * 60 * 1000,
    rateLimit: true,
    jwksRequestsPerMinute: 30,
    timeout: 3000,
  });
  return {
    async verify(token) {
      const decoded = jwt.decode(token, { complete: true });
      if (!decoded || typeof decoded.payload === 'string' || decoded.header.alg !== 'RS256' || !decoded.header.kid)
        throw unauthenticated();
      let publicKey: string;
      try {
        publicKey = (await client.getSigningKey(decoded.header.kid)).getPublicKey();
      } catch {
        throw unauthenticated();
      }
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
