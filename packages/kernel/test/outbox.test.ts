/** The outbox relay on the real database: a published event leaves the document's outbox. */
import { Schema } from 'mongoose';
import { createEvent, outboxField, startOutboxRelay, type AnyDomainEvent, type Broker, type Logger } from '../src';
import { testDatabase } from '../../../test/support/database';

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
    const relay = startOutboxRelay(model, broker, { warn: () => undefined } as unknown as Logger, 60_000);
    relay.stop();
    await relay.flush(doc._id);

    expect(published.map((e) => e.id)).toEqual([doc.outbox[0].id]);
    const left = (await model.findById(doc._id).lean())!.outbox as AnyDomainEvent[];
    expect(left.map((e) => e.id)).toEqual([doc.outbox[1].id]);
  } finally {
    await drop();
  }
});
