import { isValidObjectId } from 'mongoose';
import { badInput, isDuplicateKey, notFound, pageSize, toConnection, withAccessPolicy } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { ProductDoc } from '../data/product-model';
import { pageQuery, SORTS } from '../domain/listing';
import { findByIds } from '../data/product-loader';
import { checkNewProduct, checkProductChanges } from '../domain/product-rules';

const resolverMap: Resolvers = {
  Query: {
    async products(_, { first, after, filter, sort }, ctx) {
      const size = pageSize(first);
      const order = sort ?? 'NEWEST';
      const { query, countQuery, sort: sortSpec } = pageQuery(filter, order, after);
      const load = async () => {
        const [docs, totalCount] = await Promise.all([
          ctx.products.find(query).sort(sortSpec).limit(size + 1).lean<ProductDoc[]>(),
          ctx.products.countDocuments(countQuery),
        ]);
        return { docs, totalCount };
      };
      // The storefront's landing page (first page, default order, no filter) comes from the cache.
      const isLandingPage = !after && order === 'NEWEST' && !filter;
      const { docs, totalCount } = isLandingPage
        ? await ctx.cache
            .list(
              'landing',
              String(size),
              async () => {
                const { docs: found, totalCount: count } = await load();
                return { ids: found.map((d) => String(d._id)), totalCount: count };
              },
              (ids) => findByIds(ctx.products, ids),
            )
            .then(({ products, totalCount: count }) => ({ docs: products, totalCount: count }))
        : await load();
      return toConnection(docs, size, totalCount, SORTS[order]);
    },
    product: (_, { id }, ctx) => ctx.productById.load(id),
    popularProducts: async (_, { first }, ctx) => {
      const size = pageSize(first);
      const loadIds = async () => {
        const top = await ctx.products.find({}, { _id: 1 }).sort({ unitsSold: -1, _id: -1 }).limit(size).lean();
        return { ids: top.map((p) => String(p._id)) };
      };
      return (await ctx.cache.list('popular', String(size), loadIds, (ids) => findByIds(ctx.products, ids))).products;
    },
  },
  Mutation: {
    async createProduct(_, { input }, ctx) {
      const created = await ctx.products.create(checkNewProduct(input)).catch((err) => {
        throw isDuplicateKey(err) ? badInput(`SKU ${input.sku} already exists`, { field: 'sku' }) : err;
      });
      // Both lists may now hold it: the newest first, and the popular one while few have sold.
      await Promise.all([ctx.cache.listChanged('landing'), ctx.cache.listChanged('popular')]);
      return created.toObject() as ProductDoc;
    },
    async updateProduct(_, { id, input }, ctx) {
      const changes = checkProductChanges(input);
      const updated = isValidObjectId(id) ? await ctx.products.findByIdAndUpdate(id, { $set: changes }, { new: true }).lean<ProductDoc>() : null;
      if (!updated) throw notFound(`Product ${id}`);
      await ctx.cache.productsChanged([id]);
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

