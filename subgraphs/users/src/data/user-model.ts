import { Schema, type Connection, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { outboxField } from '@shop/kernel';

const userSchema = new Schema({
  /** Stored lower-cased, so the unique index makes emails unique case-insensitively. */
  email: { type: String, required: true, unique: true },
  passwordHash: { type: String, required: true },
  name: { type: String, required: true },
  role: { type: String, enum: ['CUSTOMER', 'ADMIN'], required: true, default: 'CUSTOMER' },
  marketingOptIn: { type: Boolean, default: false },
  locale: { type: String, default: 'en' },
  phone: { type: String },
  /** Counts preference changes: user.preferences_changed carries it, so consumers skip older ones. */
  preferencesRevision: { type: Number, default: 0 },
  createdAt: { type: Date, default: () => new Date() },
  outbox: outboxField,
});

export type UserDoc = HydratedDocument<InferSchemaType<typeof userSchema>>;

export const userModel = (db: Connection) => db.model('User', userSchema, 'users');
export type UserModel = ReturnType<typeof userModel>;
