import { Schema, type Connection } from 'mongoose';

/**
 * What one order takes from the stock, keyed by the order id (its _id, so every lookup is one
 * FerretDB answers without a scan), which makes reserve and release idempotent.
 * PENDING -> RESERVED | FAILED, RESERVED -> RELEASING -> RELEASED.
 */
const reservationSchema = new Schema({
  _id: { type: String, default: function (this: { orderId: string }) { return this.orderId; } },
  orderId: { type: String, required: true },
  status: { type: String, enum: ['PENDING', 'RESERVED', 'FAILED', 'RELEASING', 'RELEASED'], required: true },
  /** Incremented when a FAILED or RELEASED reservation is tried again; part of every mark. */
  attempt: { type: Number, default: 1 },
  /** What was asked for, written before any stock is touched, so a crash can be undone. */
  requested: [new Schema({ productId: String, quantity: Number }, { _id: false })],
  /** What was taken, priced, once RESERVED. */
  lines: [
    new Schema(
      { productId: String, quantity: Number, unitPriceCents: Number, currency: String, name: String },
      { _id: false },
    ),
  ],
  /** The attempts that reached RESERVED, each written with that status: proof of which write applied. */
  reservedAttempts: [Number],
  /** True once the marks of a settled (RESERVED or RELEASED) reservation were pulled from its products. */
  settled: { type: Boolean, default: false },
  /** Why a FAILED reservation failed, so a retried call gets the same answer. */
  failure: { type: Schema.Types.Mixed, default: null },
  updatedAt: { type: Date, default: () => new Date() },
  createdAt: { type: Date, default: () => new Date() },
});
reservationSchema.index({ status: 1, updatedAt: 1 });

export const reservationModel = (db: Connection) => db.model('Reservation', reservationSchema, 'reservations');
export type ReservationModel = ReturnType<typeof reservationModel>;
