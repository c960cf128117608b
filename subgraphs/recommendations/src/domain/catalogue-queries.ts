import DataLoader from 'dataloader';
import type { ServiceCall } from '@shop/kernel';

/** A catalogue product as the recommender sees it: its key, and its category when required. */
export interface ProductRef {
  id: string;
  category?: string;
}

// Enough candidates for any `first` we serve, after dropping the product itself.
const CANDIDATES = 21;

const BY_CATEGORY = `query($category: String!, $first: Int!) {
  products(first: $first, filter: { category: $category, inStock: true }, sort: POPULAR) { edges { node { id } } }
}`;
const POPULAR = `query($first: Int!) { popularProducts(first: $first) { id } }`;

/** What the recommender asks the catalogue; a category is asked once per request. */
export function catalogueQueries(catalogue: ServiceCall) {
  return {
    topOfCategory: () =>
      new DataLoader<string, string[]>((categories) =>
        Promise.all(
          categories.map(async (category) => {
            const data = await catalogue<{ products: { edges: { node: { id: string } }[] } }>(
              BY_CATEGORY,
              { category, first: CANDIDATES },
              { retries: 1 },
            );
            return data.products.edges.map((e) => e.node.id);
          }),
        ),
      ),
    async popular(first: number): Promise<string[]> {
      const data = await catalogue<{ popularProducts: { id: string }[] }>(POPULAR, { first }, { retries: 1 });
      return data.popularProducts.map((p) => p.id);
    },
  };
}
