/**
 * follow() against the real RabbitMQ: every replica gets every event once on a queue of its own,
 * whichever process published it; a message its schema refuses reaches no handler.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Types } from 'mongoose';
import { Connection } from 'rabbitmq-client';
import { isolatedEnv } from '../../../test/support/env';
import { eventually } from '../../../test/support/graphql';
import { connectBroker, createEvent, loadConfig, type Broker, type DomainEvent } from '../src';
import { createLogger } from '../src/logger';

const env = isolatedEnv('follow');
const config = loadConfig('kernel-follow-test', env);
const brokers: Broker[] = [];
const open = () => {
  const broker = connectBroker(config, createLogger('test', 'silent'));
  brokers.push(broker);
  return broker;
};

afterAll(async () => {
  for (const broker of brokers) await broker.close();
  const rabbit = new Connection(config.amqpUrl);
  await rabbit.exchangeDelete({ exchange: config.eventsExchange });
  await rabbit.close();
  rmSync(env.DATA_DIR, { recursive: true, force: true });
});

it('gives every replica each event once, and drops what its schema refuses', async () => {
  const seen: DomainEvent<'product.changed'>[][] = [[], []];
  const [first, second] = [open(), open()];
  const followed = [first, second].map((broker, i) => broker.follow('test.listing', ['product.changed'], (event) => void seen[i].push(event)));
  const publisher = open();
  const rabbit = new Connection(config.amqpUrl);
  const changed = () => createEvent('product.changed', { productIds: [new Types.ObjectId().toHexString()], source: randomUUID() });
  // Until both replicas' queues are bound, an event may reach neither: warm up, then start afresh.
  await eventually(async () => (await publisher.publish(changed()), seen.every((s) => s.length > 0) ? true : undefined), 10_000, 200);
  await new Promise((r) => setTimeout(r, 300));
  seen.forEach((s) => (s.length = 0));

  const event = changed();
  await publisher.publish(event);
  const forged = rabbit.createPublisher({ confirm: true });
  await forged.send({ exchange: config.eventsExchange, routingKey: 'product.changed' }, { ...event, id: randomUUID(), data: { productIds: ['../../etc'], source: 'x' } });
  await publisher.publish(changed());

  await eventually(async () => (seen.every((s) => s.length === 2) ? true : undefined));
  await new Promise((r) => setTimeout(r, 300));
  for (const s of seen) {
    expect(s).toHaveLength(2);
    expect(s[0]).toEqual(event);
  }
  await forged.close();
  await Promise.all(followed.map((f) => f.close()));
  await rabbit.close();
});
