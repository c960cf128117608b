import MiniSearch from 'minisearch';
import { decodeCursor, encodeCursor, pageSize, type KeysetOrder } from '@shop/kernel';
import type { ProductFilter, ProductSort } from '../__generated__/resolvers-types';
import type { ProductCache } from './cache';
import { findByIds } from './product-loader';
import type { ProductDoc, ProductModel } from './product-model';

/** What the listing needs of a product to find, filter and order it; prices and names shown come from the product cache. */
export interface Listed {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  stock: number;
  unitsSold: number;
  createdAt: Date;
  /** The product's write count (ProductDoc.rev): an older copy never replaces a newer one. */
  rev: number;
}

/** Each sort orders by one field, then by id in the same direction, so pages never overlap. */
export const SORTS: Record<ProductSort, KeysetOrder> = {
  NEWEST: { name: 'NEWEST', field: 'createdAt', direction: -1 },
  PRICE_ASC: { name: 'PRICE_ASC', field: 'priceCents', direction: 1 },
  PRICE_DESC: { name: 'PRICE_DESC', field: 'priceCents', direction: -1 },
  NAME: { name: 'NAME', field: 'name', direction: 1 },
  POPULAR: { name: 'POPULAR', field: 'unitsSold', direction: -1 },
  RELEVANCE: { name: 'RELEVANCE', field: 'score', direction: -1 },
};

export interface ListingPage {
  ids: string[];
  cursors: string[];
  totalCount: number;
  hasNextPage: boolean;
  /** How many products of each category match everything but the category filter. */
  categories: { category: string; count: number }[];
}

type Ranked = Listed & { score: number } & Row;
type CategoryCount = ListingPage['categories'][number];

/** The word with each pair of neighbouring letters swapped: the commonest typo is one edit away again. */
const swaps = (term: string) =>
  Array.from({ length: term.length - 1 }, (_, i) => term.slice(0, i) + term[i + 1] + term[i] + term.slice(i + 2)).filter((t) => t !== term);

const comparable = (value: unknown) => (value instanceof Date ? value.getTime() : (value as string | number));

type Row = { id: string; [field: string]: unknown };

function compare(order: KeysetOrder, a: Row, b: Row): number {
  const x = comparable(a[order.field]);
  const y = comparable(b[order.field]);
  const byField = x < y ? -1 : x > y ? 1 : 0;
  return (byField || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) * order.direction;
}

/** The fields searched for words. */
const WORD_FIELDS = ['name', 'category', 'description', 'sku'] as const;

/**
 * The catalogue's listing and search, in memory: a MiniSearch index for words (relevance
 * ranking, prefixes, typos, several words), the listed fields for filters, facets and sorts.
 * It holds every product, so a storefront page costs no database read; productIndex() below
 * keeps it current.
 */
export function productListing() {
  const listed = new Map<string, Listed>();
  const words = new MiniSearch<Listed>({
    fields: [...WORD_FIELDS],
    searchOptions: {
      boost: { name: 3, category: 2, sku: 2 },
      // "lam" finds lamps; "ketle" finds kettles: one edit in a word of 4 or 5 letters, two from 6 on.
      prefix: (term) => term.length >= 2,
      fuzzy: (term) => (term.length >= 4 ? 0.25 : false),
      // A word that starts the typed one ranks above one a typo away ("teap": teapots, then tea).
      weights: { prefix: 0.6, fuzzy: 0.15 },
    },
  });

  /** Every word must match; a word also matches through one swap of neighbouring letters ("lmap"). */
  function query(text: string) {
    const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];
    const terms = tokenize(text).filter(Boolean).slice(0, 8);
    return {
      combineWith: 'AND',
      queries: terms.map((term) => ({
        combineWith: 'OR',
        queries: [term, ...(term.length >= 4 ? swaps(term) : [])],
      })),
    };
  }

  /**
   * What a search, a filter and a sort matched, sorted, with its facet counts: shoppers repeat
   * the same few, and ranking with typo tolerance costs far more than slicing a page. Dropped
   * whole at any change to the listing, so it is never older than the listing.
   */
  const matched = new Map<string, { found: Ranked[]; categories: CategoryCount[] }>();

  function put(product: Listed) {
    const held = listed.get(product.id);
    if (held && held.rev > product.rev) return;
    listed.set(product.id, product);
    // A sale changes the stock, not the words: the word index (whose discards cost a vacuum now
    // and then) is left as it is.
    if (!held || WORD_FIELDS.some((field) => held[field] !== product[field])) {
      if (held) words.discard(product.id);
      words.add(product);
    }
    matched.clear();
  }

  function remove(id: string) {
    if (listed.delete(id)) words.discard(id);
    matched.clear();
  }

  function match(text: string | undefined, filter: ProductFilter | null | undefined, order: KeysetOrder) {
    const key = JSON.stringify([text, order.name, filter?.category, filter?.inStock, filter?.minPriceCents, filter?.maxPriceCents]);
    const held = matched.get(key);
    if (held) return held;
    const candidates: Ranked[] = text
      ? words.search(query(text) as never).flatMap((hit) => {
          const p = listed.get(String(hit.id));
          return p ? [{ ...p, score: hit.score }] : [];
        })
      : [...listed.values()].map((p) => ({ ...p, score: 0 }));
    const facets = new Map<string, number>();
    const found: Ranked[] = [];
    for (const p of candidates) {
      if (!matches(filter, p, false)) continue;
      facets.set(p.category, (facets.get(p.category) ?? 0) + 1);
      if (matches(filter, p)) found.push(p);
    }
    found.sort((a, b) => compare(order, a, b));
    const categories = [...facets].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
    if (matched.size >= 1000) matched.clear();
    matched.set(key, { found, categories });
    return { found, categories };
  }

  function matches(filter: ProductFilter | null | undefined, p: Listed, withCategory = true) {
    if (!filter) return true;
    if (withCategory && filter.category != null && p.category !== filter.category) return false;
    if (filter.inStock === true && p.stock <= 0) return false;
    if (filter.inStock === false && p.stock > 0) return false;
    if (filter.minPriceCents != null && p.priceCents < filter.minPriceCents) return false;
    if (filter.maxPriceCents != null && p.priceCents > filter.maxPriceCents) return false;
    return true;
  }

  return {
    /** Takes every product as read (at start, and when reloading); one no longer there is dropped. */
    reset(products: Listed[]) {
      const current = new Set(products.map((p) => p.id));
      for (const id of [...listed.keys()]) if (!current.has(id)) remove(id);
      products.forEach(put);
    },
    put,
    remove,
    size: () => listed.size,
    get: (id: string): Listed | undefined => listed.get(id),

    /** One page of what matches, in the order asked; `search` ranks by relevance under RELEVANCE. */
    page(filter: ProductFilter | null | undefined, sort: ProductSort, first: number | null | undefined, after?: string | null): ListingPage {
      const size = pageSize(first);
      const text = filter?.search?.trim().slice(0, 200);
      const order = sort === 'RELEVANCE' && !text ? SORTS.NEWEST : SORTS[sort];
      const { found, categories } = match(text, filter, order);
      let start = 0;
      if (after) {
        const { value, id } = decodeCursor(order, after);
        const mark: Row = { [order.field]: value, id };
        start = found.findIndex((p) => compare(order, p, mark) > 0);
        if (start < 0) start = found.length;
      }
      const page = found.slice(start, start + size);
      return {
        ids: page.map((p) => p.id),
        cursors: page.map((p) => encodeCursor(order, { ...p, _id: p.id })),
        totalCount: found.length,
        hasNextPage: start + size < found.length,
        categories,
      };
    },
  };
}

export type ProductListing = ReturnType<typeof productListing>;

export const toListed = (p: ProductDoc): Listed => ({
  id: String(p._id),
  sku: p.sku,
  name: p.name,
  description: p.description,
  category: p.category,
  priceCents: p.priceCents,
  stock: p.stock,
  unitsSold: p.unitsSold ?? 0,
  createdAt: new Date(p.createdAt),
  rev: p.rev ?? 0,
});

/**
 * The listing of this process, filled from the database at start and refreshed after every
 * write to a product: by the writer itself before the write returns (so the next search sees
 * it), and on the other replicas when they hear of it.
 */
export function productIndex(products: ProductModel, cache?: ProductCache) {
  const listing = productListing();
  return {
    listing,
    async loadAll(): Promise<void> {
      listing.reset((await products.find({}, { marks: 0 }).lean<ProductDoc[]>()).map(toListed));
    },
    /** Takes the products a write returned. */
    put: (docs: ProductDoc[]) => docs.forEach((doc) => listing.put(toListed(doc))),
    /**
     * Re-reads these products, through the product cache when given (another replica's write
     * stored what it wrote there); a product gone is dropped.
     */
    async refresh(ids: string[]): Promise<void> {
      // A write touches a few products: one read by _id each beats FerretDB's scan for an $in.
      const fromDatabase = async (missing: string[]) => (await Promise.all(missing.map((id) => findByIds(products, [id])))).flat();
      const read = cache ? await cache.products(ids, fromDatabase) : await fromDatabase(ids);
      const current = new Map(read.map((d) => [String(d._id), d]));
      for (const id of ids) {
        const doc = current.get(id);
        if (doc) listing.put(toListed(doc));
        else listing.remove(id);
      }
    },
  };
}

export type ProductIndex = ReturnType<typeof productIndex>;
