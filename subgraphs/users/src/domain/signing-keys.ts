import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { SigningKeyModel } from '../data/signing-key-model';

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
}

const DAY = 24 * 3600 * 1000;

/**
 * RS256 signing keys, rotated without downtime: the newest key signs; every key young enough
 * to have signed a token that is still valid stays in the published JWKS, so verifiers that
 * meet a new `kid` fetch the set again and tokens signed with the previous key keep working.
 */
export function signingKeys(keys: SigningKeyModel, options: { rotateAfterDays: number; tokenTtlSeconds: number }) {
  const rotateAfterMs = options.rotateAfterDays * DAY;

  async function create(): Promise<void> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID();
    await keys.create({
      kid,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    });
  }

  return {
    /** Makes a new key when there is none or the newest is older than the rotation period. */
    async ensureCurrent(now = new Date()): Promise<void> {
      const newest = await keys.findOne().sort({ createdAt: -1 }).lean();
      if (!newest || now.getTime() - newest.createdAt.getTime() > rotateAfterMs) await create();
    },
    rotate: create,
    async current(): Promise<SigningKey> {
      const newest = await keys.findOne().sort({ createdAt: -1 }).lean();
      if (!newest) throw new Error('no signing key: ensureCurrent() runs at start');
      return { kid: newest.kid, privateKeyPem: newest.privateKeyPem };
    },
    /** The public keys a verifier may meet: the newest, and each older one until its last token expires. */
    async jwks(now = new Date()): Promise<{ keys: unknown[] }> {
      const all = await keys.find().sort({ createdAt: -1 }).lean();
      // Key i stopped signing when key i-1 was made; its tokens live one token lifetime longer.
      const live = all.filter((_, i) => i === 0 || now.getTime() < all[i - 1].createdAt.getTime() + options.tokenTtlSeconds * 1000);
      return { keys: live.map((k) => k.publicJwk) };
    },
  };
}

export type SigningKeys = ReturnType<typeof signingKeys>;
