import { withAccessPolicy } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';
import { isActive } from '../domain/rules';

const money = (cents: number | null | undefined, currency: string) => (cents == null ? null : { cents, currency });

const resolverMap: Resolvers = {
  Query: {
    promotion: (_, { code }, ctx) => ctx.desk.findByCode(code),
    promotions: (_, __, ctx) => ctx.promotions.find().sort({ createdAt: -1 }).exec(),
  },
  Mutation: {
    createPromotion: (_, { input }, ctx) => ctx.desk.create(input),
    deactivatePromotion: (_, { code }, ctx) => ctx.desk.deactivate(code),
    redeemPromotion: (_, { input }, ctx) => ctx.desk.redeem(input),
    releaseRedemption: (_, { orderId }, ctx) => ctx.desk.release(orderId),
  },
  Promotion: {
    __resolveReference: (ref, ctx) => ctx.promotions.findById(ref.id).exec(),
    id: (p) => p.id,
    amountOff: (p) => money(p.amountOffCents, p.currency ?? 'EUR'),
    minSubtotal: (p) => money(p.minSubtotalCents, p.currency ?? 'EUR'),
    active: (p) => isActive(p),
    startsAt: (p) => p.startsAt?.toISOString() ?? null,
    endsAt: (p) => p.endsAt?.toISOString() ?? null,
    redemptionCount: (p) => p.redemptionCount,
  },
};

export const resolvers = withAccessPolicy(resolverMap, {
  Query: { promotions: 'admin' },
  Promotion: { redemptionCount: 'admin' },
  Mutation: { createPromotion: 'admin', deactivatePromotion: 'admin', redeemPromotion: 'service', releaseRedemption: 'service' },
});
