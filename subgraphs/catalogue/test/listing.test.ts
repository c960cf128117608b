import { Types } from 'mongoose';
import { encodeCursor } from '@shop/kernel';
import { filterQuery, pageQuery, SORTS } from '../src/domain/listing';

const doc = { _id: new Types.ObjectId(), createdAt: new Date('2026-03-01T10:00:00Z'), priceCents: 999, name: 'Kettle', unitsSold: 7 };
const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (err) {
    return (err as { extensions: { code: string } }).extensions.code;
  }
};

it('a cursor resumes after its document in the sort order, both directions', () => {
  const newest = pageQuery(null, 'NEWEST', encodeCursor(SORTS.NEWEST, doc)).query as any;
  expect(newest.$or[0]).toEqual({ createdAt: { $lt: doc.createdAt } });
  expect(newest.$or[1]).toEqual({ createdAt: doc.createdAt, _id: { $lt: doc._id } });
  const cheapest = pageQuery({ category: 'kitchen' }, 'PRICE_ASC', encodeCursor(SORTS.PRICE_ASC, doc)).query as any;
  expect(cheapest.$and[0]).toEqual({ category: 'kitchen' });
  expect(cheapest.$and[1].$or[1]).toEqual({ priceCents: 999, _id: { $gt: doc._id } });
  expect(pageQuery(null, 'POPULAR').sort).toEqual({ unitsSold: -1, _id: -1 });
});

it('refuses a cursor of another sort, or garbage, with BAD_USER_INPUT', () => {
  expect(codeOf(() => pageQuery(null, 'NAME', encodeCursor(SORTS.NEWEST, doc)))).toBe('BAD_USER_INPUT');
  expect(codeOf(() => pageQuery(null, 'NAME', 'not-a-cursor'))).toBe('BAD_USER_INPUT');
});

it('builds filters: category, stock, price range, and every search word in name or description', () => {
  expect(filterQuery({ category: 'books', inStock: true, minPriceCents: 100, maxPriceCents: 200 })).toEqual({
    category: 'books',
    stock: { $gt: 0 },
    priceCents: { $gte: 100, $lte: 200 },
  });
  expect(filterQuery({ inStock: false })).toEqual({ stock: 0 });
  const search = filterQuery({ search: ' tea (green) ' }) as any;
  expect(search.$and).toHaveLength(2);
  expect(search.$and[1].$or[0].name).toEqual({ $regex: '\\(green\\)', $options: 'i' });
});
