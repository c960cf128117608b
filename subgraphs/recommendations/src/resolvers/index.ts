import { badInput, withAccessPolicy } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';
import { forCustomer, forProduct, MAX_RECOMMENDATIONS } from '../domain/recommender';

const asProducts = (ids: string[]) => ids.map((id) => ({ id }));

function checkFirst(first: number | null | undefined): number {
  const n = first ?? 4;
  if (!Number.isInteger(n) || n < 1 || n > MAX_RECOMMENDATIONS) throw badInput(`first must be between 1 and ${MAX_RECOMMENDATIONS}`, { field: 'first' });
  return n;
}

const resolverMap: Resolvers = {
  Product: {
    recommendations: async (product, { first }, ctx) => asProducts(await forProduct(ctx, product, checkFirst(first))),
  },
  User: {
    recommendations: async (user, { first }, ctx) => asProducts(await forCustomer(ctx, user.id, checkFirst(first))),
  },
};

export const resolvers = withAccessPolicy(resolverMap, {
  User: { recommendations: 'self' },
});
