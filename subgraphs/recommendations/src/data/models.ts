import { Schema, type Connection } from 'mongoose';

/** How many orders held both a and b ({ _id: `a:b` }); stored both ways, so a's neighbours are { a }. */
const pairSchema = new Schema({ _id: String, a: { type: String, index: true }, b: String, together: Number }, { versionKey: false });
/** How many orders held an item, and every item ever bought with it (whose rankings it shifts). */
const itemSchema = new Schema({ _id: String, orders: Number, boughtWith: [String] }, { versionKey: false });
/** How many times a customer bought an item ({ _id: `customer:product` }). */
const historySchema = new Schema({ _id: String, customerId: { type: String, index: true }, productId: String, times: Number }, { versionKey: false });
/** Events already learned from, by id. */
const learnedSchema = new Schema({ _id: String }, { versionKey: false });

export const learningModels = (db: Connection) => ({
  pairs: db.model('Pair', pairSchema, 'pairs'),
  items: db.model('Item', itemSchema, 'items'),
  histories: db.model('History', historySchema, 'histories'),
  learned: db.model('LearnedEvent', learnedSchema, 'learned_events'),
});
export type LearningModels = ReturnType<typeof learningModels>;
