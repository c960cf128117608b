import { isValidObjectId } from 'mongoose';
import { assertOwnerOrAdmin, findPage, notFound, requireUser, withAccessPolicy } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { Context } from '../context';
import type { OrderDoc } from '../data/order-model';
import { NEWEST } from '../data/customer-orders';
import { orderAsOf } from '../domain/status';

const money = (cents: number, currency: string) => ({ cents, currency });


/** The order if it exists and the caller may see it: FORBIDDEN for someone else's. */
async function visibleOrder(ctx: Context, id: string) {
  const order = isValidObjectId(id) ? await ctx.orders.findById(id) : null;
  if (order) assertOwnerOrAdmin(ctx, order.customerId);
  return order;
}

const resolverMap: Resolvers = {
  Query: {
    async order(_, { id }, ctx) {
      const order = await visibleOrder(ctx, id);
      const { asOf } = ctx;
      return order && asOf && asOf.orderId === order.id ? orderAsOf(order, asOf.status) : order;
    },
    orders: (_, { first, after, status }, ctx) => findPage<OrderDoc>(ctx.orders, status ? { status } : {}, NEWEST, { first, after }),
  },
  Mutation: {
    placeOrder: (_, { input }, ctx) => ctx.desk.place(requireUser(ctx), input),
    async cancelOrder(_, { id }, ctx) {
      const order = await visibleOrder(ctx, id);
      if (!order) throw notFound('Order');
      return ctx.desk.transition(order, 'CANCELLED');
    },
    async updateOrderStatus(_, { id, status }, ctx) {
      const order = await visibleOrder(ctx, id);
      if (!order) throw notFound('Order');
      return ctx.desk.transition(order, status);
    },
  },
  Order: {
    __resolveReference: (ref, ctx) => visibleOrder(ctx, ref.id),
    id: (order) => String(order._id),
    subtotal: (order) => money(order.subtotalCents, order.currency),
    discount: (order) => money(order.discountCents, order.currency),
    total: (order) => money(order.totalCents, order.currency),
    createdAt: (order) => order.createdAt.toISOString(),
    customer: (order) => ({ __typename: 'User', id: order.customerId }),
    // Line money needs the order's currency: lines are resolved with it attached.
    items: (order) => order.items.map((line) => Object.assign(line, { currency: order.currency })),
  },
  OrderItem: {
    // The name as reserved: read by the router only under placeOrder, which @provides it.
    product: (line) => ({ __typename: 'Product', id: line.productId, name: line.name }),
    unitPrice: (line) => money(line.unitPriceCents, (line as { currency?: string }).currency ?? 'EUR'),
    lineTotal: (line) => money(line.unitPriceCents * line.quantity, (line as { currency?: string }).currency ?? 'EUR'),
  },
  StatusChange: {
    at: (change) => change.at.toISOString(),
  },
  User: {
    orders: (user, { first, after }, ctx) => ctx.customerOrders.page(user.id, { first, after }),
  },
};

export const resolvers = withAccessPolicy(resolverMap, {
  Query: { orders: 'admin', order: 'user' },
  Mutation: { placeOrder: 'user', cancelOrder: 'user', updateOrderStatus: 'admin' },
  User: { orders: 'self' },
});
