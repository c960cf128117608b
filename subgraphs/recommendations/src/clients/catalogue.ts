import DataLoader from 'dataloader';
import type { ServiceCall } from '@shop/kernel';

/** A catalogue product as the recommender sees it: its key, and its category when required. */
export interface ProductRef {
  id: string;
  category?: string;
}

/** A product recommended: in stock, with the name and price the catalogue has now (schema: @provides). */
export interface Stocked {
  id: string;
  name: string;
  price: { cents: number; currency: string };
}

const BY_CATEGORY = `query($category: String!, $first: Int!) {
  products(first: $first, filter: { category: $category, inStock: true }, sort: POPULAR) { edges { node { id } } }
}`;
const POPULAR = `query($first: Int!) { popularProducts(first: $first) { id stock } }`;
const STOCKED = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id stock name price { cents currency } } } }`;

/** What the recommender asks the catalogue: each in one call per request, whatever the number of items. */
export function catalogueClient(catalogue: ServiceCall) {
  return {
    /** In-stock products of a category, best sellers first; one call per category per request. */
    topOfCategory: () =>
      new DataLoader<string, string[]>((categories) =>
        Promise.all(
          categories.map(async (category) => {
            const data = await catalogue<{ products: { edges: { node: { id: string } }[] } }>(BY_CATEGORY, { category, first: 21 }, { retries: 1 });
            return data.products.edges.map((e) => e.node.id);
          }),
        ),
      ),
    /**
     * Each product as shown if it exists and is in stock, else null: one batched entity call for
     * all ids of a request, which also brings the names and prices the router would ask for.
     */
    stocked: () =>
      new DataLoader<string, Stocked | null>(async (ids) => {
        const data = await catalogue<{ _entities: ((Stocked & { stock: number }) | null)[] }>(
          STOCKED,
          { r: ids.map((id) => ({ __typename: 'Product', id })) },
          { retries: 1 },
        );
        return data._entities.map((p) => (p && p.stock > 0 ? { id: p.id, name: p.name, price: p.price } : null));
      }),
    async popular(first: number): Promise<string[]> {
      const data = await catalogue<{ popularProducts: { id: string; stock: number }[] }>(POPULAR, { first }, { retries: 1 });
      return data.popularProducts.filter((p) => p.stock > 0).map((p) => p.id);
    },
  };
}
