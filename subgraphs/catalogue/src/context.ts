import type DataLoader from 'dataloader';
import type { AuthContext } from '@shop/kernel';
import type { ProductDoc, ProductModel } from './data/product-model';
import type { ProductListing } from './data/product-index';
import type { ProductsChanged } from './data/product-changes';
import type { StockKeeper } from './domain/stock';

export interface Context extends AuthContext {
  products: ProductModel;
  /** Every product, in memory: search, filters, facets and sorts. */
  listing: ProductListing;
  changed: ProductsChanged;
  stock: StockKeeper;
  /** Per request, from the product cache: every Product reference of one request costs one query at most. */
  productById: DataLoader<string, ProductDoc | null>;
}
