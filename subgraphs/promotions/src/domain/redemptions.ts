import { badInput, createEvent, isDuplicateKey, notFound, op, type OutboxRelay } from '@shop/kernel';
import type { CustomerUseModel, PromotionModel, RedemptionModel } from '../data/promotion-model';
import { checkNewPromotion, discountFor, normaliseCode, refusalFor, refuse, type NewPromotion } from './rules';

export interface RedeemRequest {
  code: string;
  orderId: string;
  customerId: string;
  subtotalCents: number;
  currency: string;
}

export function promotionsDesk(promotions: PromotionModel, redemptions: RedemptionModel, uses: CustomerUseModel, relay: OutboxRelay) {
  const useId = (promotionId: unknown, customerId: string) => `${String(promotionId)}:${customerId}`;

  /** One more use by this customer, unless they reached the limit: one conditional upsert. */
  async function countCustomerUse(promotionId: unknown, customerId: string, limit: number): Promise<boolean> {
    try {
      const counted = await uses.findOneAndUpdate(
        { _id: useId(promotionId, customerId), count: op({ $lt: limit }) },
        { $inc: { count: 1 } },
        { upsert: true, new: true },
      );
      return !!counted;
    } catch (err) {
      // At the limit, the filter matches nothing and the upsert collides with the existing count.
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
  const giveBackCustomerUse = (promotionId: unknown, customerId: string) =>
    uses.updateOne({ _id: useId(promotionId, customerId), count: op({ $gt: 0 }) }, { $inc: { count: -1 } });

  return {
    findByCode: (code: string) => promotions.findOne({ code: normaliseCode(code) }).exec(),

    async create(input: NewPromotion) {
      const doc = new promotions(checkNewPromotion(input));
      const created = createEvent('promotion.created', { promotionId: doc.id, code: doc.code, description: doc.description });
      doc.outbox.push(created);
      try {
        await doc.save();
      } catch (err) {
        throw isDuplicateKey(err) ? badInput(`${doc.code} already exists`, { field: 'code' }) : err;
      }
      void relay.flush(doc._id, [created]);
      return doc;
    },

    /** Counts one use for the order, atomically against the total limit; once per order. */
    async redeem(req: RedeemRequest) {
      const existing = await redemptions.findOne({ _id: req.orderId, status: 'ACTIVE' });
      if (existing) return { code: existing.code, discountCents: existing.discountCents };
      const promotion = await promotions.findOne({ code: normaliseCode(req.code) });
      if (!promotion) throw refuse('UNKNOWN', `${req.code} is not a valid code`);
      const refusal = refusalFor(promotion, req.subtotalCents, req.currency);
      if (refusal) throw refusal;
      const perCustomer = promotion.perCustomerLimit != null;
      if (perCustomer && !(await countCustomerUse(promotion._id, req.customerId, promotion.perCustomerLimit!)))
        throw refuse('CUSTOMER_LIMIT', `You have already used ${promotion.code}`);
      // The limit is held by one conditional update: never more uses than maxRedemptions.
      const limited = promotion.remaining != null;
      const counted = await promotions.findOneAndUpdate(
        limited ? { _id: promotion._id, remaining: op({ $gt: 0 }) } : { _id: promotion._id },
        { $inc: limited ? { remaining: -1, redemptionCount: 1 } : { redemptionCount: 1 } },
      );
      if (!counted) {
        if (perCustomer) await giveBackCustomerUse(promotion._id, req.customerId);
        throw refuse('EXHAUSTED', `${promotion.code} has been used up`);
      }
      const discountCents = discountFor(promotion, req.subtotalCents);
      try {
        await redemptions.create({
          _id: req.orderId,
          orderId: req.orderId,
          promotionId: promotion.id,
          code: promotion.code,
          customerId: req.customerId,
          discountCents,
          status: 'ACTIVE',
        });
      } catch (err) {
        await giveBackUse(promotion._id, limited);
        if (perCustomer) await giveBackCustomerUse(promotion._id, req.customerId);
        if (!isDuplicateKey(err)) throw err;
        const first = await redemptions.findById(req.orderId);
        return { code: first!.code, discountCents: first!.discountCents };
      }
      return { code: promotion.code, discountCents };
    },

    /** Returns the order's use of its code, exactly once. */
    async release(orderId: string): Promise<boolean> {
      const redemption = await redemptions.findOneAndUpdate({ _id: orderId, status: 'ACTIVE' }, { $set: { status: 'RELEASED' } });
      if (!redemption) return false;
      const promotion = await promotions.findById(redemption.promotionId, { remaining: 1, perCustomerLimit: 1 });
      await giveBackUse(redemption.promotionId, promotion?.remaining != null);
      if (promotion?.perCustomerLimit != null) await giveBackCustomerUse(redemption.promotionId, redemption.customerId);
      return true;
    },

    /** Admin: the code stops being accepted; redemptions made stay. */
    async deactivate(code: string) {
      const promotion = await promotions.findOneAndUpdate({ code: normaliseCode(code) }, { $set: { enabled: false } }, { new: true });
      if (!promotion) throw notFound(`Promotion ${code}`);
      return promotion;
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
