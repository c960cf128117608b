/** The offline evaluation as a guard: learned recommendations must beat popularity clearly. */
import { evaluateAll } from '../../../scripts/eval-recommendations';
import { cosine, forHistory, similarTo } from '../src/domain/similarity';

it('beats the popularity baseline by a wide margin on held-out orders, and random by far', () => {
  const { ours, popularity, random } = evaluateAll();
  expect(ours.hitRate).toBeGreaterThan(1.5 * popularity.hitRate);
  expect(ours.ndcg).toBeGreaterThan(1.5 * popularity.ndcg);
  expect(popularity.hitRate).toBeGreaterThan(random.hitRate);
});

it('normalises co-occurrence, so a best-seller bought with everything does not top the list', () => {
  const counts: Record<string, number> = { a: 10, niche: 5, bestseller: 1000 };
  const ranked = similarTo('a', [{ productId: 'bestseller', together: 6 }, { productId: 'niche', together: 4 }], (id) => counts[id]);
  expect(ranked.map((s) => s.productId)).toEqual(['niche', 'bestseller']);
  expect(cosine(4, 10, 5)).toBeCloseTo(4 / Math.sqrt(50));
});

it('recommends for a history what is similar to it, never what was bought', () => {
  const neighbours: Record<string, { productId: string; together: number }[]> = {
    x: [{ productId: 'y', together: 3 }, { productId: 'z', together: 1 }],
    y: [{ productId: 'x', together: 3 }],
  };
  const ranked = forHistory(new Map([['x', 2], ['y', 1]]), (id) => neighbours[id] ?? [], () => 4).map((s) => s.productId);
  expect(ranked).toEqual(['z']);
});
