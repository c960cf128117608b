import { generateKeyPairSync } from 'node:crypto';
import mongoose from 'mongoose';
import { signingKeyModel } from '../../subgraphs/users/src/data/signing-key-model';
import { keySealer } from '../../subgraphs/users/src/domain/key-sealing';
import { signingKeys } from '../../subgraphs/users/src/domain/signing-keys';

/** Reads the users subgraph's signing keys straight from its database, to forge tokens in attack tests. */
export async function readSigningKeys(env: Record<string, string>) {
  const db = mongoose.createConnection(env.MONGO_URL, { dbName: `${env.DB_PREFIX}users`, retryWrites: false });
  await db.asPromise();
  try {
    const keys = await db.collection('signing_keys').find().sort({ createdAt: -1 }).toArray();
    // Sealed at rest: opened with the secret the shop was started with, as the subgraph does.
    const sealer = keySealer(env.SIGNING_KEY_SECRET ?? env.SERVICE_TOKEN);
    return keys.map((k) => ({ kid: k.kid as string, privateKeyPem: sealer.open(k.kid, k.sealedPrivateKey), publicJwk: k.publicJwk }));
  } finally {
    await db.close();
  }
}

/** Rotates the users subgraph's signing key the way the subgraph does on schedule. */
export async function rotateSigningKey(env: Record<string, string>) {
  const db = mongoose.createConnection(env.MONGO_URL, { dbName: `${env.DB_PREFIX}users`, retryWrites: false });
  await db.asPromise();
  try {
    await signingKeys(signingKeyModel(db), { rotateAfterDays: 30, tokenTtlSeconds: 900, secret: env.SIGNING_KEY_SECRET ?? env.SERVICE_TOKEN }).rotate();
  } finally {
    await db.close();
  }
}

/** A fresh RSA key pair that the shop has never seen. */
export function strangerKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
