import { Schema, type Connection } from 'mongoose';

/**
 * A key pair that signs access tokens; its public half is published as a JWK, its private half
 * stored sealed (domain/key-sealing.ts). `privateKeyPem` is how keys were stored before: read
 * once at start, sealed, and removed.
 */
const signingKeySchema = new Schema({
  kid: { type: String, required: true, unique: true },
  sealedPrivateKey: { type: Schema.Types.Mixed },
  privateKeyPem: { type: String },
  publicJwk: { type: Schema.Types.Mixed, required: true },
  createdAt: { type: Date, required: true, default: () => new Date() },
});
signingKeySchema.index({ createdAt: -1 });

export const signingKeyModel = (db: Connection) => db.model('SigningKey', signingKeySchema, 'signing_keys');
export type SigningKeyModel = ReturnType<typeof signingKeyModel>;
