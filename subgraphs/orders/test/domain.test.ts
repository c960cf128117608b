import { orderIdFor } from '../src/domain/checkout';
import { checkItems, subtotalOf } from '../src/domain/pricing';
import { assertTransition, orderAsOf, type OrderStatus } from '../src/domain/status';
import { thrownCode } from '../../../test/support/graphql';

const STATUSES: OrderStatus[] = ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'];
const LEGAL = new Set(['CONFIRMED>SHIPPED', 'SHIPPED>DELIVERED', 'CONFIRMED>CANCELLED']);

describe('status transitions', () => {
  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
  it.each(pairs)('%s -> %s', (from, to) => {
    const attempt = () => assertTransition(from, to);
    if (LEGAL.has(`${from}>${to}`)) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
  });
});

describe('pricing', () => {
  const line = (unitPriceCents: number, quantity: number, currency = 'EUR') => ({ productId: 'p', name: 'n', unitPriceCents, quantity, currency });
  it('sums price times quantity', () => expect(subtotalOf([line(250, 2), line(1000, 1)])).toEqual({ subtotalCents: 1500, currency: 'EUR' }));
  it('refuses mixed currencies', () => expect(() => subtotalOf([line(1, 1), line(1, 1, 'USD')])).toThrow(/same currency/));
  it('refuses empty orders and quantities below 1', () => {
    expect(() => checkItems([])).toThrow(/at least one item/);
    expect(() => checkItems([{ productId: 'p', quantity: 0 }])).toThrow(/at least 1/);
    expect(() => checkItems([{ productId: 'p', quantity: 1.5 }])).toThrow(/at least 1/);
  });
  it('refuses an order whose total would not fit a GraphQL Int, instead of failing to answer it', () => {
    expect(subtotalOf([line(2 ** 31 - 2, 1), line(1, 1)]).subtotalCents).toBe(2 ** 31 - 1);
    expect(thrownCode(() => subtotalOf([line(2 ** 30, 2)]))).toBe('BAD_USER_INPUT');
    expect(thrownCode(() => subtotalOf([line(2 ** 30, 1), line(2 ** 30, 1)]))).toBe('BAD_USER_INPUT');
  });
});

describe('orderIdFor', () => {
  it('names the same order for the same customer and key, and another for anything else', () => {
    const id = orderIdFor('c1', 'k1').toHexString();
    expect(orderIdFor('c1', 'k1').toHexString()).toBe(id);
    expect(orderIdFor('c2', 'k1').toHexString()).not.toBe(id);
    expect(orderIdFor('c1', 'k2').toHexString()).not.toBe(id);
    expect(orderIdFor('c1', null).toHexString()).not.toBe(orderIdFor('c1', null).toHexString());
  });
});

describe('the order as of one of its changes', () => {
  const delivered = () => ({
    status: 'DELIVERED',
    statusHistory: [{ status: 'CONFIRMED' }, { status: 'SHIPPED' }, { status: 'DELIVERED' }],
  });

  it('has that status and the history up to it', () => {
    expect(orderAsOf(delivered(), 'SHIPPED')).toEqual({ status: 'SHIPPED', statusHistory: [{ status: 'CONFIRMED' }, { status: 'SHIPPED' }] });
    expect(orderAsOf(delivered(), 'DELIVERED')).toEqual(delivered());
  });

  it('is the order as it is for a status it never had', () => {
    expect(orderAsOf(delivered(), 'CANCELLED')).toEqual(delivered());
  });
});
