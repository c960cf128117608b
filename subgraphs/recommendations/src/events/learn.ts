import type { DomainEvent, EventHandlers } from '@shop/kernel';
import type { LearningModels } from '../data/models';

/**
 * Learns from one order event, touching only what it concerns: the pairs of its items, their
 * order counts and the customer's history (order.cancelled takes it back). Applied, then
 * recorded by event id, so a redelivered event is skipped; a crash in between can count an
 * order twice, which shifts a score slightly and loses nothing.
 */
export function learner({ pairs, items, histories, learned }: LearningModels, learnt: () => Promise<unknown>): EventHandlers<'recommendations.learning'> {
  async function learn(event: DomainEvent<'order.created' | 'order.cancelled'>, sign: 1 | -1) {
    if (await learned.exists({ _id: event.id })) return;
    const order = event.data;
    const products = [...new Set(order.items.map((i) => i.productId))];
    for (const a of products) {
      await items.updateOne({ _id: a }, { $inc: { orders: sign } }, { upsert: true });
      await histories.updateOne({ _id: `${order.customerId}:${a}` }, { $set: { customerId: order.customerId, productId: a }, $inc: { times: sign } }, { upsert: true });
      for (const b of products) if (a !== b) await pairs.updateOne({ _id: `${a}:${b}` }, { $set: { a, b }, $inc: { together: sign } }, { upsert: true });
    }
    await learned.create({ _id: event.id });
    // Every cached ranking is now older than the model: none is read again.
    await learnt();
  }
  return {
    'order.created': (event) => learn(event, 1),
    'order.cancelled': (event) => learn(event, -1),
  };
}
