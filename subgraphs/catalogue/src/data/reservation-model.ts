import { Schema, type Connection } from 'mongoose';

/** What one order took from the stock; its unique orderId makes reserve and release idempotent. */
const reservationSchema = new Schema({
  orderId: { type: String, required: true, unique: true },
  status: { type: String, enum: ['PENDING', 'RESERVED', 'FAILED', 'RELEASED'], required: true },
  lines: [
    new Schema(
      { productId: String, quantity: Number, unitPriceCents: Number, currency: String, name: String },
      { _id: false },
    ),
  ],
  createdAt: { type: Date, default: () => new Date() },
});

export const reservationModel = (db: Connection) => db.model('Reservation', reservationSchema, 'reservations');
export type ReservationModel = ReturnType<typeof reservationModel>;
