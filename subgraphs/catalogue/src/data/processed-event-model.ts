import { Schema, type Connection } from 'mongoose';

/** Events already applied, by id: redelivered events are skipped. */
const processedEventSchema = new Schema({ _id: String, type: String, at: { type: Date, default: () => new Date() } }, { versionKey: false });

export const processedEventModel = (db: Connection) => db.model('ProcessedEvent', processedEventSchema, 'processed_events');
export type ProcessedEventModel = ReturnType<typeof processedEventModel>;
