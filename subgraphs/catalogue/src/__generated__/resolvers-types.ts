import { GraphQLResolveInfo } from 'graphql';
import { ProductDoc } from '../data/product-model';
import { Context } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** How many products of one category match. */
export type CategoryCount = {
  __typename?: 'CategoryCount';
  /** The category, e.g. books. */
  category: Scalars['String']['output'];
  /** How many of its products match. */
  count: Scalars['Int']['output'];
};

/** A new product. */
export type CreateProductInput = {
  /** The category to list it under, e.g. books. */
  category: Scalars['String']['input'];
  /** ISO 4217 code of the price. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** What the product is. */
  description: Scalars['String']['input'];
  /** The name shown to shoppers. */
  name: Scalars['String']['input'];
  /** Unit price in minor units (cents). */
  priceCents: Scalars['Int']['input'];
  /** Unique stock-keeping unit. */
  sku: Scalars['String']['input'];
  /** Units in stock to start with. */
  stock: Scalars['Int']['input'];
};

/** An amount in minor units (cents). */
export type Money = {
  __typename?: 'Money';
  /** The amount in minor units: 1999 is 19.99. */
  cents: Scalars['Int']['output'];
  /** ISO 4217 code, e.g. EUR. */
  currency: Scalars['String']['output'];
};

/** What a client can change. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Admin only. Adds delta (may be negative) to the stock; never below zero. */
  adjustStock: Product;
  /** Admin only: adds a product to the catalogue. */
  createProduct: Product;
  /** Internal (orders): gives back what reserveStock took for this order, once. */
  releaseStock: Scalars['Boolean']['output'];
  /** Internal (orders): reserves every line or none, once per order id. */
  reserveStock: Array<ReservedLine>;
  /** Admin only: changes the given fields of a product; omitted fields keep their value. */
  updateProduct: Product;
};


/** What a client can change. */
export type MutationAdjustStockArgs = {
  delta: Scalars['Int']['input'];
  productId: Scalars['ID']['input'];
};


/** What a client can change. */
export type MutationCreateProductArgs = {
  input: CreateProductInput;
};


/** What a client can change. */
export type MutationReleaseStockArgs = {
  orderId: Scalars['ID']['input'];
};


/** What a client can change. */
export type MutationReserveStockArgs = {
  lines: Array<StockLineInput>;
  orderId: Scalars['ID']['input'];
};


/** What a client can change. */
export type MutationUpdateProductArgs = {
  id: Scalars['ID']['input'];
  input: UpdateProductInput;
};

/** Where a page ends, for cursor pagination. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the page's last item, to pass as `after`; null on an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether another page follows this one. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** A product of the catalogue. */
export type Product = {
  __typename?: 'Product';
  /** The category the product is listed under, e.g. books. */
  category: Scalars['String']['output'];
  /** ISO-8601 time the product was added. */
  createdAt: Scalars['String']['output'];
  /** What the product is, in a sentence or a few. */
  description: Scalars['String']['output'];
  /** The product's id. */
  id: Scalars['ID']['output'];
  /** Whether at least one unit can be ordered now. */
  inStock: Scalars['Boolean']['output'];
  /** The name shown to shoppers (shareable: the recommendations subgraph provides it with the products it recommends). */
  name: Scalars['String']['output'];
  /** The current unit price (shareable, as name). */
  price: Money;
  /** Stock-keeping unit: the shop's own code for the product, unique. */
  sku: Scalars['String']['output'];
  /** Units available to order now. */
  stock: Scalars['Int']['output'];
};

/** A page of products. */
export type ProductConnection = {
  __typename?: 'ProductConnection';
  /** How many products of each category match the filter, its category aside: the counts beside a category filter. */
  categories: Array<CategoryCount>;
  /** The products of this page, in order. */
  edges: Array<ProductEdge>;
  /** Where this page ends and whether another follows. */
  pageInfo: PageInfo;
  /** How many products match the filter, over every page. */
  totalCount: Scalars['Int']['output'];
};

/** A product in a page, with its cursor. */
export type ProductEdge = {
  __typename?: 'ProductEdge';
  /** Pass it as `after` to continue after this product. */
  cursor: Scalars['String']['output'];
  /** The product. */
  node: Product;
};

/** Conditions on a product list; omitted conditions hold for every product. */
export type ProductFilter = {
  /** Only products of this category. */
  category?: InputMaybe<Scalars['String']['input']>;
  /** true: only products in stock; false: only products out of stock. */
  inStock?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only products whose price in cents is at most this. */
  maxPriceCents?: InputMaybe<Scalars['Int']['input']>;
  /** Only products whose price in cents is at least this. */
  minPriceCents?: InputMaybe<Scalars['Int']['input']>;
  /** Words to find in the name, category, description or SKU: every word, by prefix or with a typo (in words of four letters or more). */
  search?: InputMaybe<Scalars['String']['input']>;
};

/** The orders a product list can be sorted in. */
export type ProductSort =
  /** By name, A to Z. */
  | 'NAME'
  /** Most recently added first. */
  | 'NEWEST'
  /** Best sellers first. */
  | 'POPULAR'
  /** Cheapest first. */
  | 'PRICE_ASC'
  /** Most expensive first. */
  | 'PRICE_DESC'
  /** Best match for filter.search first (NEWEST without a search). */
  | 'RELEVANCE';

/** What a client can read. */
export type Query = {
  __typename?: 'Query';
  /** Best-selling products, served from the cache. */
  popularProducts: Array<Product>;
  /** A product by its id, or null when there is none. */
  product?: Maybe<Product>;
  /**
   * A page of products, filtered and sorted; walk pages with `after: pageInfo.endCursor`.
   * `filter.search` finds words by prefix and with typos; sort by RELEVANCE to rank by them.
   */
  products: ProductConnection;
};


/** What a client can read. */
export type QueryPopularProductsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** What a client can read. */
export type QueryProductArgs = {
  id: Scalars['ID']['input'];
};


/** What a client can read. */
export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProductFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<ProductSort>;
};

/** A reserved order line, priced at reservation time. */
export type ReservedLine = {
  __typename?: 'ReservedLine';
  /** ISO 4217 code of the price. */
  currency: Scalars['String']['output'];
  /** The product's name when reserved. */
  name: Scalars['String']['output'];
  /** The product's id. */
  productId: Scalars['ID']['output'];
  /** Units reserved. */
  quantity: Scalars['Int']['output'];
  /** The unit price in minor units when reserved. */
  unitPriceCents: Scalars['Int']['output'];
};

/** A product and how many units of it to reserve. */
export type StockLineInput = {
  /** The product's id. */
  productId: Scalars['ID']['input'];
  /** Units to reserve, at least 1. */
  quantity: Scalars['Int']['input'];
};

/** Changes to a product; each omitted field keeps its value. */
export type UpdateProductInput = {
  /** The new category. */
  category?: InputMaybe<Scalars['String']['input']>;
  /** The new description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The new name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** The new unit price in minor units (cents). */
  priceCents?: InputMaybe<Scalars['Int']['input']>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Product: Product;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CategoryCount: ResolverTypeWrapper<CategoryCount>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CreateProductInput: CreateProductInput;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Product: ResolverTypeWrapper<ProductDoc>;
  ProductConnection: ResolverTypeWrapper<Omit<ProductConnection, 'edges'> & { edges: Array<ResolversTypes['ProductEdge']> }>;
  ProductEdge: ResolverTypeWrapper<Omit<ProductEdge, 'node'> & { node: ResolversTypes['Product'] }>;
  ProductFilter: ProductFilter;
  ProductSort: ProductSort;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReservedLine: ResolverTypeWrapper<ReservedLine>;
  StockLineInput: StockLineInput;
  UpdateProductInput: UpdateProductInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CategoryCount: CategoryCount;
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  CreateProductInput: CreateProductInput;
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  ID: Scalars['ID']['output'];
  Boolean: Scalars['Boolean']['output'];
  PageInfo: PageInfo;
  Product: ProductDoc;
  ProductConnection: Omit<ProductConnection, 'edges'> & { edges: Array<ResolversParentTypes['ProductEdge']> };
  ProductEdge: Omit<ProductEdge, 'node'> & { node: ResolversParentTypes['Product'] };
  ProductFilter: ProductFilter;
  Query: Record<PropertyKey, never>;
  ReservedLine: ReservedLine;
  StockLineInput: StockLineInput;
  UpdateProductInput: UpdateProductInput;
}>;

export type CategoryCountResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CategoryCount'] = ResolversParentTypes['CategoryCount']> = ResolversObject<{
  category?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  cents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  adjustStock?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationAdjustStockArgs, 'delta' | 'productId'>>;
  createProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationCreateProductArgs, 'input'>>;
  releaseStock?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationReleaseStockArgs, 'orderId'>>;
  reserveStock?: Resolver<Array<ResolversTypes['ReservedLine']>, ParentType, ContextType, RequireFields<MutationReserveStockArgs, 'lines' | 'orderId'>>;
  updateProduct?: Resolver<ResolversTypes['Product'], ParentType, ContextType, RequireFields<MutationUpdateProductArgs, 'id' | 'input'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  category?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inStock?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stock?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProductConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductConnection'] = ResolversParentTypes['ProductConnection']> = ResolversObject<{
  categories?: Resolver<Array<ResolversTypes['CategoryCount']>, ParentType, ContextType>;
  edges?: Resolver<Array<ResolversTypes['ProductEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type ProductEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ProductEdge'] = ResolversParentTypes['ProductEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  popularProducts?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryPopularProductsArgs, 'first'>>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'id'>>;
  products?: Resolver<ResolversTypes['ProductConnection'], ParentType, ContextType, RequireFields<QueryProductsArgs, 'first' | 'sort'>>;
}>;

export type ReservedLineResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ReservedLine'] = ResolversParentTypes['ReservedLine']> = ResolversObject<{
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unitPriceCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  CategoryCount?: CategoryCountResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  ProductConnection?: ProductConnectionResolvers<ContextType>;
  ProductEdge?: ProductEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReservedLine?: ReservedLineResolvers<ContextType>;
}>;

