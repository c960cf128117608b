import DataLoader from 'dataloader';
import { PRODUCT_VERSION_PREFIX, productVersionName, type CachedProduct, type Follow, type ServiceCall, type versionedCacheReader } from '@shop/kernel';

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

type Product = CachedProduct & { id: string };
/** As the router would show it, if in stock. */
const shownIfInStock = (p: Product | undefined): Stocked | null =>
  p && p.stock > 0 ? { id: p.id, name: p.name, price: { cents: p.priceCents, currency: p.currency } } : null;
const cachedProduct = (id: string, value: string): Product => ({ ...(JSON.parse(value) as CachedProduct), id });

/**
 * What the recommender asks the catalogue: each in one call per request, whatever the number of
 * items. `cached`: the catalogue's product cache (published), read before asking it.
 */
export function catalogueClient(catalogue: ServiceCall, cached?: ReturnType<typeof versionedCacheReader>) {
  /** The products of these ids the catalogue's cache holds (as fresh as the catalogue's own reads), by id; none while Redis fails. */
  async function fromCache(ids: readonly string[]): Promise<Map<string, Product>> {
    const found = new Map<string, Product>();
    const values = await cached?.lookup(ids.map(productVersionName), [...ids]).catch(() => undefined);
    values?.forEach((value, i) => {
      if (value) found.set(ids[i], cachedProduct(ids[i], value));
    });
    return found;
  }
  /** The others, from the catalogue itself (which caches them for the next read). */
  async function fromCatalogue(ids: readonly string[]): Promise<Map<string, Product>> {
    const data = await catalogue<{ _entities: ((Stocked & { stock: number }) | null)[] }>(STOCKED, { r: ids.map((id) => ({ __typename: 'Product', id })) }, { retries: 1 });
    return new Map(
      data._entities.flatMap((p) => (p ? [[p.id, { id: p.id, name: p.name, priceCents: p.price.cents, currency: p.price.currency, stock: p.stock }]] : [])),
    );
  }

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
     * Each product as shown if it exists and is in stock, else null, with the name and price the
     * router would ask for: from the catalogue's cache, and what it lacks in one batched entity
     * call for all ids of a request.
     */
    stocked: () =>
      new DataLoader<string, Stocked | null>(async (ids) => {
        const found = await fromCache(ids);
        const missing = ids.filter((id) => !found.has(id));
        if (missing.length) for (const [id, p] of await fromCatalogue(missing)) found.set(id, p);
        return ids.map((id) => shownIfInStock(found.get(id)));
      }),
    /**
     * For a read of a cached list of product ids (VersionedCache.readMany's Follow; `fields`
     * when the lists are fields of an object): the first `first` products it lists are read
     * from the catalogue's cache in the same round trip and primed in `stocked`, which then
     * reads only the others. Undefined without the cache.
     */
    prefetchInto: (stocked: DataLoader<string, Stocked | null>) => (first: number, fields?: string[]): Follow | undefined =>
      cached && {
        key: cached.key,
        namePrefix: PRODUCT_VERSION_PREFIX,
        first,
        fields,
        found: (ids, values) => values.forEach((value, i) => value && stocked.prime(ids[i], shownIfInStock(cachedProduct(ids[i], value)))),
      },
    async popular(first: number): Promise<string[]> {
      const data = await catalogue<{ popularProducts: { id: string; stock: number }[] }>(POPULAR, { first }, { retries: 1 });
      return data.popularProducts.filter((p) => p.stock > 0).map((p) => p.id);
    },
  };
}
