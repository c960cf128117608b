import { Schema, type Connection } from 'mongoose';

/**
 * One refresh token. Tokens of one sign-in share a `family`; spending one makes the next.
 * Only a hash of the token is stored.
 */
const refreshTokenSchema = new Schema({
  tokenHash: { type: String, required: true, unique: true },
  family: { type: String, required: true, index: true },
  userId: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  spentAt: { type: Date, default: null },
  revokedAt: { type: Date, default: null },
});

export const refreshTokenModel = (db: Connection) => db.model('RefreshToken', refreshTokenSchema, 'refresh_tokens');
export type RefreshTokenModel = ReturnType<typeof refreshTokenModel>;
