/**
 * Private signing keys at rest, against the real FerretDB: stored sealed (no PEM in the
 * document), keys stored in plain PEM by earlier versions sealed at start with the same key id
 * and key, and a changed secret answered by a new key rather than a failure.
 */
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Connection } from 'mongoose';
import { testDatabase } from '../../../test/support/database';
import { signingKeyModel } from '../src/data/signing-key-model';
import { signingKeys } from '../src/domain/signing-keys';

let db: Connection;
let drop: () => Promise<void>;
const SECRET = 'a-service-token-of-32-characters';

beforeAll(async () => {
  ({ db, drop } = await testDatabase('signing_keys'));
  await signingKeyModel(db).init();
});
afterAll(() => drop());
beforeEach(() => signingKeyModel(db).deleteMany({}));

const keysWith = (secret: string) => signingKeys(signingKeyModel(db), { rotateAfterDays: 30, tokenTtlSeconds: 900, secret });
const stored = () => db.collection('signing_keys').find().sort({ createdAt: -1 }).toArray();
const verify = (token: string, jwk: object) => jwt.verify(token, createPublicKey({ key: jwk as never, format: 'jwk' }), { algorithms: ['RS256'] });

it('a new key is stored sealed: no PEM in the document, and it signs tokens its published key verifies', async () => {
  const keys = keysWith(SECRET);
  expect(await keys.ensureCurrent()).toBe('none');
  const [doc] = await stored();
  const text = JSON.stringify(doc);
  expect(text).not.toMatch(/PRIVATE KEY|BEGIN|MII/);
  expect(doc.privateKeyPem).toBeUndefined();
  expect(doc.sealedPrivateKey).toEqual({ alg: 'A256GCM+HKDF-SHA256', salt: expect.any(String), iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });
  const { kid, privateKeyPem } = await keys.current();
  expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  const token = jwt.sign({ sub: 'u' }, privateKeyPem, { algorithm: 'RS256', keyid: kid });
  expect(verify(token, doc.publicJwk)).toMatchObject({ sub: 'u' });
  // The next start finds it current: nothing new.
  expect(await keysWith(SECRET).ensureCurrent()).toBeNull();
});

it('a key stored in plain PEM by an earlier version is sealed at start: same kid, same key, no PEM left', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await db.collection('signing_keys').insertOne({ kid, privateKeyPem: pem, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }, createdAt: new Date() });

  const keys = keysWith(SECRET);
  expect(await keys.ensureCurrent()).toBeNull();
  const docs = await stored();
  expect(docs).toHaveLength(1);
  expect(JSON.stringify(docs)).not.toMatch(/PRIVATE KEY|BEGIN/);
  expect(docs[0]).not.toHaveProperty('privateKeyPem');
  expect(await keys.current()).toEqual({ kid, privateKeyPem: pem });
  expect(await keys.sealPlainKeys()).toBe(0);
});

it('a changed secret cannot open the stored key: a new key signs, and the old one stays published for its tokens', async () => {
  await keysWith(SECRET).ensureCurrent();
  const old = await keysWith(SECRET).current();
  const oldToken = jwt.sign({ sub: 'u' }, old.privateKeyPem, { algorithm: 'RS256', keyid: old.kid, expiresIn: 600 });

  const keys = keysWith('another-secret-of-32-characters!');
  await expect(keys.current()).rejects.toThrow(/cannot be opened/);
  expect(await keys.ensureCurrent()).toBe('secret changed');
  const next = await keys.current();
  expect(next.kid).not.toBe(old.kid);
  const { keys: published } = await keys.jwks();
  expect(published.map((k: any) => k.kid)).toEqual([next.kid, old.kid]);
  expect(verify(oldToken, published[1] as object)).toMatchObject({ sub: 'u' });
});

it('a sealed key moved to another key id does not open', async () => {
  const keys = keysWith(SECRET);
  await keys.ensureCurrent();
  const [doc] = await stored();
  await db.collection('signing_keys').updateOne({ _id: doc._id }, { $set: { kid: 'another-kid' } });
  await expect(keysWith(SECRET).current()).rejects.toThrow(/cannot be opened/);
});
