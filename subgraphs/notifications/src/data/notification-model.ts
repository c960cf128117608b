import { Schema, type Connection, type HydratedDocument, type InferSchemaType } from 'mongoose';

const notificationSchema = new Schema({
  /** The event that caused it: one notification per event, recipient and channel. */
  eventId: { type: String, required: true },
  recipientId: { type: String, required: true },
  channel: { type: String, enum: ['EMAIL', 'SMS'], required: true },
  kind: { type: String, required: true },
  subject: { type: String, required: true },
  status: { type: String, enum: ['QUEUED', 'SENT', 'FAILED'], required: true },
  createdAt: { type: Date, required: true, default: () => new Date() },
  sentAt: { type: Date, default: null },
  /** When a delivery of the event took this notification to send it (a lease, see handlers). */
  claimedAt: { type: Date, default: null },
});
notificationSchema.index({ eventId: 1, recipientId: 1, channel: 1 }, { unique: true });
notificationSchema.index({ recipientId: 1, createdAt: -1, _id: -1 });

export type NotificationDoc = HydratedDocument<InferSchemaType<typeof notificationSchema>>;
/** A notification as the resolvers read it: a document, or a plain copy from a cache (recipient-notifications.ts). */
export type NotificationView = InferSchemaType<typeof notificationSchema> & { _id: unknown };
export const notificationModel = (db: Connection) => db.model('Notification', notificationSchema, 'notifications');
export type NotificationModel = ReturnType<typeof notificationModel>;

/** Our copy of what we need to reach a user, kept from user.registered and user.preferences_changed events. */
const recipientSchema = new Schema({
  _id: { type: String, required: true },
  email: { type: String, required: true },
  name: { type: String, required: true },
  locale: { type: String, default: 'en' },
  phone: { type: String, default: null },
  marketingOptIn: { type: Boolean, default: false },
  /** The revision of the last user.preferences_changed applied; absent before the first. */
  preferencesRevision: { type: Number },
});
export interface RecipientDoc {
  _id: string;
  email: string;
  name: string;
  locale: string;
  phone: string | null;
  marketingOptIn: boolean;
  preferencesRevision?: number;
}
export const recipientModel = (db: Connection) => db.model<RecipientDoc>('Recipient', recipientSchema, 'recipients');
export type RecipientModel = ReturnType<typeof recipientModel>;
