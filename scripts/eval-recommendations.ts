/**
 * Offline evaluation of the recommender (`npm run eval:recommendations`): a synthetic purchase
 * history with hidden structure (customer segments with preferred items, deterministic seed),
 * each customer's last order held out, and hit-rate@10 and NDCG@10 of our recommender
 * against a popularity baseline and a random one. The recommender is the subgraph's own
 * domain code (subgraphs/recommendations/src/domain/similarity.ts), fed from memory.
 */
import { seededRandom } from '@shop/kernel';
import { forHistory, type Neighbour } from '../subgraphs/recommendations/src/domain/similarity';

const K = 10;
const ITEMS = 300;
const SEGMENTS = 8;
const CUSTOMERS = 800;

const rand = seededRandom(42);
const item = (i: number) => `p${String(i).padStart(3, '0')}`;
/** Zipf-like pick among n: low indexes far more likely. */
const skewed = (n: number) => Math.min(n - 1, Math.floor(n * rand() ** 2.2));

// Each segment prefers 30 items; everyone also buys from a few global best-sellers.
const preferred = Array.from({ length: SEGMENTS }, (_, s) => Array.from({ length: 30 }, (_, j) => item((s * 37 + j * 7) % ITEMS)));
const bestSellers = Array.from({ length: 15 }, (_, i) => item(ITEMS - 1 - i));

type Order = string[];
const customers: Order[][] = Array.from({ length: CUSTOMERS }, (_, c) => {
  const segment = c % SEGMENTS;
  const orders = 3 + Math.floor(rand() * 6);
  return Array.from({ length: orders }, () => {
    const size = 1 + Math.floor(rand() * 4);
    const order = new Set<string>();
    while (order.size < size) order.add(rand() < 0.75 ? preferred[segment][skewed(30)] : bestSellers[skewed(15)]);
    return [...order];
  });
});

// Train on every order but each customer's last.
const together = new Map<string, Map<string, number>>();
const ordersWith = new Map<string, number>();
for (const history of customers)
  for (const order of history.slice(0, -1))
    for (const a of order) {
      ordersWith.set(a, (ordersWith.get(a) ?? 0) + 1);
      const row = together.get(a) ?? new Map<string, number>();
      for (const b of order) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
      together.set(a, row);
    }
const neighboursOf = (p: string): Neighbour[] => [...(together.get(p) ?? [])].map(([productId, n]) => ({ productId, together: n }));
const popular = [...ordersWith].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([p]) => p);

type Recommender = (history: Map<string, number>) => string[];
const ours: Recommender = (history) => {
  const ranked = forHistory(history, neighboursOf, (p) => ordersWith.get(p) ?? 0).map((s) => s.productId);
  return [...ranked, ...popular.filter((p) => !history.has(p) && !ranked.includes(p))].slice(0, K);
};
const byPopularity: Recommender = (history) => popular.filter((p) => !history.has(p)).slice(0, K);
const atRandom: Recommender = (history) => {
  const pool = Array.from({ length: ITEMS }, (_, i) => item(i)).filter((p) => !history.has(p));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, K);
};

function evaluate(recommend: Recommender) {
  let hits = 0;
  let ndcg = 0;
  for (const orders of customers) {
    const history = new Map<string, number>();
    for (const order of orders.slice(0, -1)) for (const p of order) history.set(p, (history.get(p) ?? 0) + 1);
    const heldOut = new Set(orders.at(-1)!.filter((p) => !history.has(p)));
    if (!heldOut.size) continue;
    const list = recommend(history);
    const gains = list.map((p, i) => (heldOut.has(p) ? 1 / Math.log2(i + 2) : 0));
    const ideal = Array.from({ length: Math.min(heldOut.size, K) }, (_, i) => 1 / Math.log2(i + 2)).reduce((a, b) => a + b, 0);
    if (gains.some((g) => g > 0)) hits++;
    ndcg += gains.reduce((a, b) => a + b, 0) / ideal;
  }
  const evaluated = customers.filter((orders) => {
    const seen = new Set(orders.slice(0, -1).flat());
    return orders.at(-1)!.some((p) => !seen.has(p));
  }).length;
  return { hitRate: hits / evaluated, ndcg: ndcg / evaluated, evaluated };
}

/** Hit-rate@10 and NDCG@10 of our recommender and both baselines, on the same held-out orders. */
export function evaluateAll() {
  return {
    ours: evaluate(ours),
    popularity: evaluate(byPopularity),
    random: evaluate(atRandom),
  };
}

if (require.main === module) {
  const r = evaluateAll();
  const rows = [
    ['co-occurrence, cosine (ours)', r.ours],
    ['popularity', r.popularity],
    ['random', r.random],
  ] as const;
  console.log(`${CUSTOMERS} customers in ${SEGMENTS} segments, ${ITEMS} items; last order held out (${r.ours.evaluated} customers with a new item in it)\n`);
  console.log(`| recommender | hit-rate@${K} | NDCG@${K} |\n| --- | --- | --- |`);
  for (const [name, x] of rows) console.log(`| ${name} | ${x.hitRate.toFixed(3)} | ${x.ndcg.toFixed(3)} |`);
}
