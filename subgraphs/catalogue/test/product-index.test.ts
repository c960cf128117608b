/** The in-memory listing on the demo catalogue: search quality, filters, facets, sorts and cursors. */
import { Types } from 'mongoose';
import { demoProducts } from '../src/data/seed';
import { productListing, type Listed } from '../src/data/product-index';
import { thrownCode as codeOf } from '../../../test/support/graphql';

const products: Listed[] = demoProducts().map((p, i) => ({ ...p, id: new Types.ObjectId(i + 1).toHexString(), unitsSold: (i * 37) % 101, rev: 0 }));
const listing = productListing();
listing.reset(products);
const names = (ids: string[]) => ids.map((id) => products.find((p) => p.id === id)!.name);
/** Every id from `after` on, following the cursors. */
function walk(own: ReturnType<typeof productListing>, filter: Parameters<typeof own.page>[0], sort: Parameters<typeof own.page>[1], after: string | null = null, size = 37) {
  const seen: string[] = [];
  for (;;) {
    const page = own.page(filter, sort, size, after);
    seen.push(...page.ids);
    if (!page.hasNextPage) return seen;
    after = page.cursors.at(-1)!;
  }
}

it('finds every word, by prefix and with a typo, best matches first', () => {
  const lamps = products.filter((p) => p.name.includes('Lamp')).length;
  expect(lamps).toBeGreaterThan(5);
  for (const query of ['lamp', 'LAMPS', 'lam', 'lmap', 'desk lamp']) {
    const page = listing.page({ search: query }, 'RELEVANCE', 10);
    expect({ query, names: names(page.ids).every((n) => n.includes('Lamp')) }).toEqual({ query, names: true });
    expect(page.totalCount).toBe(lamps);
  }
  const nordic = listing.page({ search: 'nordic desk lamp' }, 'RELEVANCE', 100);
  expect(names(nordic.ids)).toEqual(products.filter((p) => p.name.startsWith('Nordic') && p.name.endsWith('Desk Lamp')).map((p) => p.name));
  expect(names(listing.page({ search: 'ketle' }, 'RELEVANCE', 5).ids).every((n) => n.includes('Kettle'))).toBe(true);
  expect(listing.page({ search: 'zzzzqqq' }, 'RELEVANCE', 5)).toMatchObject({ ids: [], totalCount: 0, hasNextPage: false });
});

it('combines search with category, stock and price filters, and counts each category beside them', () => {
  const page = listing.page({ search: 'green', inStock: true, maxPriceCents: 3000 }, 'PRICE_ASC', 100);
  const expected = products.filter((p) => / green /i.test(` ${p.name} ${p.description} `) && p.stock > 0 && p.priceCents <= 3000);
  expect(page.totalCount).toBe(expected.length);
  const prices = page.ids.map((id) => products.find((p) => p.id === id)!.priceCents);
  expect(prices).toEqual([...prices].sort((a, b) => a - b));
  const inGrocery = listing.page({ search: 'green', inStock: true, maxPriceCents: 3000, category: 'grocery' }, 'PRICE_ASC', 100);
  expect(inGrocery.totalCount).toBe(expected.filter((p) => p.category === 'grocery').length);
  // Facets ignore the category filter itself, so a shopper sees what the other categories hold.
  expect(inGrocery.categories).toEqual(page.categories);
  expect(page.categories.reduce((sum, c) => sum + c.count, 0)).toBe(expected.length);
});

it('walks every product exactly once in each sort, pages following their cursors', () => {
  for (const sort of ['NEWEST', 'PRICE_ASC', 'PRICE_DESC', 'NAME', 'POPULAR'] as const) {
    const seen = walk(listing, null, sort);
    expect(seen).toHaveLength(products.length);
    expect(new Set(seen).size).toBe(products.length);
  }
});

it('keeps a walk exact while products are added and changed', () => {
  const own = productListing();
  own.reset(products);
  const first = own.page(null, 'NEWEST', 100);
  own.put({ ...products[0], id: new Types.ObjectId().toHexString(), sku: 'NEW-1', createdAt: new Date('2030-01-01') });
  const rest = walk(own, null, 'NEWEST', first.cursors.at(-1));
  expect(new Set([...first.ids, ...rest]).size).toBe(first.ids.length + rest.length);
  expect(first.ids.length + rest.length).toBe(products.length);
  own.put({ ...products[3], stock: 0, rev: 2 });
  own.put({ ...products[3], stock: 9, rev: 1 }); // an older copy, arriving late, changes nothing
  expect(walk(own, { inStock: true }, 'NEWEST')).not.toContain(products[3].id);
  expect(walk(own, { inStock: false }, 'NEWEST')).toContain(products[3].id);
  // Words follow a write that changes them, and stay found through one that does not.
  expect(walk(own, { search: products[3].sku, inStock: false }, 'RELEVANCE')).toEqual([products[3].id]);
  own.put({ ...products[3], name: 'Zyzzyva lantern', sku: 'ZYZ-1', stock: 0, rev: 3 });
  expect(walk(own, { search: 'zyzzyva' }, 'RELEVANCE')).toEqual([products[3].id]);
  expect(walk(own, { search: products[3].sku }, 'RELEVANCE')).not.toContain(products[3].id);
  own.remove(products[4].id);
  expect(own.size()).toBe(products.length);
  expect(walk(own, { search: products[4].sku }, 'RELEVANCE')).not.toContain(products[4].id);
});

it('refuses cursors of another sort and bad page sizes with BAD_USER_INPUT', () => {
  const cursor = listing.page(null, 'NEWEST', 5).cursors[4];
  expect(codeOf(() => listing.page(null, 'NAME', 5, cursor))).toBe('BAD_USER_INPUT');
  expect(codeOf(() => listing.page(null, 'NAME', 5, 'garbage'))).toBe('BAD_USER_INPUT');
  expect(codeOf(() => listing.page(null, 'NAME', 0))).toBe('BAD_USER_INPUT');
  expect(codeOf(() => listing.page(null, 'NAME', 101))).toBe('BAD_USER_INPUT');
});

it('answers a repeated search from what it matched, until any product changes: then the next search sees the change', () => {
  const own = productListing();
  own.reset(products.map((p) => ({ ...p })));
  const lamp = products.find((p) => p.name.includes('Lamp') && p.stock > 0)!;
  const inStockLamps = (o = own) => o.page({ search: 'lamp', inStock: true }, 'PRICE_ASC', 100);
  const first = inStockLamps();
  expect(inStockLamps()).toEqual(first);
  expect(first.ids).toContain(lamp.id);
  // Sold out, and a new lamp arrives: both visible to the very next identical search.
  own.put({ ...lamp, stock: 0, rev: lamp.rev + 1 });
  const added: Listed = { ...lamp, id: new Types.ObjectId().toHexString(), sku: 'NEW-LAMP', name: 'Brand New Lamp', stock: 3, rev: 0 };
  own.put(added);
  const next = inStockLamps();
  expect(next.ids).not.toContain(lamp.id);
  expect(next.ids).toContain(added.id);
  expect(next.totalCount).toBe(first.totalCount);
  own.remove(added.id);
  expect(inStockLamps().ids).not.toContain(added.id);
});
