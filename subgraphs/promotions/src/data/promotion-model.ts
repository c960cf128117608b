import { Schema, type Connection, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { outboxField } from '@shop/kernel';

const promotionSchema = new Schema({
  /** Stored upper-cased: the unique index makes codes unique case-insensitively. */
  code: { type: String, required: true, unique: true },
  description: { type: String, required: true },
  percentOff: { type: Number, default: null },
  amountOffCents: { type: Number, default: null },
  currency: { type: String, default: 'EUR' },
  startsAt: { type: Date, default: null },
  endsAt: { type: Date, default: null },
  maxRedemptions: { type: Number, default: null },
  /** maxRedemptions minus uses, or null when unlimited: the field the atomic redeem tests. */
  remaining: { type: Number, default: null },
  perCustomerLimit: { type: Number, default: null },
  minSubtotalCents: { type: Number, default: null },
  enabled: { type: Boolean, default: true },
  redemptionCount: { type: Number, default: 0 },
  createdAt: { type: Date, default: () => new Date() },
  outbox: outboxField,
});

export type PromotionDoc = HydratedDocument<InferSchemaType<typeof promotionSchema>>;
export const promotionModel = (db: Connection) => db.model('Promotion', promotionSchema, 'promotions');
export type PromotionModel = ReturnType<typeof promotionModel>;

/**
 * One use of a code by one order, keyed by the order id (its _id, so every lookup is one FerretDB
 * answers without a scan), which makes redeem and release idempotent.
 */
const redemptionSchema = new Schema({
  _id: { type: String, default: function (this: { orderId: string }) { return this.orderId; } },
  orderId: { type: String, required: true },
  promotionId: { type: String, required: true },
  code: { type: String, required: true },
  customerId: { type: String, required: true },
  discountCents: { type: Number, required: true },
  status: { type: String, enum: ['ACTIVE', 'RELEASED'], required: true },
  createdAt: { type: Date, default: () => new Date() },
});
redemptionSchema.index({ promotionId: 1, customerId: 1, status: 1 });

export const redemptionModel = (db: Connection) => db.model('Redemption', redemptionSchema, 'redemptions');
export type RedemptionModel = ReturnType<typeof redemptionModel>;

/** Uses of a code per customer ({ _id: `<promotionId>:<customerId>`, count }), held by one conditional update. */
const customerUseSchema = new Schema({ _id: String, count: { type: Number, default: 0 } }, { versionKey: false });
export const customerUseModel = (db: Connection) => db.model('CustomerUse', customerUseSchema, 'customer_uses');
export type CustomerUseModel = ReturnType<typeof customerUseModel>;
