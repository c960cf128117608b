import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A private key as stored: AES-256-GCM under a key derived from the secret and a salt of its own. */
export interface SealedKey {
  alg: 'A256GCM+HKDF-SHA256';
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

const INFO = 'shop-supergraph users: signing key at rest, v1';

/**
 * Seals private signing keys with a secret (SIGNING_KEY_SECRET, else SERVICE_TOKEN): a database
 * dump or backup alone no longer lets anyone mint tokens. The secret is random and long, so
 * HKDF-SHA256 (with a random salt per key) derives the AES key; the key id is the GCM's
 * additional data, so a sealed key cannot be moved to another id unnoticed.
 */
export function keySealer(secret: string) {
  const keyFor = (salt: Buffer) => Buffer.from(hkdfSync('sha256', secret, salt, INFO, 32));
  return {
    seal(kid: string, pem: string): SealedKey {
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyFor(salt), iv).setAAD(Buffer.from(kid));
      const data = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
      const b64 = (b: Buffer) => b.toString('base64');
      return { alg: 'A256GCM+HKDF-SHA256', salt: b64(salt), iv: b64(iv), tag: b64(cipher.getAuthTag()), data: b64(data) };
    },
    /** The PEM, or an error when the secret is not the one it was sealed with (or the data was changed). */
    open(kid: string, sealed: SealedKey): string {
      const b = (s: string) => Buffer.from(s, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', keyFor(b(sealed.salt)), b(sealed.iv)).setAAD(Buffer.from(kid)).setAuthTag(b(sealed.tag));
      return Buffer.concat([decipher.update(b(sealed.data)), decipher.final()]).toString('utf8');
    },
  };
}

export type KeySealer = ReturnType<typeof keySealer>;
