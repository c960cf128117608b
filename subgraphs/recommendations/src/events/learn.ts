import { groupedWrites, type DomainEvent, type EventHandlers } from '@shop/kernel';
import type { LearningModels } from '../data/models';

/** What one learnt order changed: the rankings of these products, and this customer's. */
export interface Learnt {
  products: string[];
  customerId: string;
}

/**
 * Learns from one order event, touching only what it concerns: the pairs of its items, their
 * order counts and the customer's history (order.cancelled takes it back). Applied, then
 * recorded by event id, so a redelivered event is skipped; a crash in between can count an
 * order twice, which shifts a score slightly and loses nothing.
 */
export function learner({ pairs, items, histories, learned }: LearningModels, learnt: (changed: Learnt) => Promise<unknown>): EventHandlers<'recommendations.learning'> {
  // Writes whose result nothing reads: under a burst, those of many orders share a command.
  const [historyWrite, pairWrite, learnedWrite] = [groupedWrites(histories), groupedWrites(pairs), groupedWrites(learned)];
  async function learn(event: DomainEvent<'order.created' | 'order.cancelled'>, sign: 1 | -1) {
    if (await learned.exists({ _id: event.id })) return;
    const order = event.data;
    const products = [...new Set(order.items.map((i) => i.productId))];
    // A product's ranking divides by its neighbours' order counts: each one bought with an item
    // of this order ranks anew. The item's update returns them, so finding them costs nothing.
    const shifted = new Set(products);
    for (const a of products) {
      const others = products.filter((b) => b !== a);
      const item = await items
        .findOneAndUpdate({ _id: a }, { $inc: { orders: sign }, ...(others.length > 0 && { $addToSet: { boughtWith: { $each: others } } }) }, { upsert: true, new: true })
        .lean();
      for (const b of item?.boughtWith ?? []) shifted.add(b);
      await historyWrite({
        updateOne: { filter: { _id: `${order.customerId}:${a}` }, update: { $set: { customerId: order.customerId, productId: a }, $inc: { times: sign } }, upsert: true },
      });
      for (const b of products)
        if (a !== b) await pairWrite({ updateOne: { filter: { _id: `${a}:${b}` }, update: { $set: { a, b }, $inc: { together: sign } }, upsert: true } });
    }
    await learnedWrite({ insertOne: { document: { _id: event.id } } });
    await learnt({ products: [...shifted], customerId: order.customerId });
  }
  return {
    'order.created': (event) => learn(event, 1),
    'order.cancelled': (event) => learn(event, -1),
  };
}
