import { isValidObjectId } from 'mongoose';
import { badInput, isDuplicateKey, notFound, withAccessPolicy } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { Context } from '../context';
import type { ProductDoc } from '../data/product-model';
import { checkNewProduct, checkProductChanges } from '../domain/product-rules';

/** Products by id, from the product cache, in the order given; one gone meanwhile is left out. */
async function productsOf(ctx: Context, ids: string[]): Promise<ProductDoc[]> {
  return (await ctx.productById.loadMany(ids)).filter((p): p is ProductDoc => !!p && !(p instanceof Error));
}

const resolverMap: Resolvers = {
  Query: {
    // Found, filtered and ordered in memory; what is shown comes from the product cache.
    async products(_, { first, after, filter, sort }, ctx) {
      const page = ctx.listing.page(filter, sort ?? 'NEWEST', first, after);
      const docs = await ctx.productById.loadMany(page.ids);
      const edges = page.ids.flatMap((_, i) => {
        const node = docs[i];
        return node && !(node instanceof Error) ? [{ node, cursor: page.cursors[i] }] : [];
      });
      return {
        totalCount: page.totalCount,
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
        categories: page.categories,
      };
    },
    product: (_, { id }, ctx) => ctx.productById.load(id),
    popularProducts: async (_, { first }, ctx) => productsOf(ctx, ctx.listing.page(null, 'POPULAR', first).ids),
  },
  Mutation: {
    async createProduct(_, { input }, ctx) {
      const created = await ctx.products.create(checkNewProduct(input)).catch((err) => {
        throw isDuplicateKey(err) ? badInput(`SKU ${input.sku} already exists`, { field: 'sku' }) : err;
      });
      const doc = created.toObject() as ProductDoc;
      await ctx.changed([doc]);
      return doc;
    },
    async updateProduct(_, { id, input }, ctx) {
      const changes = checkProductChanges(input);
      const updated = isValidObjectId(id) ? await ctx.products.findByIdAndUpdate(id, { $set: changes, $inc: { rev: 1 } }, { new: true }).lean<ProductDoc>() : null;
      if (!updated) throw notFound(`Product ${id}`);
      await ctx.changed([updated]);
      return updated;
    },
    adjustStock: (_, { productId, delta }, ctx) => ctx.stock.adjust(productId, delta) as Promise<ProductDoc>,
    reserveStock: (_, { orderId, lines }, ctx) => ctx.stock.reserve(orderId, lines),
    releaseStock: (_, { orderId }, ctx) => ctx.stock.release(orderId),
  },
  Product: {
    __resolveReference: (ref, ctx) => ctx.productById.load(ref.id),
    id: (p) => String(p._id),
    price: (p) => ({ cents: p.priceCents, currency: p.currency }),
    inStock: (p) => p.stock > 0,
    createdAt: (p) => new Date(p.createdAt).toISOString(),
  },
};

export const resolvers = withAccessPolicy(resolverMap, {
  Mutation: {
    createProduct: 'admin',
    updateProduct: 'admin',
    adjustStock: 'admin',
    reserveStock: 'service',
    releaseStock: 'service',
  },
});
