/** rekeyBy on the real database: old documents take their key as _id, once, crash or not. */
import { Schema, Types } from 'mongoose';
import { rekeyBy } from '../src/mongo';
import { testDatabase } from '../../../test/support/database';

it('gives old documents their key as _id, keeps new ones, and finishes a copy a crash left', async () => {
  const { db, drop } = await testDatabase('rekey');
  try {
    const raw = db.collection('things');
    await raw.createIndex({ orderId: 1 }, { unique: true });
    await raw.insertMany([
      { _id: new Types.ObjectId(), orderId: 'o1', status: 'RESERVED' },
      { _id: new Types.ObjectId(), orderId: 'o2', status: 'RELEASED' },
    ] as never[]);
    // A crash after copying o3 and before deleting its old document:
    const o3 = new Types.ObjectId();
    await raw.insertOne({ _id: o3, orderId: 'o3-old', status: 'FAILED' } as never);
    const model = db.model('Thing', new Schema({ _id: String, orderId: String, status: String }), 'things');
    await raw.dropIndex('orderId_1');
    await raw.insertOne({ _id: 'o3-old', orderId: 'o3-old', status: 'FAILED' } as never);
    await model.create({ _id: 'o4', orderId: 'o4', status: 'PENDING' });

    expect(await rekeyBy(model, 'orderId')).toBe(3);
    const docs = await raw.find().sort({ _id: 1 }).toArray();
    expect(docs.map((d) => [d._id, d.status])).toEqual([
      ['o1', 'RESERVED'],
      ['o2', 'RELEASED'],
      ['o3-old', 'FAILED'],
      ['o4', 'PENDING'],
    ]);
    expect(await rekeyBy(model, 'orderId')).toBe(0);
  } finally {
    await drop();
  }
});
