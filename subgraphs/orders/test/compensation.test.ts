/**
 * The checkout saga's undo against the real database, with the other subgraphs scripted:
 * an undo that cannot run now is stored and retried until it has run once.
 */
import type { Connection } from 'mongoose';
import { createLogger, ShopError, type ServiceCall } from '@shop/kernel';
import { checkoutModel, compensationModel, counterModel, orderModel } from '../src/data/order-model';
import { orderDesk } from '../src/domain/checkout';
import { checkoutClaims } from '../src/domain/checkout-claims';
import { testDatabase } from '../../../test/support/database';

let db: Connection;
let drop: () => Promise<void>;
beforeAll(async () => ({ db, drop } = await testDatabase('compensation')));
afterAll(() => drop());

const customer = { userId: 'u1', role: 'CUSTOMER' as const, email: 'u1@example.com' };

it('a release that fails while the catalogue is down is retried later, once', async () => {
  const calls: string[] = [];
  let catalogueUp = true;
  const catalogue = (async (query: string) => {
    const op = query.includes('reserveStock') ? 'reserve' : 'release';
    calls.push(op);
    if (!catalogueUp) throw new ShopError('SERVICE_UNAVAILABLE', 'down');
    return op === 'reserve'
      ? { reserveStock: [{ productId: 'p', name: 'Teapot', quantity: 1, unitPriceCents: 500, currency: 'EUR' }] }
      : { releaseStock: true };
  }) as ServiceCall;
  const promotions = (async () => {
    catalogueUp = false; // the catalogue goes down while promotions fails
    throw new ShopError('SERVICE_UNAVAILABLE', 'promotions down');
  }) as ServiceCall;
  const orders = orderModel(db);
  const compensations = compensationModel(db);
  const desk = orderDesk({
    orders,
    counters: counterModel(db),
    catalogue,
    promotions,
    claims: checkoutClaims(checkoutModel(db), orders),
    compensations,
    relay: { flush: async () => undefined, stop: () => undefined },
    logger: createLogger('test', 'silent'),
  });

  await expect(desk.place(customer, { items: [{ productId: 'p', quantity: 1 }], promoCode: 'CHAT10', idempotencyKey: 'k' })).rejects.toMatchObject({
    extensions: { code: 'SERVICE_UNAVAILABLE' },
  });
  expect(await orders.countDocuments()).toBe(0);
  expect(await compensations.countDocuments({ releaseStock: true, releaseRedemption: false })).toBe(1);

  await desk.retryCompensations();
  expect(await compensations.countDocuments()).toBe(1);
  catalogueUp = true;
  await desk.retryCompensations();
  await desk.retryCompensations();
  expect(await compensations.countDocuments()).toBe(0);
  expect(calls).toEqual(['reserve', 'release', 'release', 'release']);
});
