import { randomUUID } from 'node:crypto';
/** The event catalogue: what the publishers send passes, what a forger or a bug sends does not. */
import { Types } from 'mongoose';
import { createEvent, EVENTS, parseEvent, type EventData, type EventType } from '../src/events';

const objectId = () => new Types.ObjectId().toHexString();

// Samples built the way the publishers build their data (see each publisher).
const registered: EventData<'user.registered'> = {
  // users/src/domain/accounts.ts: the new document's id, a normalised email, a trimmed name.
  userId: objectId(),
  email: 'camille@example.com',
  name: 'Camille',
  locale: 'fr',
  phone: '+33600000000',
  marketingOptIn: true,
};
// orders/src/domain/checkout.ts, orderEventData().
const placed: EventData<'order.created'> = {
  orderId: objectId(),
  number: 42,
  customerId: objectId(),
  status: 'CONFIRMED',
  items: [
    { productId: objectId(), name: 'Théière', quantity: 2, unitPriceCents: 2500 },
    { productId: objectId(), name: 'Cups <set of 4>', quantity: 1, unitPriceCents: 999 },
  ],
  currency: 'EUR',
  subtotalCents: 5999,
  discountCents: 599,
  totalCents: 5400,
  promoCode: 'CHAT10',
  createdAt: new Date().toISOString(),
};
const SAMPLES: { [T in EventType]: EventData<T> } = {
  'user.registered': registered,
  // users/src/domain/preferences.ts, update().
  'user.preferences_changed': { userId: registered.userId, locale: 'fr', phone: null, marketingOptIn: true, revision: 2 },
  'order.created': placed,
  'order.status_changed': { ...placed, from: 'CONFIRMED', status: 'SHIPPED', history: ['CONFIRMED', 'SHIPPED'] },
  'order.cancelled': { ...placed, status: 'CANCELLED', promoCode: null, discountCents: 0, totalCents: 5999 },
  // promotions/src/domain/redemptions.ts, create().
  'promotion.created': { promotionId: objectId(), code: 'AUTUMN5', description: '5 € offerts' },
  // catalogue/src/data/product-changes.ts.
  'product.changed': { productIds: [objectId(), objectId()], source: randomUUID() },
};
const TYPES = Object.keys(EVENTS) as EventType[];

/** A message body as it arrives: JSON bytes. */
const body = (event: object) => Buffer.from(JSON.stringify(event));
const envelope = (data: unknown, changes: object = {}) => ({ ...createEvent('order.created', placed), data, ...changes });

describe('what the publishers send', () => {
  it.each(TYPES)('%s: created, then read back as it was sent', (type) => {
    const event = createEvent(type, SAMPLES[type]);
    expect(event).toMatchObject({ type, version: 1, data: SAMPLES[type] });
    expect(parseEvent(body(event))).toEqual({ event });
  });

  it('user.registered without a phone, as null or absent', () => {
    expect(createEvent('user.registered', { ...registered, phone: null }).data.phone).toBeNull();
    const { phone, ...withoutPhone } = registered;
    expect(parseEvent(body(createEvent('user.registered', withoutPhone))).error).toBeUndefined();
  });

  it('an event stored before the envelope had a version is version 1', () => {
    const { version, ...unversioned } = createEvent('order.created', placed);
    expect(parseEvent(unversioned).event?.version).toBe(1);
  });

  it('fields no schema knows are dropped, never handed on', () => {
    const event = envelope({ ...placed, $where: 'sleep(1000)' });
    expect(parseEvent(body(event)).event?.data).toEqual(placed);
  });
});

describe('a publisher that builds a bad payload fails loudly', () => {
  it('names the field', () => {
    expect(() => createEvent('order.created', { ...placed, totalCents: -1 })).toThrow(/invalid order\.created event: data\.totalCents/);
    expect(() => createEvent('user.registered', { ...registered, email: 'not an email' })).toThrow(/data\.email/);
    expect(() => createEvent('promotion.created', { ...SAMPLES['promotion.created'], description: 'x'.repeat(1001) })).toThrow(/data\.description/);
  });
});

describe('what a consumer refuses', () => {
  const refused = (message: unknown, accepted?: readonly EventType[]) => {
    const parsed = parseEvent(message, accepted);
    expect(parsed.event).toBeUndefined();
    return parsed.error;
  };

  it('a crafted id: the id names files and keys downstream', () => {
    expect(refused(body(envelope(placed, { id: '../../x' })))).toMatch(/^id: /);
    expect(refused(body(envelope(placed, { id: undefined })))).toMatch(/^id: /);
  });

  it('a forged user.registered that would redirect mail', () => {
    const forged = (data: object) => body({ ...createEvent('user.registered', registered), data: { ...registered, ...data } });
    expect(refused(forged({ email: 'victim@example.com\r\nBcc: thief@evil.test' }))).toMatch(/^data\.email: /);
    expect(refused(forged({ email: 'thief@evil' }))).toMatch(/^data\.email: /);
    expect(refused(forged({ userId: '../users/admin' }))).toMatch(/^data\.userId: /);
    expect(refused(forged({ phone: '../../etc/passwd' }))).toMatch(/^data\.phone: /);
    expect(refused(forged({ locale: 'de' }))).toMatch(/^data\.locale: /);
  });

  it('money and quantities that are not whole, non-negative 32-bit numbers', () => {
    expect(refused(body(envelope({ ...placed, subtotalCents: -5999 })))).toMatch(/^data\.subtotalCents: /);
    expect(refused(body(envelope({ ...placed, totalCents: 12.5 })))).toMatch(/^data\.totalCents: /);
    expect(refused(body(envelope({ ...placed, totalCents: 2 ** 31 })))).toMatch(/^data\.totalCents: /);
    const line = placed.items[0];
    expect(refused(body(envelope({ ...placed, items: [{ ...line, quantity: 0 }] })))).toMatch(/^data\.items\.0\.quantity: /);
    expect(refused(body(envelope({ ...placed, items: [{ ...line, productId: { $gt: '' } }] })))).toMatch(/^data\.items\.0\.productId: /);
    expect(refused(body(envelope({ ...placed, items: [] })))).toMatch(/^data\.items: /);
  });

  it('strings larger than any publisher writes', () => {
    const line = { ...placed.items[0], name: 'x'.repeat(100_000) };
    expect(refused(body(envelope({ ...placed, items: [line] })))).toMatch(/^data\.items\.0\.name: /);
    expect(refused(body(envelope({ ...placed, promoCode: 'A'.repeat(33) })))).toMatch(/^data\.promoCode: /);
    const promotion = { ...createEvent('promotion.created', SAMPLES['promotion.created']) };
    expect(refused(body({ ...promotion, data: { ...promotion.data, description: 'x'.repeat(1001) } }))).toMatch(/^data\.description: /);
  });

  it('an unknown type, version or status, and a type the reader does not take', () => {
    expect(refused(body(envelope(placed, { type: 'order.refunded' })))).toMatch(/^type: /);
    expect(refused(body(envelope(placed, { type: '__proto__' })))).toMatch(/^type: /);
    expect(refused(body(envelope(placed, { version: 2 })))).toMatch(/^version: /);
    expect(refused(body(envelope({ ...placed, status: 'LOST' })))).toMatch(/^data\.status: /);
    expect(refused(body(createEvent('order.created', placed)), ['order.status_changed'])).toBe('type: order.created is not taken here');
    const cancelled = createEvent('order.cancelled', SAMPLES['order.cancelled']);
    expect(refused(body({ ...cancelled, data: { ...cancelled.data, status: 'SHIPPED' } }))).toMatch(/^data\.status: /);
  });

  it('what is not an event at all', () => {
    expect(refused(Buffer.from('this is not an event'))).toBe('not JSON');
    expect(refused('null')).toBeDefined();
    expect(refused(body([1, 2]))).toBeDefined();
    expect(refused(body(envelope(placed, { occurredAt: 'yesterday' })))).toMatch(/^occurredAt: /);
    expect(refused(body(envelope(undefined)))).toMatch(/^data: /);
  });
});
