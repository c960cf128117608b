/**
 * Search quality on the judged queries of bench/search-judgments.json, through the router's
 * products(first: 10, filter: { search }): whatever search the shop implements.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { call } from './fixtures';
import { SEARCH_SKUS } from './operations';

export const JUDGMENTS_FILE = path.resolve(__dirname, '..', '..', 'bench', 'search-judgments.json');

export type QueryKind = 'exact' | 'words' | 'prefix' | 'typo';

export interface Judgment {
  query: string;
  kind: QueryKind;
  /** The word(s) the query means; a product is relevant when its name holds all of them. */
  intended: string;
  relevant: string[];
}

export interface SearchQuality {
  /** Mean precision@10 by kind of query and over all. */
  precisionAt10: Record<QueryKind | 'all', number>;
  /** Share of typo and of prefix queries whose first 10 answers hold a relevant product. */
  answered: { typo: number; prefix: number };
  queries: { query: string; kind: QueryKind; returned: number; relevantReturned: number; precisionAt10: number }[];
}

export const readJudgments = (): Judgment[] => JSON.parse(readFileSync(JUDGMENTS_FILE, 'utf8')).queries;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export async function searchQuality(url: string): Promise<SearchQuality> {
  const queries: SearchQuality['queries'] = [];
  for (const judgment of readJudgments()) {
    const skus: string[] = (await call(url, SEARCH_SKUS, { search: judgment.query })).products.edges.map((e: { node: { sku: string } }) => e.node.sku);
    const relevantReturned = skus.filter((sku) => judgment.relevant.includes(sku)).length;
    // Divided by the most that 10 answers can hold, so a perfect answer scores 1 even when fewer than 10 products are relevant.
    const precisionAt10 = relevantReturned / Math.min(10, judgment.relevant.length);
    queries.push({ query: judgment.query, kind: judgment.kind, returned: skus.length, relevantReturned, precisionAt10 });
  }
  const ofKind = (kind: QueryKind) => queries.filter((q) => q.kind === kind);
  const answeredShare = (kind: QueryKind) => mean(ofKind(kind).map((q) => (q.relevantReturned > 0 ? 1 : 0)));
  return {
    precisionAt10: {
      all: mean(queries.map((q) => q.precisionAt10)),
      exact: mean(ofKind('exact').map((q) => q.precisionAt10)),
      words: mean(ofKind('words').map((q) => q.precisionAt10)),
      prefix: mean(ofKind('prefix').map((q) => q.precisionAt10)),
      typo: mean(ofKind('typo').map((q) => q.precisionAt10)),
    },
    answered: { typo: answeredShare('typo'), prefix: answeredShare('prefix') },
    queries,
  };
}
