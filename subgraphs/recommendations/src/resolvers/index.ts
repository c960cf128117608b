import { assertOwnerOrAdmin, badInput } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';
import { forCustomer, forProduct } from '../domain/recommender';

const asProducts = (ids: string[]) => ids.map((id) => ({ id }));

function checkFirst(first: number | null | undefined): number {
  const n = first ?? 4;
  if (n < 1 || n > 20) throw badInput('first must be between 1 and 20', { field: 'first' });
  return n;
}

export const resolvers: Resolvers = {
  Product: {
    recommendations: async (product, { first }, ctx) => asProducts(await forProduct(ctx, product, checkFirst(first))),
  },
  User: {
    async recommendations(user, { first }, ctx) {
      assertOwnerOrAdmin(ctx, user.id);
      return asProducts(await forCustomer(ctx, user.id, checkFirst(first)));
    },
  },
};
