import { badInput, withAccessPolicy } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';
import { forCustomer, forProduct } from '../domain/recommender';

const asProducts = (ids: string[]) => ids.map((id) => ({ id }));

function checkFirst(first: number | null | undefined): number {
  const n = first ?? 4;
  if (n < 1 || n > 20) throw badInput('first must be between 1 and 20', { field: 'first' });
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
