import { GraphQLResolveInfo } from 'graphql';
import { PromotionDoc } from '../data/promotion-model';
import { Context } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
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

/** The terms of a new promo code. */
export type CreatePromotionInput = {
  /** Amount off in minor units (cents); exactly one of percentOff and amountOffCents. */
  amountOffCents?: InputMaybe<Scalars['Int']['input']>;
  /** The code shoppers type; stored upper case. */
  code: Scalars['String']['input'];
  /** What the promotion offers, for shoppers. */
  description: Scalars['String']['input'];
  /** ISO-8601 time from which the code is refused; omit it for no end. */
  endsAt?: InputMaybe<Scalars['String']['input']>;
  /** How many orders may use the code in all; omit it for no limit. */
  maxRedemptions?: InputMaybe<Scalars['Int']['input']>;
  /** The subtotal in minor units (cents) an order needs; omit it for any. */
  minSubtotalCents?: InputMaybe<Scalars['Int']['input']>;
  /** How many orders of one customer may use the code; omit it for no limit. */
  perCustomerLimit?: InputMaybe<Scalars['Int']['input']>;
  /** Exactly one of percentOff and amountOffCents. */
  percentOff?: InputMaybe<Scalars['Int']['input']>;
  /** ISO-8601 time from which the code is accepted; omit it to start now. */
  startsAt?: InputMaybe<Scalars['String']['input']>;
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
  /** Admin only: creates a promo code. */
  createPromotion: Promotion;
  /** Admin only: the code stops being accepted. */
  deactivatePromotion: Promotion;
  /** Internal (orders): counts one use of a code for an order and returns the discount. */
  redeemPromotion: Redemption;
  /** Internal (orders): gives back the redemption of an order, once. */
  releaseRedemption: Scalars['Boolean']['output'];
};


/** What a client can change. */
export type MutationCreatePromotionArgs = {
  input: CreatePromotionInput;
};


/** What a client can change. */
export type MutationDeactivatePromotionArgs = {
  code: Scalars['String']['input'];
};


/** What a client can change. */
export type MutationRedeemPromotionArgs = {
  input: RedeemInput;
};


/** What a client can change. */
export type MutationReleaseRedemptionArgs = {
  orderId: Scalars['ID']['input'];
};

/** A promo code: percent-off or amount-off, with optional limits. */
export type Promotion = {
  __typename?: 'Promotion';
  /** Whether the code is accepted now: not deactivated, started, not expired, not used up. */
  active: Scalars['Boolean']['output'];
  /** Amount taken off the subtotal, never more than it; null for a percent-off code. */
  amountOff?: Maybe<Money>;
  /** Upper case; matched case-insensitively. */
  code: Scalars['String']['output'];
  /** What the promotion offers, for shoppers. */
  description: Scalars['String']['output'];
  /** ISO-8601 time from which the code is refused; null: never. */
  endsAt?: Maybe<Scalars['String']['output']>;
  /** The promotion's id. */
  id: Scalars['ID']['output'];
  /** How many orders may use the code in all; null: no limit. */
  maxRedemptions?: Maybe<Scalars['Int']['output']>;
  /** The subtotal an order needs for the code to apply; null: any. */
  minSubtotal?: Maybe<Money>;
  /** How many orders of one customer may use the code; null: no limit. */
  perCustomerLimit?: Maybe<Scalars['Int']['output']>;
  /** Percent taken off the subtotal, rounded down in cents; null for an amount-off code. */
  percentOff?: Maybe<Scalars['Int']['output']>;
  /** Admins only: how many orders hold this code. */
  redemptionCount: Scalars['Int']['output'];
  /** ISO-8601 time from which the code is accepted; null: from its creation. */
  startsAt?: Maybe<Scalars['String']['output']>;
};

/** What a client can read. */
export type Query = {
  __typename?: 'Query';
  /** A promotion by its code (case-insensitive), or null. */
  promotion?: Maybe<Promotion>;
  /** Admin only: every promotion, newest first, with its redemption count. */
  promotions: Array<Promotion>;
};


/** What a client can read. */
export type QueryPromotionArgs = {
  code: Scalars['String']['input'];
};

/** One use of a code, asked for by the orders subgraph. */
export type RedeemInput = {
  /** The promo code, in any case. */
  code: Scalars['String']['input'];
  /** ISO 4217 code of the subtotal. */
  currency: Scalars['String']['input'];
  /** The customer placing the order, for the per-customer limit. */
  customerId: Scalars['ID']['input'];
  /** The order that uses the code; redeeming twice for one order redeems once. */
  orderId: Scalars['ID']['input'];
  /** The order's subtotal in minor units (cents). */
  subtotalCents: Scalars['Int']['input'];
};

/** A redeemed code and the discount it gives. */
export type Redemption = {
  __typename?: 'Redemption';
  /** The code, upper case. */
  code: Scalars['String']['output'];
  /** The discount in minor units (cents). */
  discountCents: Scalars['Int']['output'];
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
  Promotion: Promotion;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Promotion:
    ( { __typename: 'Promotion' }
    & GraphQLRecursivePick<FederationTypes['Promotion'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CreatePromotionInput: CreatePromotionInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Money: ResolverTypeWrapper<Money>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Promotion: ResolverTypeWrapper<PromotionDoc>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RedeemInput: RedeemInput;
  Redemption: ResolverTypeWrapper<Redemption>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CreatePromotionInput: CreatePromotionInput;
  Int: Scalars['Int']['output'];
  String: Scalars['String']['output'];
  Money: Money;
  Mutation: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
  ID: Scalars['ID']['output'];
  Promotion: PromotionDoc;
  Query: Record<PropertyKey, never>;
  RedeemInput: RedeemInput;
  Redemption: Redemption;
}>;

export type MoneyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  cents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  createPromotion?: Resolver<ResolversTypes['Promotion'], ParentType, ContextType, RequireFields<MutationCreatePromotionArgs, 'input'>>;
  deactivatePromotion?: Resolver<ResolversTypes['Promotion'], ParentType, ContextType, RequireFields<MutationDeactivatePromotionArgs, 'code'>>;
  redeemPromotion?: Resolver<ResolversTypes['Redemption'], ParentType, ContextType, RequireFields<MutationRedeemPromotionArgs, 'input'>>;
  releaseRedemption?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationReleaseRedemptionArgs, 'orderId'>>;
}>;

export type PromotionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Promotion'] = ResolversParentTypes['Promotion'], FederationReferenceType extends FederationReferenceTypes['Promotion'] = FederationReferenceTypes['Promotion']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Promotion']> | FederationReferenceType, FederationReferenceType, ContextType>;
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  amountOff?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  endsAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  maxRedemptions?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  minSubtotal?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  perCustomerLimit?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  percentOff?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  redemptionCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  startsAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  promotion?: Resolver<Maybe<ResolversTypes['Promotion']>, ParentType, ContextType, RequireFields<QueryPromotionArgs, 'code'>>;
  promotions?: Resolver<Array<ResolversTypes['Promotion']>, ParentType, ContextType>;
}>;

export type RedemptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Redemption'] = ResolversParentTypes['Redemption']> = ResolversObject<{
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  discountCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Promotion?: PromotionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Redemption?: RedemptionResolvers<ContextType>;
}>;

