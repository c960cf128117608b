/**
 * The checkout saga's undo against the real database, with the other subgraphs scripted:
 * an undo that cannot run now is stored and retried until it has run once, and a process that
 * dies mid-checkout or mid-cancel has its steps undone by the next one.
 */
import type { Connection } from 'mongoose';
import { createLogger, ShopError } from '@shop/kernel';
import type { CatalogueClient } from '../src/clients/catalogue';
import type { PromotionsClient } from '../src/clients/promotions';
import { checkoutModel, compensationModel, counterModel, orderModel } from '../src/data/order-model';
import { CHECKOUT_DEADLINE_MS, orderDesk } from '../src/domain/checkout';
import { checkoutClaims } from '../src/domain/checkout-claims';
import { testDatabase } from '../../../test/support/database';

let db: Connection;
let drop: () => Promise<void>;
beforeAll(async () => ({ db, drop } = await testDatabase('compensation')));
afterAll(() => drop());

// Ids are ObjectIds, as the order.created event the desk builds requires.
const customer = { userId: '65f000000000000000000001', role: 'CUSTOMER' as const, email: 'u1@example.com' };
const productId = '65f0000000000000000000aa';

it('a release that fails while the catalogue is down is retried later, once', async () => {
  const calls: string[] = [];
  let catalogueUp = true;
  const catalogueCall = (op: string) => {
    calls.push(op);
    if (!catalogueUp) throw new ShopError('SERVICE_UNAVAILABLE', 'down');
  };
  const catalogue: CatalogueClient = {
    reserveStock: async () => (catalogueCall('reserve'), [{ productId, name: 'Teapot', quantity: 1, unitPriceCents: 500, currency: 'EUR' }]),
    releaseStock: async () => (catalogueCall('release'), true),
  };
  const promotionsDown = async (): Promise<never> => {
    catalogueUp = false; // the catalogue goes down while promotions fails
    throw new ShopError('SERVICE_UNAVAILABLE', 'promotions down');
  };
  const promotions: PromotionsClient = { redeem: promotionsDown, release: promotionsDown };
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
    customerChanged: async () => undefined,
    logger: createLogger('test', 'silent'),
  });

  await expect(desk.place(customer, { items: [{ productId, quantity: 1 }], promoCode: 'CHAT10', idempotencyKey: 'k' })).rejects.toMatchObject({
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

it('a checkout retried while its last undo is pending journals anew over the entry, and keeps what it reserved', async () => {
  const calls: string[] = [];
  let up = false;
  const call = (op: string) => {
    calls.push(op);
    if (!up && op !== 'reserve') throw new ShopError('SERVICE_UNAVAILABLE', 'down');
  };
  const catalogue: CatalogueClient = {
    reserveStock: async () => (call('reserve'), [{ productId, name: 'Teapot', quantity: 1, unitPriceCents: 500, currency: 'EUR' }]),
    releaseStock: async () => (call('release'), true),
  };
  const promotions: PromotionsClient = {
    redeem: async () => (call('redeem'), { code: 'CHAT10', discountCents: 50 }),
    release: async () => (call('unredeem'), true),
  };
  const orders = orderModel(db);
  const compensations = compensationModel(db);
  const desk = deskOn({ calls, catalogue, promotions });
  const input = { items: [{ productId, quantity: 1 }], promoCode: 'CHAT10', idempotencyKey: 'retried-over-entry' };

  await expect(desk.place(customer, input)).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
  const orderId = String((await compensations.findOne({ releaseStock: true }).lean())?._id);
  expect(await compensations.countDocuments({ _id: orderId, releaseStock: true, releaseRedemption: false })).toBe(1);

  up = true;
  const order = await desk.place(customer, input);
  expect(order.id).toBe(orderId);
  expect(order.totalCents).toBe(450);
  expect(await orders.countDocuments({ _id: orderId, status: 'CONFIRMED' })).toBe(1);
  // The reservation is the order's now: nothing was given back, and the entry goes with the next second's.
  expect(await compensations.countDocuments({ _id: orderId, releaseRedemption: true })).toBe(1);
  await desk.dropSettled();
  expect(await compensations.countDocuments({ _id: orderId })).toBe(0);
  expect(calls).toEqual(['reserve', 'redeem', 'release', 'reserve', 'redeem']);
});

/** Services scripted per test: calls are recorded; a step named in `hang` never answers, as if our process died waiting. */
function scripted(hang: string[] = []) {
  const calls: string[] = [];
  const answer = <T>(op: string, value: T): Promise<T> => {
    calls.push(op);
    return hang.includes(op) ? new Promise<never>(() => undefined) : Promise.resolve(value);
  };
  const catalogue: CatalogueClient = {
    reserveStock: () => answer('reserve', [{ productId, name: 'Teapot', quantity: 1, unitPriceCents: 500, currency: 'EUR' }]),
    releaseStock: () => answer('release', true),
  };
  const promotions: PromotionsClient = {
    redeem: () => answer('redeem', { code: 'CHAT10', discountCents: 50 }),
    release: () => answer('unredeem', true),
  };
  return { calls, catalogue, promotions };
}

function deskOn(services: ReturnType<typeof scripted>, now: () => number = Date.now) {
  const orders = orderModel(db);
  return orderDesk({
    orders,
    counters: counterModel(db),
    catalogue: services.catalogue,
    promotions: services.promotions,
    claims: checkoutClaims(checkoutModel(db), orders),
    compensations: compensationModel(db),
    relay: { flush: async () => undefined, stop: () => undefined },
    customerChanged: async () => undefined,
    logger: createLogger('test', 'silent'),
    now,
  });
}

describe('the undo journal, when the process dies', () => {
  const later = () => Date.now() + CHECKOUT_DEADLINE_MS + 1000;
  const order = (key: string) => ({ items: [{ productId, quantity: 1 }], promoCode: 'CHAT10', idempotencyKey: key });

  it('undoes a checkout that died after reserving and redeeming, once its deadline has passed', async () => {
    const dying = scripted(['redeem']);
    void deskOn(dying).place(customer, order('dies-mid-checkout')); // never settles: the process is gone
    await new Promise((r) => setTimeout(r, 300));
    expect(dying.calls).toEqual(['reserve', 'redeem']);

    const next = scripted();
    await deskOn(next).retryCompensations(); // not due yet: the checkout may still be running
    expect(next.calls).toEqual([]);
    await deskOn(next, later).retryCompensations();
    expect(next.calls.sort()).toEqual(['release', 'unredeem']);
    await deskOn(next, later).retryCompensations();
    expect(next.calls).toHaveLength(2);
    expect(await orderModel(db).countDocuments({ customerId: customer.userId, idempotencyKey: 'dies-mid-checkout' })).toBe(0);
  });

  it('keeps what a stored order holds: its entry is dropped without undo', async () => {
    const services = scripted();
    const placed = await deskOn(services).place(customer, order('stored'));
    // The process dies before it clears the entry (dropSettled): the next one finds it when due.
    expect(await compensationModel(db).countDocuments({ _id: placed.id, releaseStock: true, releaseRedemption: true })).toBe(1);
    await deskOn(services, () => Date.now() + CHECKOUT_DEADLINE_MS + 1000).retryCompensations();
    expect(services.calls).toEqual(['reserve', 'redeem']);
    expect(await compensationModel(db).countDocuments({ _id: placed.id })).toBe(0);
  });

  it('clears the entries of stored orders together, but not the entry of a cancel made before', async () => {
    // The cancel dies waiting for its undo, after its status write: its entry must stay.
    const services = scripted(['release', 'unredeem']);
    const desk = deskOn(services);
    const [a, b] = await Promise.all([desk.place(customer, order('settled-a')), desk.place(customer, order('settled-b'))]);
    const entries = compensationModel(db);
    expect([await entries.countDocuments({ _id: a.id }), await entries.countDocuments({ _id: b.id })]).toEqual([1, 1]);
    void desk.transition(b, 'CANCELLED');
    await new Promise((r) => setTimeout(r, 300));
    expect((await orderModel(db).findById(b.id))!.status).toBe('CANCELLED');

    await desk.dropSettled();
    expect(await entries.countDocuments({ _id: a.id })).toBe(0);
    const left = await entries.findById(b.id).lean();
    expect(left).toMatchObject({ releaseStock: true, releaseRedemption: true });
    expect(left!.dueAt.getTime()).toBeGreaterThan(Date.now() + 20_000); // the cancel's 30 s, not the checkout's 3 min
    expect(left!.dueAt.getTime()).toBeLessThan(Date.now() + 40_000);
    await entries.deleteOne({ _id: b.id }); // not for the next test's journal run
  });

  it('gives back what a cancel that died after its write was taking back', async () => {
    const placed = await deskOn(scripted()).place(customer, order('cancel-dies'));
    const dying = scripted(['release', 'unredeem']);
    void deskOn(dying).transition(placed, 'CANCELLED');
    await new Promise((r) => setTimeout(r, 300));
    expect((await orderModel(db).findById(placed.id))!.status).toBe('CANCELLED');

    const next = scripted();
    await deskOn(next, () => Date.now() + 60_000).retryCompensations();
    expect(next.calls.sort()).toEqual(['release', 'unredeem']);
  });

  it('stores no order once the deadline is near: the journal will undo it', async () => {
    let clock = Date.now();
    const services = scripted();
    const { redeem } = services.promotions;
    services.promotions = {
      ...services.promotions,
      redeem: (input) => {
        clock += CHECKOUT_DEADLINE_MS; // the redemption took very long
        return redeem(input);
      },
    };
    await expect(deskOn(services, () => clock).place(customer, order('too-slow'))).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(services.calls.sort()).toEqual(['redeem', 'release', 'reserve', 'unredeem']);
    expect(await orderModel(db).countDocuments({ customerId: customer.userId, idempotencyKey: 'too-slow' })).toBe(0);
  });
});
