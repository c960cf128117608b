import DataLoader from 'dataloader';
import { op, type Follow, type VersionedCache } from '@shop/kernel';
import type { LearningLoaders } from '../data/loaders';
import type { LearningModels } from '../data/models';
import type { Learnt } from '../events/learn';
import type { catalogueClient, ProductRef, Stocked } from '../clients/catalogue';
import { forHistory, similarTo } from './similarity';

type Catalogue = ReturnType<typeof catalogueClient>;

export interface RecommenderContext {
  loaders: LearningLoaders;
  histories: LearningModels['histories'];
  topOfCategory: ReturnType<Catalogue['topOfCategory']>;
  stocked: ReturnType<Catalogue['stocked']>;
  /** Reads the first products a cached ranking lists into `stocked` with the ranking (Catalogue['prefetchInto']). */
  prefetchStocked?: (first: number, fields?: string[]) => Follow | undefined;
  popular: Catalogue['popular'];
  /** Per request: ranked candidates from the cache of what the model last learnt (candidateLoaders). */
  candidates: CandidateLoaders;
}

/** The largest `first` a client may ask for: cached candidate lists hold enough for it. */
export const MAX_RECOMMENDATIONS = 20;
/**
 * The cache's version names of rankings: each learnt order bumps those it changed (learn.ts),
 * so a cached ranking is never older than the last order that shifted it.
 */
export const rankingOf = {
  product: (id: string) => `product:${id}`,
  customer: (id: string) => `customer:${id}`,
};
export const rankingsChangedBy = ({ products, customerId }: Learnt) => [...products.map(rankingOf.product), rankingOf.customer(customerId)];

/** Order counts of many items at once (one batched query per request). */
async function counts(ctx: RecommenderContext, ids: string[]): Promise<(id: string) => number> {
  const values = await ctx.loaders.ordersWith.loadMany(ids);
  const byId = new Map(ids.map((id, i) => [id, typeof values[i] === 'number' ? (values[i] as number) : 0]));
  return (id) => byId.get(id) ?? 0;
}

/** How many candidates `available` checks first to show `n`: a few more, as most are in stock. */
const firstBatch = (n: number) => n + 5;

/**
 * The first `n` candidates that exist and are in stock. The catalogue is asked about a few more
 * than `n` first (most candidates are in stock), and about the next ones only if too few were.
 */
export async function available(ctx: Pick<RecommenderContext, 'stocked'>, candidates: string[], n: number): Promise<Stocked[]> {
  const unique = [...new Set(candidates)];
  const chosen: Stocked[] = [];
  for (let from = 0, batch = firstBatch(n); from < unique.length && chosen.length < n; from += batch, batch = unique.length) {
    for (const product of await ctx.stocked.loadMany(unique.slice(from, from + batch))) if (product && !(product instanceof Error)) chosen.push(product);
  }
  return chosen.slice(0, n);
}

/** Bought together with this product, by cosine similarity, then others of its category: ranked, stock not checked. */
async function rankForProduct(ctx: RecommenderContext, product: ProductRef): Promise<string[]> {
  const neighbours = await ctx.loaders.neighbours.load(product.id);
  const ordersWith = await counts(ctx, [product.id, ...neighbours.map((x) => x.productId)]);
  const ranked = similarTo(product.id, neighbours, ordersWith).map((s) => s.productId);
  const fallback = product.category ? (await ctx.topOfCategory.load(product.category)).filter((id) => id !== product.id) : [];
  return [...ranked, ...fallback].slice(0, 3 * MAX_RECOMMENDATIONS);
}

/** Similar to what the customer bought, never what they bought; best sellers apart, for thin histories. */
async function rankForCustomer(ctx: RecommenderContext, customerId: string): Promise<{ ranked: string[]; bestSellers: string[] }> {
  const bought = await ctx.histories.find({ customerId, times: op({ $gt: 0 }) }).lean();
  const history = new Map(bought.map((h) => [h.productId as string, h.times as number]));
  const neighbourLists = await ctx.loaders.neighbours.loadMany([...history.keys()]);
  const neighboursOf = new Map([...history.keys()].map((id, i) => [id, Array.isArray(neighbourLists[i]) ? neighbourLists[i] : []]));
  const ordersWith = await counts(ctx, [...new Set([...history.keys(), ...[...neighboursOf.values()].flat().map((x) => x.productId)])]);
  const ranked = forHistory(history, (id) => neighboursOf.get(id) ?? [], ordersWith).map((s) => s.productId);
  const bestSellers = (await ctx.popular(2 * MAX_RECOMMENDATIONS)).filter((id) => !history.has(id));
  return { ranked: ranked.slice(0, 3 * MAX_RECOMMENDATIONS), bestSellers };
}

/** Whose ranking is wanted (a product's, a customer's), and how many recommendations will be shown from it. */
interface RankingOf<K> {
  of: K;
  shown: number;
}
/** The ranking's cached products to read with it: those `available` checks first, for the most shown in the batch. */
const firstShown = (wanted: readonly RankingOf<unknown>[]) => firstBatch(Math.max(...wanted.map((w) => w.shown)));

/**
 * Ranked candidates per request, kept in the versioned cache under each product's and
 * customer's own version (rankingOf), which a learnt order bumps only where it shifted the
 * ranking: a product page or account page reads no database in the steady state, even while
 * others buy. What a ranking takes from the catalogue (best sellers, the category's fallback)
 * and what others' orders shift in a customer's ranking are as old as the cache's TTL at most.
 * Stock is checked at each request: a cached ranking is read with the catalogue's cached
 * products of its first candidates (prefetchStocked), in one Redis round trip.
 */
export function candidateLoaders(ctx: Omit<RecommenderContext, 'candidates'>, cache: VersionedCache) {
  const full = ctx as RecommenderContext;
  return {
    product: new DataLoader<RankingOf<ProductRef>, string[], string>(
      (wanted) =>
        cache.readMany(
          wanted.map((w) => rankingOf.product(w.of.id)),
          wanted.map((w) => productKey(w.of)),
          (missing) => Promise.all(missing.map((key) => rankForProduct(full, refOf(key)))),
          ctx.prefetchStocked?.(firstShown(wanted)),
        ),
      { cacheKeyFn: (w) => productKey(w.of) },
    ),
    customer: new DataLoader<RankingOf<string>, { ranked: string[]; bestSellers: string[] }, string>(
      (wanted) =>
        cache.readMany(
          wanted.map((w) => rankingOf.customer(w.of)),
          wanted.map((w) => w.of),
          (missing) => Promise.all(missing.map((id) => rankForCustomer(full, id))),
          // Its candidates are the ranked ones, then best sellers (forCustomer).
          ctx.prefetchStocked?.(firstShown(wanted), ['ranked', 'bestSellers']),
        ),
      { cacheKeyFn: (w) => w.of },
    ),
  };
}
export type CandidateLoaders = ReturnType<typeof candidateLoaders>;

const productKey = (r: ProductRef) => `product:${JSON.stringify([r.id, r.category ?? null])}`;
const refOf = (key: string): ProductRef => {
  const [id, category] = JSON.parse(key.slice('product:'.length)) as [string, string | null];
  return { id, category: category ?? undefined };
};

/** Recommendations for a product page: the first `n` candidates in stock. */
export async function forProduct(ctx: RecommenderContext, product: ProductRef, n: number): Promise<Stocked[]> {
  return available(ctx, (await ctx.candidates.product.load({ of: product, shown: n })).slice(0, 3 * n), n);
}

/** Recommendations for a customer: their ranking first, best sellers after, the first `n` in stock. */
export async function forCustomer(ctx: RecommenderContext, customerId: string, n: number): Promise<Stocked[]> {
  const { ranked, bestSellers } = await ctx.candidates.customer.load({ of: customerId, shown: n });
  return available(ctx, [...ranked.slice(0, 3 * n), ...bestSellers.slice(0, Math.max(n * 2, 10))], n);
}
