/**
 * The contract's order operations: PlaceOrder, TrackOrder, CancelOrder, UpdateOrderStatus and the
 * OrderUpdated subscription, AllOrders. Places Ann's two orders (the first delivered, the second
 * cancelled) and Bob's one, which the account area then finds.
 */
import { isRecentIso } from '../../support/contract';
import { eventually } from '../../support/graphql';
import { connect, openSubscriptions, subscribe, type Connection } from '../../support/subscriptions';
import type { Contract, Product } from './context';

export function orders(ctx: Contract) {
  const { tag, TAG, startedAt, exercised, operation, typeCheck, run, ok, refused, productPage, money, byProductId, byProductName } = ctx;

  describe('orders', () => {
    const stockOf = async (p: Product) => (await productPage(p.id)).stock;

    it('PlaceOrder: stock is reserved, CHAT10 takes 10% off rounding down, the order is CONFIRMED', async () => {
      const [t, c] = [await productPage(ctx.teapot.id), await productPage(ctx.cup.id)];
      const variables = { items: [{ productId: ctx.teapot.id, quantity: 3 }, { productId: ctx.cup.id, quantity: 1 }], promoCode: 'chat10', idempotencyKey: `ann-${tag}-1` };
      const placed = ok(await run('PlaceOrder', variables, ctx.ann.token)).placeOrder;
      const subtotal = t.price.cents * 3 + c.price.cents;
      const discount = Math.floor(subtotal / 10);
      expect({ ...placed, items: byProductId(placed.items) }).toEqual({
        id: placed.id,
        number: placed.number,
        status: 'CONFIRMED',
        promoCode: 'CHAT10',
        items: byProductId([
          { quantity: 3, unitPrice: t.price, lineTotal: money(t.price.cents * 3), product: { id: ctx.teapot.id, name: t.name } },
          { quantity: 1, unitPrice: c.price, lineTotal: money(c.price.cents), product: { id: ctx.cup.id, name: c.name } },
        ]),
        subtotal: money(subtotal),
        discount: money(discount),
        total: money(subtotal - discount),
        createdAt: placed.createdAt,
      });
      expect(placed.number).toBeGreaterThanOrEqual(1);
      expect(isRecentIso(placed.createdAt, startedAt)).toBe(true);
      expect([await stockOf(ctx.teapot), await stockOf(ctx.cup)]).toEqual([t.stock - 3, c.stock - 1]);
      ctx.teapot.stock -= 3;
      ctx.cup.stock -= 1;
      ctx.first = placed;

      // The same key again: the same order, nothing more reserved.
      const again = ok(await run('PlaceOrder', variables, ctx.ann.token)).placeOrder;
      expect({ ...again, items: byProductId(again.items) }).toEqual({ ...placed, items: byProductId(placed.items) });
      expect([await stockOf(ctx.teapot), await stockOf(ctx.cup)]).toEqual([ctx.teapot.stock, ctx.cup.stock]);
    });

    it('PlaceOrder: each refusal has its code, keeps nothing and uses no order number', async () => {
      const teapotLine = (quantity: number) => ({ items: [{ productId: ctx.teapot.id, quantity }] });
      refused(await run('PlaceOrder', teapotLine(1)), 'UNAUTHENTICATED');
      refused(await run('PlaceOrder', { items: [{ productId: ctx.kettle.id, quantity: 1 }] }, ctx.ann.token), 'OUT_OF_STOCK', { productId: ctx.kettle.id, available: 0 });
      refused(await run('PlaceOrder', teapotLine(ctx.teapot.stock + 1), ctx.ann.token), 'OUT_OF_STOCK', { productId: ctx.teapot.id, available: ctx.teapot.stock });
      refused(await run('PlaceOrder', { ...teapotLine(1), promoCode: ctx.later }, ctx.ann.token), 'PROMO_CODE_INVALID', { reason: 'NOT_STARTED' });
      refused(await run('PlaceOrder', { ...teapotLine(1), promoCode: `NOPE-${TAG}` }, ctx.ann.token), 'PROMO_CODE_INVALID', { reason: 'UNKNOWN' });
      refused(await run('PlaceOrder', teapotLine(0), ctx.ann.token), 'BAD_USER_INPUT');
      refused(await run('PlaceOrder', { items: [{ productId: '000000000000000000000000', quantity: 1 }] }, ctx.ann.token), 'NOT_FOUND');
      expect([await stockOf(ctx.teapot), await stockOf(ctx.kettle)]).toEqual([ctx.teapot.stock, 0]);
    });

    it('PlaceOrder: numbers go up by one; an amount-off code is used up by its one use', async () => {
      const price = (await productPage(ctx.teapot.id)).price;
      const plain = ok(await run('PlaceOrder', { items: [{ productId: ctx.teapot.id, quantity: 1 }] }, ctx.ann.token)).placeOrder;
      expect(plain).toEqual({
        id: plain.id,
        number: ctx.first.number + 1,
        status: 'CONFIRMED',
        promoCode: null,
        items: [{ quantity: 1, unitPrice: price, lineTotal: price, product: { id: ctx.teapot.id, name: ctx.teapot.name } }],
        subtotal: price,
        discount: money(0),
        total: price,
        createdAt: plain.createdAt,
      });
      expect(isRecentIso(plain.createdAt, Date.parse(ctx.first.createdAt))).toBe(true);
      ctx.teapot.stock -= 1;
      ctx.second = plain;

      const cupPrice = (await productPage(ctx.cup.id)).price;
      const withCode = ok(await run('PlaceOrder', { items: [{ productId: ctx.cup.id, quantity: 1 }], promoCode: ctx.once.toLowerCase() }, ctx.bob.token)).placeOrder;
      expect(withCode).toEqual({
        id: withCode.id,
        number: ctx.first.number + 2,
        status: 'CONFIRMED',
        promoCode: ctx.once,
        items: [{ quantity: 1, unitPrice: cupPrice, lineTotal: cupPrice, product: { id: ctx.cup.id, name: ctx.cup.name } }],
        subtotal: cupPrice,
        discount: money(300),
        total: money(cupPrice.cents - 300),
        createdAt: withCode.createdAt,
      });
      ctx.cup.stock -= 1;
      ctx.bobs = withCode;
      expect([await stockOf(ctx.teapot), await stockOf(ctx.cup)]).toEqual([ctx.teapot.stock, ctx.cup.stock]);

      expect(ok(await run('PromotionByCode', { code: ctx.once })).promotion).toMatchObject({ code: ctx.once, active: false });
      refused(await run('PlaceOrder', { items: [{ productId: ctx.cup.id, quantity: 1 }], promoCode: ctx.once }, ctx.ann.token), 'PROMO_CODE_INVALID', { reason: 'EXHAUSTED' });
      expect(await stockOf(ctx.cup)).toBe(ctx.cup.stock);
    });

    it('TrackOrder: the owner and admins see the order; someone else FORBIDDEN; the visitor UNAUTHENTICATED', async () => {
      const expected = {
        id: ctx.first.id,
        number: ctx.first.number,
        status: 'CONFIRMED',
        statusHistory: [{ status: 'CONFIRMED', at: ctx.first.createdAt }],
        items: byProductId([
          { quantity: 3, product: { id: ctx.teapot.id, name: ctx.teapot.name } },
          { quantity: 1, product: { id: ctx.cup.id, name: ctx.cup.name } },
        ]),
        total: ctx.first.total,
        customer: { id: ctx.ann.id, email: ctx.ann.email },
      };
      for (const token of [ctx.ann.token, ctx.admin.token]) {
        const { order } = ok(await run('TrackOrder', { id: ctx.first.id }, token));
        expect({ ...order, items: byProductId(order.items) }).toEqual(expected);
      }
      refused(await run('TrackOrder', { id: ctx.first.id }, ctx.bob.token), 'FORBIDDEN');
      refused(await run('TrackOrder', { id: ctx.first.id }), 'UNAUTHENTICATED');
      expect(ok(await run('TrackOrder', { id: '000000000000000000000000' }, ctx.ann.token))).toEqual({ order: null });
    });

    it('CancelOrder: the owner cancels, the stock comes back; someone else FORBIDDEN; twice BAD_USER_INPUT', async () => {
      refused(await run('CancelOrder', { id: ctx.second.id }, ctx.bob.token), 'FORBIDDEN');
      refused(await run('CancelOrder', { id: ctx.second.id }), 'UNAUTHENTICATED');
      expect(ok(await run('TrackOrder', { id: ctx.second.id }, ctx.ann.token)).order.status).toBe('CONFIRMED');

      expect(ok(await run('CancelOrder', { id: ctx.second.id }, ctx.ann.token))).toEqual({ cancelOrder: { id: ctx.second.id, status: 'CANCELLED' } });
      ctx.teapot.stock += 1;
      expect(await stockOf(ctx.teapot)).toBe(ctx.teapot.stock);
      refused(await run('CancelOrder', { id: ctx.second.id }, ctx.ann.token), 'BAD_USER_INPUT');
      refused(await run('CancelOrder', { id: '000000000000000000000000' }, ctx.ann.token), 'NOT_FOUND');

      const { order } = ok(await run('TrackOrder', { id: ctx.second.id }, ctx.ann.token));
      expect(order.statusHistory.map((c: any) => c.status)).toEqual(['CONFIRMED', 'CANCELLED']);
      expect(order.statusHistory[0].at).toBe(ctx.second.createdAt);
      expect(isRecentIso(order.statusHistory[1].at, Date.parse(ctx.second.createdAt))).toBe(true);
      expect({ status: order.status, number: order.number, total: order.total }).toEqual({ status: 'CANCELLED', number: ctx.second.number, total: ctx.second.total });
    });

    describe('live tracking', () => {
      const connections: Connection[] = [];
      const open = (token?: string) => {
        const connection = connect(ctx.url, token);
        connections.push(connection);
        return connection.client;
      };
      const live = (n: number) => eventually(async () => ((await openSubscriptions(ctx.url)) === n ? true : undefined));
      afterAll(async () => {
        for (const { client } of connections.splice(0)) await client.dispose();
      });

      it('UpdateOrderStatus and OrderUpdated: SHIPPED then DELIVERED reach the owner and admins, with product names; others are refused', async () => {
        const op = operation('OrderUpdated');
        const owner = subscribe(open(ctx.ann.token), op.text, { id: ctx.first.id });
        const staff = subscribe(open(ctx.admin.token), op.text, { id: ctx.first.id });
        const other = subscribe(open(ctx.bob.token), op.text, { id: ctx.first.id });
        const visitor = subscribe(open(), op.text, { id: ctx.first.id });
        exercised.add(op.name);
        await eventually(async () => (other.errors && visitor.errors ? true : undefined));
        expect([other, visitor].map((s) => s.errors?.map((e) => e.extensions?.code))).toEqual([['FORBIDDEN'], ['UNAUTHENTICATED']]);
        await live(2);

        const shipped = ok(await run('UpdateOrderStatus', { id: ctx.first.id, status: 'SHIPPED' }, ctx.admin.token)).updateOrderStatus;
        expect(shipped).toEqual({ id: ctx.first.id, status: 'SHIPPED', statusHistory: [{ status: 'CONFIRMED', at: ctx.first.createdAt }, shipped.statusHistory[1]] });
        expect(shipped.statusHistory[1].status).toBe('SHIPPED');
        expect(isRecentIso(shipped.statusHistory[1].at, Date.parse(ctx.first.createdAt))).toBe(true);
        await eventually(async () => (owner.events.length && staff.events.length ? true : undefined));

        const delivered = ok(await run('UpdateOrderStatus', { id: ctx.first.id, status: 'DELIVERED' }, ctx.admin.token)).updateOrderStatus;
        expect(delivered.statusHistory.slice(0, 2)).toEqual(shipped.statusHistory);
        expect(delivered).toEqual({ id: ctx.first.id, status: 'DELIVERED', statusHistory: [...shipped.statusHistory, { status: 'DELIVERED', at: delivered.statusHistory[2].at }] });
        expect(isRecentIso(delivered.statusHistory[2].at, Date.parse(shipped.statusHistory[1].at))).toBe(true);
        await eventually(async () => (owner.events.length >= 2 && staff.events.length >= 2 ? true : undefined));

        const items = byProductName([
          { quantity: 3, product: { name: ctx.teapot.name } },
          { quantity: 1, product: { name: ctx.cup.name } },
        ]);
        for (const sub of [owner, staff]) {
          expect(sub.errors).toBeUndefined();
          for (const event of sub.events) typeCheck(op, (event as any).data, { id: ctx.first.id });
          expect(sub.events.map((e: any) => ({ ...e.data.orderUpdated, items: byProductName(e.data.orderUpdated.items) }))).toEqual([
            { id: ctx.first.id, number: ctx.first.number, status: 'SHIPPED', items },
            { id: ctx.first.id, number: ctx.first.number, status: 'DELIVERED', items },
          ]);
        }
        expect([other.events, visitor.events]).toEqual([[], []]);
        owner.dispose();
        staff.dispose();
        await live(0);
      });
    });

    it('UpdateOrderStatus: any other transition is BAD_USER_INPUT; a customer FORBIDDEN; the visitor UNAUTHENTICATED', async () => {
      refused(await run('UpdateOrderStatus', { id: ctx.first.id, status: 'SHIPPED' }, ctx.admin.token), 'BAD_USER_INPUT');
      refused(await run('UpdateOrderStatus', { id: ctx.second.id, status: 'SHIPPED' }, ctx.admin.token), 'BAD_USER_INPUT');
      refused(await run('CancelOrder', { id: ctx.first.id }, ctx.ann.token), 'BAD_USER_INPUT');
      refused(await run('UpdateOrderStatus', { id: ctx.bobs.id, status: 'SHIPPED' }, ctx.bob.token), 'FORBIDDEN');
      refused(await run('UpdateOrderStatus', { id: ctx.bobs.id, status: 'SHIPPED' }), 'UNAUTHENTICATED');
      refused(await run('UpdateOrderStatus', { id: '000000000000000000000000', status: 'SHIPPED' }, ctx.admin.token), 'NOT_FOUND');
      expect(ok(await run('TrackOrder', { id: ctx.first.id }, ctx.ann.token)).order.status).toBe('DELIVERED');
      expect(ok(await run('TrackOrder', { id: ctx.bobs.id }, ctx.bob.token)).order.status).toBe('CONFIRMED');
    });

    it('AllOrders: an admin pages through every order, newest first, with customer and total; filters by status', async () => {
      const all = [
        { id: ctx.bobs.id, number: ctx.bobs.number, status: 'CONFIRMED', customer: { id: ctx.bob.id, email: ctx.bob.email }, total: ctx.bobs.total },
        { id: ctx.second.id, number: ctx.second.number, status: 'CANCELLED', customer: { id: ctx.ann.id, email: ctx.ann.email }, total: ctx.second.total },
        { id: ctx.first.id, number: ctx.first.number, status: 'DELIVERED', customer: { id: ctx.ann.id, email: ctx.ann.email }, total: ctx.first.total },
      ];
      const page1 = ok(await run('AllOrders', { first: 2 }, ctx.admin.token)).orders;
      expect(page1.totalCount).toBe(3);
      expect(page1.edges.map((e: any) => e.node)).toEqual(all.slice(0, 2));
      expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: expect.any(String) });
      const page2 = ok(await run('AllOrders', { first: 2, after: page1.pageInfo.endCursor }, ctx.admin.token)).orders;
      expect(page2.totalCount).toBe(3);
      expect(page2.edges.map((e: any) => e.node)).toEqual(all.slice(2));
      expect(page2.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
      expect(page2.pageInfo.endCursor).not.toBe(page1.pageInfo.endCursor);

      const cancelled = ok(await run('AllOrders', { status: 'CANCELLED' }, ctx.admin.token)).orders;
      expect(cancelled.totalCount).toBe(1);
      expect(cancelled.edges.map((e: any) => e.node)).toEqual([all[1]]);
      expect(cancelled.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
      expect(ok(await run('AllOrders', { status: 'SHIPPED' }, ctx.admin.token)).orders).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });

      refused(await run('AllOrders', { first: 2 }, ctx.ann.token), 'FORBIDDEN');
      refused(await run('AllOrders', { first: 2 }), 'UNAUTHENTICATED');
    });
  });
}
