/**
 * consume() against the real RabbitMQ, on an exchange and queues of its own: a valid event
 * reaches its handler, typed; one its schema refuses never does, and is parked in the dead
 * letters at once, with the reason, while the original is acknowledged.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Types } from 'mongoose';
import { Connection } from 'rabbitmq-client';
import { isolatedEnv } from '../../../test/support/env';
import { connectBroker, createEvent, EVENT_QUEUES, loadConfig, queueNames, type Broker, type DomainEvent, type EventData, type Logger } from '../src';
import { eventually } from '../../../test/support/graphql';

const env = isolatedEnv('events');
const config = loadConfig('kernel-consume-test', env);
const warn = jest.fn();
const logger = { warn, info: jest.fn(), error: jest.fn(), debug: jest.fn() } as unknown as Logger;
const DELAYS = [100];
const names = queueNames(`${config.queuePrefix}recommendations.learning`, DELAYS);

let broker: Broker;
let rabbit: Connection;
const handled: DomainEvent<'order.created' | 'order.cancelled'>[] = [];
let failOnce = new Set<string>();

const objectId = () => new Types.ObjectId().toHexString();
const order = (): EventData<'order.created'> => ({
  orderId: objectId(),
  number: 7,
  customerId: objectId(),
  status: 'CONFIRMED',
  items: [{ productId: objectId(), name: 'Teapot', quantity: 2, unitPriceCents: 1250 }],
  currency: 'EUR',
  subtotalCents: 2500,
  discountCents: 0,
  totalCents: 2500,
  promoCode: null,
  createdAt: new Date().toISOString(),
});

const depth = async (queue: string) => (await rabbit.queueDeclare({ queue, passive: true })).messageCount;

beforeAll(() => {
  rabbit = new Connection(config.amqpUrl);
  broker = connectBroker(config, logger);
  broker.consume(
    'recommendations.learning',
    {
      async 'order.created'(event, delivery) {
        // Typed by the queue's events: no cast to reach the lines.
        const units: number = event.data.items.reduce((sum, line) => sum + line.quantity, 0);
        expect(units).toBeGreaterThan(0);
        if (failOnce.delete(event.id)) throw new Error(`refusing attempt ${delivery.attempt}`);
        handled.push(event);
      },
      async 'order.cancelled'(event) {
        handled.push(event);
      },
    },
    { delaysMs: DELAYS },
  );
});

afterAll(async () => {
  await broker.close();
  for (const queue of Object.keys(EVENT_QUEUES)) {
    const { main, retries, dead } = queueNames(`${config.queuePrefix}${queue}`, DELAYS);
    for (const name of [main, ...retries, dead]) await rabbit.queueDelete({ queue: name });
  }
  await rabbit.exchangeDelete({ exchange: config.eventsExchange });
  await rabbit.close();
  rmSync(env.DATA_DIR, { recursive: true, force: true });
});

it('hands a valid event to its handler, typed, and acknowledges it', async () => {
  const placed = createEvent('order.created', order());
  const cancelled = createEvent('order.cancelled', { ...order(), status: 'CANCELLED' });
  await broker.publish(placed);
  await broker.publish(cancelled);
  await eventually(() => (handled.length >= 2 ? true : undefined));
  expect(handled).toEqual(expect.arrayContaining([placed, cancelled]));
  expect(await depth(names.main)).toBe(0);
});

it('retries a handler failure, but never gives the handler an event its schema refuses', async () => {
  const retried = createEvent('order.created', order());
  failOnce = new Set([retried.id]);
  await broker.publish(retried);
  await eventually(() => (handled.some((e) => e.id === retried.id) ? true : undefined));

  const valid = createEvent('order.created', order());
  const forged = [
    { ...valid, id: '../../outbox-escape' },
    { ...valid, id: randomUUID(), data: { ...valid.data, items: [{ ...valid.data.items[0], quantity: -3 }] } },
    { ...createEvent('user.registered', { userId: objectId(), email: 'a@example.com', name: 'A', locale: 'en', phone: null, marketingOptIn: false }) },
  ];
  const publisher = rabbit.createPublisher({ confirm: true });
  for (const message of forged) await publisher.send({ exchange: config.eventsExchange, routingKey: 'order.created' }, message);
  await publisher.send({ exchange: config.eventsExchange, routingKey: 'order.created' }, 'this is not an event');
  await publisher.close();

  await eventually(async () => ((await depth(names.dead)) === 4 ? true : undefined));
  expect(await depth(names.main)).toBe(0);
  const dead = [];
  for (let i = 0; i < 4; i++) dead.push((await rabbit.basicGet({ queue: names.dead, noAck: true }))!);
  expect(dead.map((m) => m.headers?.['x-error']).sort()).toEqual([
    'invalid event: data.items.0.quantity: Too small: expected number to be >=1',
    'invalid event: id: Invalid UUID',
    'invalid event: not JSON',
    'invalid event: type: user.registered is not taken here',
  ]);
  // Dead at once: a schema failure is not retried.
  expect(dead.every((m) => m.headers?.['x-attempt'] === 1)).toBe(true);
  const ids = new Set(handled.map((e) => e.id));
  for (const message of forged) expect(ids.has(message.id)).toBe(false);
  expect(warn).toHaveBeenCalledWith(expect.objectContaining({ error: 'id: Invalid UUID' }), 'event refused by its schema, dead-lettered');
});

it('retire() deletes a queue no one consumes any more, with its retry and dead-letter queues', async () => {
  const retired = queueNames(`${config.queuePrefix}retired.counting`);
  const all = [retired.main, ...retired.retries, retired.dead];
  for (const queue of all) await rabbit.queueDeclare({ queue, durable: true });
  await rabbit.queueBind({ queue: retired.main, exchange: config.eventsExchange, routingKey: 'order.created' });
  await broker.retire('retired.counting');
  for (const queue of all) await expect(rabbit.queueDeclare({ queue, passive: true })).rejects.toThrow(/NOT_FOUND/);
  // Retiring again (every start does) is harmless.
  await broker.retire('retired.counting');
});
