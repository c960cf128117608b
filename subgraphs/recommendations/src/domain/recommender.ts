import type { LearningLoaders } from '../data/loaders';
import type { LearningModels } from '../data/models';
import type { catalogueClient, ProductRef } from '../clients/catalogue';
import { forHistory, similarTo } from './similarity';

type Catalogue = ReturnType<typeof catalogueClient>;

export interface RecommenderContext {
  loaders: LearningLoaders;
  histories: LearningModels['histories'];
  topOfCategory: ReturnType<Catalogue['topOfCategory']>;
  inStock: ReturnType<Catalogue['inStock']>;
  popular: Catalogue['popular'];
}

/** Order counts of many items at once (one batched query per request). */
async function counts(ctx: RecommenderContext, ids: string[]): Promise<(id: string) => number> {
  const values = await ctx.loaders.ordersWith.loadMany(ids);
  const byId = new Map(ids.map((id, i) => [id, typeof values[i] === 'number' ? (values[i] as number) : 0]));
  return (id) => byId.get(id) ?? 0;
}

/** The first `n` candidates that exist and are in stock, asked of the catalogue in one batch. */
async function available(ctx: RecommenderContext, candidates: string[], n: number): Promise<string[]> {
  const unique = [...new Set(candidates)];
  const ok = await ctx.inStock.loadMany(unique);
  return unique.filter((_, i) => ok[i] === true).slice(0, n);
}

/** Bought together with this product, by cosine similarity; others of its category when history is thin. */
export async function forProduct(ctx: RecommenderContext, product: ProductRef, n: number): Promise<string[]> {
  const neighbours = await ctx.loaders.neighbours.load(product.id);
  const ordersWith = await counts(ctx, [product.id, ...neighbours.map((x) => x.productId)]);
  const ranked = similarTo(product.id, neighbours, ordersWith).map((s) => s.productId);
  const fallback = product.category ? (await ctx.topOfCategory.load(product.category)).filter((id) => id !== product.id) : [];
  return available(ctx, [...ranked, ...fallback].slice(0, 3 * n), n);
}

/** Similar to what the customer bought, never what they bought; best sellers for a new customer. */
export async function forCustomer(ctx: RecommenderContext, customerId: string, n: number): Promise<string[]> {
  const bought = await ctx.histories.find({ customerId, times: { $gt: 0 } }).lean();
  const history = new Map(bought.map((h) => [h.productId as string, h.times as number]));
  const neighbourLists = await ctx.loaders.neighbours.loadMany([...history.keys()]);
  const neighboursOf = new Map([...history.keys()].map((id, i) => [id, Array.isArray(neighbourLists[i]) ? neighbourLists[i] : []]));
  const ordersWith = await counts(ctx, [...new Set([...history.keys(), ...[...neighboursOf.values()].flat().map((x) => x.productId)])]);
  const ranked = forHistory(history, (id) => neighboursOf.get(id) ?? [], ordersWith).map((s) => s.productId);
  const fallback = (await ctx.popular(Math.max(n * 2, 10))).filter((id) => !history.has(id));
  return available(ctx, [...ranked.slice(0, 3 * n), ...fallback], n);
}
