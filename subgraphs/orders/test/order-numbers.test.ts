/** Order numbers on the real database: concurrent checkouts share increments, and no number is given twice. */
import { counterModel } from '../src/data/order-model';
import { orderNumbers } from '../src/domain/order-numbers';
import { testDatabase } from '../../../test/support/database';

it('gives concurrent checkouts dense, distinct numbers in the order they asked, from few increments', async () => {
  const { db, drop } = await testDatabase('numbers');
  try {
    const counters = counterModel(db);
    const increments = jest.spyOn(counters, 'findOneAndUpdate');
    const [replicaA, replicaB] = [orderNumbers(counters), orderNumbers(counters)];
    const fromA = await Promise.all(Array.from({ length: 30 }, () => replicaA()));
    // The first went alone, the other 29 in one increment behind it.
    expect(fromA).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(increments).toHaveBeenCalledTimes(2);

    // Two replicas at once: every number once, no gap.
    const both = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? replicaA() : replicaB())));
    expect([...both].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 31));
    expect((await counters.findById('orderNumber').lean())!.seq).toBe(70);
  } finally {
    await drop();
  }
});

it('a failed increment fails only the checkouts it was for; the next ones get numbers', async () => {
  const { db, drop } = await testDatabase('numbers');
  try {
    const counters = counterModel(db);
    const next = orderNumbers(counters);
    jest.spyOn(counters, 'findOneAndUpdate').mockImplementationOnce(() => {
      throw new Error('connection lost');
    });
    const outcomes = await Promise.allSettled([next(), next()]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    expect(await next()).toBe(2);
  } finally {
    await drop();
  }
});
