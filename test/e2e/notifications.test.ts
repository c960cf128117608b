/**
 * Notifications with real RabbitMQ and a real SMTP server on loopback: every event kind sends
 * its message once, poison and forged messages end in the dead-letter queue or change nothing,
 * a worker killed in the middle of a batch loses nothing and sends nothing twice, and a message
 * that can never be sent ends FAILED.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from 'rabbitmq-client';
import { createEvent, type EventData } from '@shop/kernel';
import type { Stack } from '../../scripts/stack';
import { eventually, gql } from '../support/graphql';
import { REFUSED_DOMAIN, startSmtp } from '../support/smtp';
import { shopNames, startTestStack } from '../support/stack';

let stack: Stack;
let env: Record<string, string>;
let url: string;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let admin: string;
let productId: string;

const SIGN_UP = `mutation($email: String!, $optIn: Boolean) {
  signUp(input: { email: $email, password: "long-enough-1", name: "Camille", marketingOptIn: $optIn, locale: "fr", phone: "+33600000000" }) { token user { id } }
}`;
const ORDER = `mutation($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 1 }] }) { id number } }`;
const STATUS = `mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { status } }`;
const NOTIFICATIONS = `{ me { notifications(first: 50) { totalCount edges { node { channel kind status subject } } } } }`;

const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
const sms = () => {
  const outbox = path.join(env.DATA_DIR, 'outbox');
  try {
    return readdirSync(outbox).filter((f) => f.endsWith('.sms')).map((f) => readFileSync(path.join(outbox, f), 'utf8'));
  } catch {
    return [];
  }
};
const settle = () => new Promise((r) => setTimeout(r, 1500));

beforeAll(async () => {
  smtp = await startSmtp();
  ({ stack, env } = await startTestStack('notify', { SMTP_URL: smtp.url }, { 'notifications-worker': { RETRY_DELAYS_MS: '300,600,1200,2400,4800,9600', NOTIFICATION_LEASE_MS: '3000' } }));
  url = stack.routerUrl;
  admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
  const input = { sku: `N-${Date.now()}`, name: 'Théière', description: 'Une théière', category: 'kitchen', priceCents: 2500, stock: 100 };
  productId = (await gql(url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, admin)).data.createProduct.id;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await smtp?.stop();
});

it('every event kind sends its message once, in the customer’s language, with SMS for status changes', async () => {
  const address = 'camille@example.com';
  const { token } = (await gql(url, SIGN_UP, { email: address, optIn: true })).data.signUp;
  await gql(url, SIGN_UP, { email: 'no-marketing@example.com', optIn: false });
  const shipped = (await gql(url, ORDER, { id: productId }, token)).data.placeOrder;
  await gql(url, STATUS, { id: shipped.id, status: 'SHIPPED' }, admin);
  await gql(url, STATUS, { id: shipped.id, status: 'DELIVERED' }, admin);
  const cancelled = (await gql(url, ORDER, { id: productId }, token)).data.placeOrder;
  await gql(url, `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: cancelled.id }, token);
  await gql(url, `mutation { createPromotion(input: { code: "AUTUMN5", description: "5 € offerts", amountOffCents: 500 }) { code } }`, {}, admin);

  const expected = [
    `Votre commande n°${shipped.number} est confirmée`,
    `Votre commande n°${shipped.number} est expédiée`,
    `Votre commande n°${shipped.number} est livrée`,
    `Votre commande n°${cancelled.number} est confirmée`,
    `Votre commande n°${cancelled.number} est annulée`,
    'Une nouvelle offre pour vous : AUTUMN5',
  ];
  // (CHAT10, seeded at start, may reach this opted-in customer too: not counted here.)
  const mine = () => mailsTo(address).filter((m) => !decodeSubject(m.raw).includes('CHAT10'));
  await eventually(async () => (mine().length >= expected.length ? true : undefined), 20_000, 100);
  await settle();
  expect(mine().map((m) => decodeSubject(m.raw)).sort()).toEqual([...expected].sort());
  expect(new Set(mine().map((m) => m.messageId)).size).toBe(expected.length);
  expect(mailsTo('no-marketing@example.com')).toHaveLength(0);
  const mail = mailsTo(address).find((m) => decodeSubject(m.raw).includes('est confirmée'))!;
  expect(mail.raw).toMatch(/Content-Type: text\/plain/);
  expect(mail.raw).toMatch(/Content-Type: text\/html/);
  expect(sms().filter((s) => s.includes('+33600000000'))).toHaveLength(3); // shipped, delivered, cancelled

  const listed = (await gql(url, NOTIFICATIONS, {}, token)).data.me.notifications.edges.filter((e: any) => !e.node.subject.includes('CHAT10'));
  expect(listed).toHaveLength(9); // six emails, three SMS
  expect(listed.every((e: any) => e.node.status === 'SENT')).toBe(true);
}, 60_000);

/** An order event's data for this customer, well-formed. */
const orderData = (customerId: string, number: number): EventData<'order.created'> => ({
  orderId: randomBytes(12).toString('hex'),
  number,
  customerId,
  status: 'CONFIRMED',
  items: [{ productId, name: 'Théière', quantity: 1, unitPriceCents: 2500 }],
  currency: 'EUR',
  subtotalCents: 2500,
  discountCents: 0,
  totalCents: 2500,
  promoCode: null,
  createdAt: new Date().toISOString(),
});

it('changed preferences (language, phone, marketing) are checked, shown back, and reach the next messages', async () => {
  const address = 'dominique@example.com';
  const { token } = (await gql(url, SIGN_UP, { email: address, optIn: true })).data.signUp;
  const ME = `{ me { marketingOptIn locale phone } }`;
  expect((await gql(url, ME, {}, token)).data.me).toEqual({ marketingOptIn: true, locale: 'fr', phone: '+33600000000' });
  const UPDATE = `mutation($input: PreferencesInput!) { updatePreferences(input: $input) { marketingOptIn locale phone } }`;

  // Refused, changing nothing: a language we do not write, a phone that is not E.164, no token.
  for (const input of [{ locale: 'de' }, { phone: '12' }, { locale: 'en', phone: '+0' }]) {
    const refused = await gql(url, UPDATE, { input }, token);
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }
  expect((await gql(url, UPDATE, { input: { locale: 'en' } })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect((await gql(url, ME, {}, token)).data.me).toEqual({ marketingOptIn: true, locale: 'fr', phone: '+33600000000' });

  const changed = await gql(url, UPDATE, { input: { locale: 'en', phone: '+44 7700 900123', marketingOptIn: false } }, token);
  expect(changed.data.updatePreferences).toEqual({ marketingOptIn: false, locale: 'en', phone: '+447700900123' });
  // A field left out keeps its value.
  expect((await gql(url, UPDATE, { input: {} }, token)).data.updatePreferences).toEqual({ marketingOptIn: false, locale: 'en', phone: '+447700900123' });
  expect((await gql(url, ME, {}, token)).data.me).toEqual({ marketingOptIn: false, locale: 'en', phone: '+447700900123' });
  await settle(); // the notifications worker applies user.preferences_changed from the queue

  const order = (await gql(url, ORDER, { id: productId }, token)).data.placeOrder;
  await gql(url, STATUS, { id: order.id, status: 'SHIPPED' }, admin);
  await gql(url, `mutation { createPromotion(input: { code: "WINTER5", description: "5 € off", amountOffCents: 500 }) { code } }`, {}, admin);
  const subjects = async () => mailsTo(address).map((m) => decodeSubject(m.raw));
  await eventually(async () => ((await subjects()).includes(`Your order #${order.number} is shipped`) ? true : undefined), 20_000, 100);
  await settle();
  expect((await subjects()).sort()).toEqual([`Your order #${order.number} is confirmed`, `Your order #${order.number} is shipped`].sort());
  expect(sms().filter((s) => s.includes('+447700900123'))).toHaveLength(1);

  // No phone any more: the next status change goes by email only.
  expect((await gql(url, UPDATE, { input: { phone: null } }, token)).data.updatePreferences.phone).toBeNull();
  await settle();
  await gql(url, STATUS, { id: order.id, status: 'DELIVERED' }, admin);
  await eventually(async () => ((await subjects()).includes(`Your order #${order.number} is delivered`) ? true : undefined), 20_000, 100);
  await settle();
  expect(sms().filter((s) => s.includes('+447700900123'))).toHaveLength(1);
  expect((await subjects()).some((s) => s.includes('WINTER5'))).toBe(false);
});

it('poison and forged messages end in the dead-letter queue or change nothing, and the worker goes on', async () => {
  const rabbit = new Connection(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  const publisher = rabbit.createPublisher({ confirm: true });
  const shop = await shopNames(env);
  const publish = (routingKey: string, body: unknown) => publisher.send({ exchange: shop.eventsExchange, routingKey }, body);
  const placed = async (token: string) => {
    const order = (await gql(url, ORDER, { id: productId }, token)).data.placeOrder;
    await eventually(async () => (mailsTo('after-poison@example.com').some((m) => decodeSubject(m.raw).includes(`n°${order.number}`)) ? true : undefined), 20_000, 100);
  };
  try {
    await publish('order.created', 'this is not an event');
    // Well-formed, but no handler can serve it: retried, then dead.
    await publish('order.created', createEvent('order.created', orderData(randomBytes(12).toString('hex'), 1)));

    const { token, user } = (await gql(url, SIGN_UP, { email: 'after-poison@example.com', optIn: false })).data.signUp;
    await placed(token); // the worker knows this customer, and their phone, now
    // A crafted id would name the SMS file outside the outbox; a forged registration would send their mail elsewhere.
    const changed = { ...orderData(user.id, 2), status: 'SHIPPED' as const, from: 'CONFIRMED' as const, history: ['CONFIRMED' as const, 'SHIPPED' as const] };
    await publish('order.status_changed', { ...createEvent('order.status_changed', changed), id: '../../../escape' });
    await publish('user.registered', createEvent('user.registered', { userId: user.id, email: 'thief@example.com', name: 'Thief', locale: 'en', phone: null, marketingOptIn: true }));

    const dead = `${shop.queuePrefix}notifications.events.dead`;
    await eventually(async () => ((await rabbit.queueDeclare({ queue: dead, passive: true })).messageCount === 3 ? true : undefined), 40_000, 200);
    const errors = [];
    for (let i = 0; i < 3; i++) errors.push(String((await rabbit.basicGet({ queue: dead, noAck: true }))?.headers?.['x-error']));
    expect(errors.sort()).toEqual(['invalid event: id: Invalid UUID', 'invalid event: not JSON', expect.stringMatching(/^recipient \w+ not known yet$/)]);

    await placed(token);
    expect(mailsTo('thief@example.com')).toHaveLength(0);
    expect(readdirSync(env.DATA_DIR).filter((f) => f.includes('escape'))).toEqual([]);
  } finally {
    await publisher.close();
    await rabbit.close();
  }
}, 90_000);

it('a worker killed in the middle of a batch loses nothing and sends nothing twice', async () => {
  const { token } = (await gql(url, SIGN_UP, { email: 'batch@example.com', optIn: false })).data.signUp;
  await settle(); // the worker knows the new customer before the batch
  smtp.stall();
  const numbers: number[] = [];
  for (let i = 0; i < 10; i++) numbers.push((await gql(url, ORDER, { id: productId }, token)).data.placeOrder.number);
  await eventually(async () => (smtp.waiting() > 0 ? true : undefined), 20_000, 50);
  await stack.kill('notifications-worker'); // while an email is on the wire, unaccepted
  await new Promise((r) => setTimeout(r, 500)); // the server sees those connections close
  smtp.release();
  await stack.restart('notifications-worker');
  await eventually(async () => (mailsTo('batch@example.com').length >= 10 ? true : undefined), 60_000, 100);
  await settle();
  const got = mailsTo('batch@example.com').map((m) => decodeSubject(m.raw));
  for (const n of numbers) expect(got.filter((s) => s.includes(`n°${n} `))).toHaveLength(1);
  expect(got).toHaveLength(10);
}, 90_000);

/** Subject header, decoded from RFC 2047 encoded words. */
function decodeSubject(raw: string): string {
  const header = /^Subject:\s*((?:.*)(?:\r?\n[ \t].*)*)/im.exec(raw)?.[1] ?? '';
  return header
    .replace(/\r?\n[ \t]/g, ' ')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    )
    .trim();
}

it('an email the SMTP server refuses at every attempt ends FAILED, and the customer sees it', async () => {
  const address = `nobody@${REFUSED_DOMAIN}`;
  const { token } = (await gql(url, SIGN_UP, { email: address, optIn: false })).data.signUp;
  await gql(url, ORDER, { id: productId }, token);
  // Six retries, 0.3 s to 9.6 s apart in this test, then the dead letters.
  const failed = await eventually(async () => {
    const nodes = (await gql(url, NOTIFICATIONS, {}, token)).data.me.notifications.edges.map((e: any) => e.node);
    return nodes.find((n: any) => n.kind === 'order.created' && n.status === 'FAILED');
  }, 45_000, 500);
  expect(failed.channel).toBe('EMAIL');
  expect(mailsTo(address)).toHaveLength(0);
}, 60_000);
