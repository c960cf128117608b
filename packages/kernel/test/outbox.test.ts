/** The outbox relay on the real database: a published event leaves the document's outbox. */
import { Schema } from 'mongoose';
import { createEvent, outboxField, startOutboxRelay, type AnyDomainEvent, type Broker, type Logger } from '../src';
import { testDatabase } from '../../../test/support/database';
import { eventually } from '../../../test/support/graphql';

it('publishes each pending event, then removes just that one from the outbox', async () => {
  const { db, drop } = await testDatabase('outbox');
  try {
    const model = db.model('Thing', new Schema({ outbox: outboxField }), 'things');
    const promotion = (code: string) => createEvent('promotion.created', { promotionId: '65f0000000000000000000aa', code, description: 'd' });
    const doc = new model({ outbox: [promotion('FIRST'), promotion('SECOND')] });
    await doc.save();
    const published: AnyDomainEvent[] = [];
    // The first event is published, the second fails: only the first may leave the outbox.
    const broker = {
      async publish(event: AnyDomainEvent) {
        if (published.length) throw new Error('broker down');
        published.push(event);
      },
    } as unknown as Broker;
    const relay = startOutboxRelay(model, broker, { warn: () => undefined } as unknown as Logger, { sweepEveryMs: 60_000 });
    relay.stop();
    await relay.flush(doc._id);

    expect(published.map((e) => e.id)).toEqual([doc.outbox[0].id]);
    const left = (await model.findById(doc._id).lean())!.outbox as AnyDomainEvent[];
    expect(left.map((e) => e.id)).toEqual([doc.outbox[1].id]);
  } finally {
    await drop();
  }
});

it('takes the events from the writer that just stored them, without reading them back', async () => {
  const { db, drop } = await testDatabase('outbox');
  try {
    const model = db.model('Thing', new Schema({ outbox: outboxField }), 'things');
    // Data with nested values and keys out of alphabetical order: the pull must still match what was stored.
    const events = [
      createEvent('order.status_changed', {
        orderId: '65f0000000000000000000ab', number: 7, customerId: '65f0000000000000000000ac', status: 'SHIPPED', from: 'CONFIRMED',
        history: ['CONFIRMED', 'SHIPPED'], items: [{ productId: '65f0000000000000000000ad', name: 'Lamp', quantity: 2, unitPriceCents: 1250 }],
        currency: 'EUR', subtotalCents: 2500, discountCents: 0, totalCents: 2500, promoCode: null, createdAt: new Date(0).toISOString(),
      }),
      createEvent('promotion.created', { promotionId: '65f0000000000000000000aa', code: 'SECOND', description: 'd' }),
    ];
    const published: string[] = [];
    const broker = { publish: async (event: AnyDomainEvent) => void published.push(event.id) } as unknown as Broker;
    const reads: string[] = [];
    db.set('debug', (_collection: string, method: string) => void reads.push(method));
    const relay = startOutboxRelay(model, broker, { warn: () => undefined } as unknown as Logger, { sweepEveryMs: 60_000 });
    relay.stop();
    await eventually(() => reads.includes('find') || undefined); // the sweep at start, on an empty collection
    const doc = await new model({ outbox: events }).save();
    reads.length = 0;
    await relay.flush(doc._id, events);

    expect(published).toEqual(events.map((e) => e.id));
    expect(reads.filter((m) => m.startsWith('find'))).toEqual([]);
    expect((await model.findById(doc._id).lean())!.outbox).toEqual([]);
  } finally {
    await drop();
  }
});

it('retries by id what failed to go out, and sweeps at start what a dead process left', async () => {
  const { db, drop } = await testDatabase('outbox');
  try {
    const model = db.model('Thing', new Schema({ outbox: outboxField }), 'things');
    const promotion = (code: string) => createEvent('promotion.created', { promotionId: '65f0000000000000000000aa', code, description: 'd' });
    const left = await model.create({ outbox: [promotion('LEFT')] }); // its process died before publishing
    const published: string[] = [];
    let up = false;
    const broker = {
      async publish(event: AnyDomainEvent) {
        if (!up) throw new Error('broker down');
        published.push(event.id);
      },
    } as unknown as Broker;
    const queries: string[] = [];
    db.set('debug', (collection: string, method: string, filter: unknown) => void queries.push(`${method} ${JSON.stringify(filter)}`));
    const relay = startOutboxRelay(model, broker, { warn: () => undefined } as unknown as Logger, { retryEveryMs: 100, sweepEveryMs: 60_000 });
    try {
      const fresh = await model.create({ outbox: [promotion('FRESH')] });
      await relay.flush(fresh._id); // the broker is down: kept for a retry
      await new Promise((r) => setTimeout(r, 300));
      expect(published).toEqual([]);
      const scans = queries.filter((q) => q.includes('outbox.0')).length;
      up = true;
      for (let i = 0; i < 50 && published.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      // Both retried by id, without another scan: the fresh one, and the one the start sweep found.
      expect(published.sort()).toEqual([fresh.outbox[0].id, left.outbox[0].id].sort());
      expect(queries.filter((q) => q.includes('outbox.0')).length).toBe(scans);
      expect((await model.findById(fresh._id).lean())!.outbox).toEqual([]);
      expect((await model.findById(left._id).lean())!.outbox).toEqual([]);
    } finally {
      relay.stop();
    }
    const orphan = await model.create({ outbox: [promotion('ORPHAN')] }); // its process died before flushing
    const restarted = startOutboxRelay(model, broker, { warn: () => undefined } as unknown as Logger, { sweepEveryMs: 60_000 });
    try {
      for (let i = 0; i < 50 && published.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
      expect(published).toContain(orphan.outbox[0].id);
      expect((await model.findById(orphan._id).lean())!.outbox).toEqual([]);
    } finally {
      restarted.stop();
    }
  } finally {
    await drop();
  }
});

it('sweeps every sweepEveryMs, or 20 times as long as the last sweep took when that is longer', async () => {
  const { db, drop } = await testDatabase('outbox');
  try {
    const schema = new Schema({ outbox: outboxField });
    // A collection whose scan takes 100 ms (as FerretDB's does at about 1,000 orders).
    schema.pre('find', () => new Promise<void>((resolve) => setTimeout(resolve, 100)));
    const model = db.model('SlowThing', schema, 'slow_things');
    const scans: number[] = [];
    db.set('debug', (_collection: string, method: string) => void (method === 'find' && scans.push(Date.now())));
    const broker = { publish: async () => undefined } as unknown as Broker;
    const relay = startOutboxRelay(model, broker, { warn: () => undefined } as unknown as Logger, { sweepEveryMs: 50 });
    try {
      await new Promise((r) => setTimeout(r, 1500));
      // At 50 ms apart, about 10 sweeps would have run; at 20 x 100 ms, the second is 2 s away.
      expect(scans).toHaveLength(1);
    } finally {
      relay.stop();
    }
    const quick = startOutboxRelay(db.model('Thing', new Schema({ outbox: outboxField }), 'things'), broker, { warn: () => undefined } as unknown as Logger, { sweepEveryMs: 50 });
    try {
      scans.length = 0;
      await new Promise((r) => setTimeout(r, 3000));
      expect(scans.length).toBeGreaterThanOrEqual(2); // a quick scan (under 150 ms) sweeps again within 3 s
    } finally {
      quick.stop();
    }
  } finally {
    db.set('debug', false);
    await drop();
  }
});
