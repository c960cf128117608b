import { badInput, createEvent, isDuplicateKey, type OutboxRelay } from '@shop/kernel';
import type { PromotionModel, RedemptionModel } from '../data/promotion-model';
import { checkNewPromotion, discountFor, normaliseCode, refusalFor, refuse, type NewPromotion } from './rules';

export interface RedeemRequest {
  code: string;
  orderId: string;
  customerId: string;
  subtotalCents: number;
  currency: string;
}

export function promotionsDesk(promotions: PromotionModel, redemptions: RedemptionModel, relay: OutboxRelay) {
  return {
    findByCode: (code: string) => promotions.findOne({ code: normaliseCode(code) }).exec(),

    async create(input: NewPromotion) {
      const doc = new promotions(checkNewPromotion(input));
      doc.outbox.push(createEvent('promotion.created', { promotionId: doc.id, code: doc.code, description: doc.description }));
      try {
        await doc.save();
      } catch (err) {
        throw isDuplicateKey(err) ? badInput(`${doc.code} already exists`, { field: 'code' }) : err;
      }
      void relay.flush(doc._id);
      return doc;
    },

    /** Counts one use for the order, atomically against the total limit; once per order. */
    async redeem(req: RedeemRequest) {
      const existing = await redemptions.findOne({ orderId: req.orderId, status: 'ACTIVE' });
      if (existing) return { code: existing.code, discountCents: existing.discountCents };
      const promotion = await promotions.findOne({ code: normaliseCode(req.code) });
      if (!promotion) throw refuse('UNKNOWN', `${req.code} is not a valid code`);
      const refusal = refusalFor(promotion, req.subtotalCents);
      if (refusal) throw refusal;
      if (promotion.perCustomerLimit != null) {
        const used = await redemptions.countDocuments({ promotionId: promotion.id, customerId: req.customerId, status: 'ACTIVE' });
        if (used >= promotion.perCustomerLimit) throw refuse('CUSTOMER_LIMIT', `You have already used ${promotion.code}`);
      }
      // The limit is held by one conditional update: never more uses than maxRedemptions.
      const limited = promotion.remaining != null;
      const counted = await promotions.findOneAndUpdate(
        limited ? { _id: promotion._id, remaining: { $gt: 0 } } : { _id: promotion._id },
        { $inc: limited ? { remaining: -1, redemptionCount: 1 } : { redemptionCount: 1 } },
      );
      if (!counted) throw refuse('EXHAUSTED', `${promotion.code} has been used up`);
      const discountCents = discountFor(promotion, req.subtotalCents);
      try {
        await redemptions.create({
          orderId: req.orderId,
          promotionId: promotion.id,
          code: promotion.code,
          customerId: req.customerId,
          discountCents,
          status: 'ACTIVE',
        });
      } catch (err) {
        await giveBackUse(promotion._id, limited);
        if (!isDuplicateKey(err)) throw err;
        const first = await redemptions.findOne({ orderId: req.orderId });
        return { code: first!.code, discountCents: first!.discountCents };
      }
      return { code: promotion.code, discountCents };
    },

    /** Returns the order's use of its code, exactly once. */
    async release(orderId: string): Promise<boolean> {
      const redemption = await redemptions.findOneAndUpdate({ orderId, status: 'ACTIVE' }, { $set: { status: 'RELEASED' } });
      if (!redemption) return false;
      const promotion = await promotions.findById(redemption.promotionId, { remaining: 1 });
      await giveBackUse(redemption.promotionId, promotion?.remaining != null);
      return true;
    },

    /** CHAT10, the shop's standing welcome code, created only if absent. */
    async ensureDefaults() {
      if (await promotions.exists({ code: 'CHAT10' })) return;
      // A concurrent start may have created it first: that is fine.
      await this.create({ code: 'CHAT10', description: '10% off your order', percentOff: 10 }).catch(async (err) => {
        if (!(await promotions.exists({ code: 'CHAT10' }))) throw err;
      });
    },
  };

  function giveBackUse(promotionId: unknown, limited: boolean) {
    return promotions.updateOne({ _id: promotionId }, { $inc: limited ? { remaining: 1, redemptionCount: -1 } : { redemptionCount: -1 } });
  }
}

export type PromotionsDesk = ReturnType<typeof promotionsDesk>;
