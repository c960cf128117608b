import { badInput, withAccessPolicy } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';
import { forCustomer, forProduct, MAX_RECOMMENDATIONS } from '../domain/recommender';

function checkFirst(first: number | null | undefined): number {
  const n = first ?? 4;
  if (!Number.isInteger(n) || n < 1 || n > MAX_RECOMMENDATIONS) throw badInput(`first must be between 1 and ${MAX_RECOMMENDATIONS}`, { field: 'first' });
  return n;
}

const resolverMap: Resolvers = {
  Product: {
    recommendations: (product, { first }, ctx) => forProduct(ctx, product, checkFirst(first)),
  },
  User: {
    recommendations: (user, { first }, ctx) => forCustomer(ctx, user.id, checkFirst(first)),
  },
};

export const resolvers = withAccessPolicy(resolverMap, {
  User: { recommendations: 'self' },
});
