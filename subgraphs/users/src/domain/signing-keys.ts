import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { SigningKeyModel } from '../data/signing-key-model';
import { keySealer, type SealedKey } from './key-sealing';

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
}

const DAY = 24 * 3600 * 1000;

export interface SigningKeyOptions {
  rotateAfterDays: number;
  tokenTtlSeconds: number;
  /** Seals the private keys at rest: SIGNING_KEY_SECRET, else SERVICE_TOKEN. */
  secret: string;
}

/**
 * RS256 signing keys, rotated without downtime: the newest key signs; every key young enough
 * to have signed a token that is still valid stays in the published JWKS, so verifiers that
 * meet a new `kid` fetch the set again and tokens signed with the previous key keep working.
 * Private keys are stored sealed with the secret, never as PEM.
 */
export function signingKeys(keys: SigningKeyModel, options: SigningKeyOptions) {
  const rotateAfterMs = options.rotateAfterDays * DAY;
  const sealer = keySealer(options.secret);
  // Opened once per key and process: the newest key signs every session.
  const opened = new Map<string, string>();

  async function create(): Promise<void> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID();
    await keys.create({
      kid,
      sealedPrivateKey: sealer.seal(kid, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
      publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    });
  }

  /** The newest key's PEM, or null when it cannot be opened (sealed under another secret). */
  function open(key: { kid: string; sealedPrivateKey?: unknown }): string | null {
    const known = opened.get(key.kid);
    if (known) return known;
    try {
      const pem = sealer.open(key.kid, key.sealedPrivateKey as SealedKey);
      opened.set(key.kid, pem);
      return pem;
    } catch {
      return null;
    }
  }

  return {
    /**
     * Keys stored in plain PEM by earlier versions are sealed and their PEM removed (each key
     * in one write, so a crash leaves it plain or sealed, never without its private half).
     */
    async sealPlainKeys(): Promise<number> {
      // Maintenance at start: the raw driver, as the legacy field is being removed.
      const plain = await keys.collection.find({ privateKeyPem: { $type: 'string' } }).toArray();
      for (const k of plain) {
        await keys.collection.updateOne({ _id: k._id }, { $set: { sealedPrivateKey: sealer.seal(k.kid, k.privateKeyPem) }, $unset: { privateKeyPem: '' } });
      }
      return plain.length;
    },
    /**
     * Makes a new key when there is none, the newest is older than the rotation period, or the
     * newest cannot be opened with this secret (it was changed): tokens signed before stay
     * valid, as the older key's public half stays published. Returns why it made one, if it did.
     */
    async ensureCurrent(now = new Date()): Promise<'none' | 'rotation' | 'secret changed' | null> {
      await this.sealPlainKeys();
      const newest = await keys.findOne().sort({ createdAt: -1 }).lean();
      const why = !newest ? 'none' : now.getTime() - newest.createdAt.getTime() > rotateAfterMs ? 'rotation' : open(newest) === null ? 'secret changed' : null;
      if (why) await create();
      return why;
    },
    rotate: create,
    async current(): Promise<SigningKey> {
      const newest = await keys.findOne().sort({ createdAt: -1 }).lean();
      if (!newest) throw new Error('no signing key: ensureCurrent() runs at start');
      const privateKeyPem = open(newest);
      if (!privateKeyPem) throw new Error(`signing key ${newest.kid} cannot be opened with this secret: ensureCurrent() replaces it`);
      return { kid: newest.kid, privateKeyPem };
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
