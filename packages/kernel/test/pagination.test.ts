/** Cursor pagination: pure parts here; walking real pages is proven through the router (catalogue, orders). */
import { Types } from 'mongoose';
import { op } from '../src/mongo';
import { afterCursor, encodeCursor, pageSize, toConnection, type KeysetOrder } from '../src/pagination';
import { thrownCode as codeOf } from '../../../test/support/graphql';

const NEWEST: KeysetOrder = { name: 'newest', field: 'createdAt', direction: -1 };
const CHEAPEST: KeysetOrder = { name: 'cheapest', field: 'priceCents', direction: 1 };
const doc = { _id: new Types.ObjectId(), createdAt: new Date('2026-03-01T10:00:00Z'), priceCents: 999 };

// The operators are marked as ours (op), so sanitizeFilter lets them through: toEqual compares the mark too.
it('resumes after the cursor document, in either direction, dates included', () => {
  expect(afterCursor(NEWEST, encodeCursor(NEWEST, doc))).toEqual({
    $or: [{ createdAt: op({ $lt: doc.createdAt }) }, { createdAt: doc.createdAt, _id: op({ $lt: doc._id }) }],
  });
  expect(afterCursor(CHEAPEST, encodeCursor(CHEAPEST, doc))).toEqual({
    $or: [{ priceCents: op({ $gt: 999 }) }, { priceCents: 999, _id: op({ $gt: doc._id }) }],
  });
});

it('refuses a cursor of another order, a forged one or garbage with BAD_USER_INPUT', () => {
  expect(codeOf(() => afterCursor(CHEAPEST, encodeCursor(NEWEST, doc)))).toBe('BAD_USER_INPUT');
  expect(codeOf(() => afterCursor(NEWEST, 'not-a-cursor'))).toBe('BAD_USER_INPUT');
  const operator = Buffer.from(JSON.stringify(['cheapest', { $gt: 0 }, String(doc._id)])).toString('base64url');
  expect(codeOf(() => afterCursor(CHEAPEST, operator))).toBe('BAD_USER_INPUT');
  const dateOperator = Buffer.from(JSON.stringify(['newest', { d: { $gt: '' } }, String(doc._id)])).toString('base64url');
  expect(codeOf(() => afterCursor(NEWEST, dateOperator))).toBe('BAD_USER_INPUT');
  const badId = Buffer.from(JSON.stringify(['cheapest', 1, { $ne: null }])).toString('base64url');
  expect(codeOf(() => afterCursor(CHEAPEST, badId))).toBe('BAD_USER_INPUT');
});

it('bounds the page size', () => {
  expect(pageSize(undefined)).toBe(20);
  expect(pageSize(null, 10)).toBe(10);
  expect(pageSize(100)).toBe(100);
  for (const bad of [0, -1, 101, 2 ** 31 - 1, 1.5]) expect(codeOf(() => pageSize(bad))).toBe('BAD_USER_INPUT');
});

it('makes a connection from one document more than the page: the extra one only says there is a next page', () => {
  const docs = [1, 2, 3].map((n) => ({ _id: new Types.ObjectId(), createdAt: new Date(Date.UTC(2026, 0, n)) }));
  const page = toConnection(docs, 2, 7, NEWEST);
  expect(page.totalCount).toBe(7);
  expect(page.edges.map((e) => e.node)).toEqual(docs.slice(0, 2));
  expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[1].cursor });
  expect(afterCursor(NEWEST, page.pageInfo.endCursor!)).toEqual(afterCursor(NEWEST, encodeCursor(NEWEST, docs[1])));
  expect(toConnection(docs.slice(0, 2), 2, 2, NEWEST).pageInfo.hasNextPage).toBe(false);
  expect(toConnection([], 2, 0, NEWEST).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
});
