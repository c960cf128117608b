import { assertOwnerOrAdmin, badInput } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';

const asProducts = (ids: string[]) => ids.map((id) => ({ id }));

function checkFirst(first: number | null | undefined): number {
  const n = first ?? 4;
  if (n < 1 || n > 20) throw badInput('first must be between 1 and 20', { field: 'first' });
  return n;
}

export const resolvers: Resolvers = {
  Product: {
    // Until order history is learned (next issue), "others of its category" is the recommendation.
    async recommendations(product, { first }, ctx) {
      const n = checkFirst(first);
      if (!product.category) return [];
      const ids = await ctx.topOfCategory.load(product.category);
      return asProducts(ids.filter((id) => id !== product.id).slice(0, n));
    },
  },
  User: {
    async recommendations(user, { first }, ctx) {
      assertOwnerOrAdmin(ctx, user.id);
      return asProducts(await ctx.popular(checkFirst(first)));
    },
  },
};
