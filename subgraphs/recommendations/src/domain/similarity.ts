/**
 * Item-to-item recommendations from co-occurrence ("bought together"), normalised by cosine
 * similarity: co(a, b) / sqrt(n(a) * n(b)), where n(x) is the number of orders holding x.
 * Dividing by the popularity of both items keeps best-sellers from topping every list.
 * Pure functions: the subgraph feeds them from its database, the evaluation from memory.
 */

export interface Neighbour {
  productId: string;
  together: number;
}

export interface Scored {
  productId: string;
  score: number;
}

export function cosine(together: number, ordersWithA: number, ordersWithB: number): number {
  return ordersWithA > 0 && ordersWithB > 0 ? together / Math.sqrt(ordersWithA * ordersWithB) : 0;
}

/** Items most similar to one item, best first (ties by id, for a stable order). */
export function similarTo(
  item: string,
  neighbours: Neighbour[],
  ordersWith: (productId: string) => number,
  minTogether = 1,
): Scored[] {
  const n = ordersWith(item);
  return neighbours
    .filter((x) => x.productId !== item && x.together >= minTogether)
    .map((x) => ({ productId: x.productId, score: cosine(x.together, n, ordersWith(x.productId)) }))
    .sort((a, b) => b.score - a.score || a.productId.localeCompare(b.productId));
}

/**
 * For a customer: the sum of each bought item's similarities (weighted by how often it was
 * bought), leaving out what they already bought.
 */
export function forHistory(
  history: Map<string, number>,
  neighboursOf: (productId: string) => Neighbour[],
  ordersWith: (productId: string) => number,
): Scored[] {
  const scores = new Map<string, number>();
  for (const [item, times] of history)
    for (const { productId, score } of similarTo(item, neighboursOf(item), ordersWith))
      if (!history.has(productId)) scores.set(productId, (scores.get(productId) ?? 0) + score * Math.log1p(times));
  return [...scores]
    .map(([productId, score]) => ({ productId, score }))
    .sort((a, b) => b.score - a.score || a.productId.localeCompare(b.productId));
}
