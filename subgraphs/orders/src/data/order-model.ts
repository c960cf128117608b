import { Schema, type Connection, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { outboxField } from '@shop/kernel';

const lineSchema = new Schema(
  {
    productId: { type: String, required: true },
    /** Name and price are frozen at order time: the order says what was bought, at what price. */
    name: { type: String, required: true },
    quantity: { type: Number, required: true },
    unitPriceCents: { type: Number, required: true },
  },
  { _id: false },
);

const statusChangeSchema = new Schema({ status: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false });

const orderSchema = new Schema({
  number: { type: Number, required: true, unique: true },
  customerId: { type: String, required: true },
  /** The client's key, or the order's own id when none was sent, so the unique index always applies. */
  idempotencyKey: { type: String, required: true },
  status: { type: String, enum: ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'], required: true },
  statusHistory: { type: [statusChangeSchema], default: [] },
  promoCode: { type: String, default: null },
  items: { type: [lineSchema], required: true },
  currency: { type: String, required: true },
  subtotalCents: { type: Number, required: true },
  discountCents: { type: Number, required: true },
  totalCents: { type: Number, required: true },
  createdAt: { type: Date, required: true, default: () => new Date() },
  outbox: outboxField,
});
orderSchema.index({ customerId: 1, idempotencyKey: 1 }, { unique: true });
orderSchema.index({ customerId: 1, number: -1 });
orderSchema.index({ status: 1, number: -1 });

export type OrderDoc = HydratedDocument<InferSchemaType<typeof orderSchema>>;
type OrderData = InferSchemaType<typeof orderSchema>;
export type OrderLineData = InferSchemaType<typeof lineSchema>;
export type StatusChangeData = InferSchemaType<typeof statusChangeSchema>;
/** An order as the resolvers read it: a document, or a plain copy from a cache (customer-orders.ts). */
export type OrderView = Omit<OrderData, 'items' | 'statusHistory' | 'outbox'> & { _id: unknown; items: OrderLineData[]; statusHistory: StatusChangeData[] };

export const orderModel = (db: Connection) => db.model('Order', orderSchema, 'orders');
export type OrderModel = ReturnType<typeof orderModel>;

/** Atomic sequences ({ _id: name, seq }), for order numbers. */
const counterSchema = new Schema({ _id: String, seq: Number }, { versionKey: false });
export const counterModel = (db: Connection) => db.model('Counter', counterSchema, 'counters');
export type CounterModel = ReturnType<typeof counterModel>;

/**
 * One checkout per idempotency key: the first request claims it (unique _id = the order id)
 * and runs the saga; concurrent ones wait for its outcome instead of running their own.
 */
const checkoutSchema = new Schema(
  {
    _id: String,
    state: { type: String, enum: ['PLACING', 'FAILED'], required: true },
    failure: { type: Schema.Types.Mixed, default: null },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const checkoutModel = (db: Connection) => db.model('Checkout', checkoutSchema, 'checkouts');
export type CheckoutModel = ReturnType<typeof checkoutModel>;

/**
 * The undo journal, one entry per order id: written before a checkout reserves anything and
 * before a cancel, deleted once the step is settled. An entry still here at `dueAt` belongs to
 * a step that failed to undo, or to a process that died: it is undone then, unless an order
 * that keeps the goods exists (stored and not cancelled).
 */
const compensationSchema = new Schema(
  {
    _id: String,
    releaseStock: { type: Boolean, required: true },
    releaseRedemption: { type: Boolean, required: true },
    dueAt: { type: Date, required: true, default: () => new Date() },
    attempts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
  },
  { versionKey: false },
);
export const compensationModel = (db: Connection) => db.model('Compensation', compensationSchema, 'compensations');
export type CompensationModel = ReturnType<typeof compensationModel>;
