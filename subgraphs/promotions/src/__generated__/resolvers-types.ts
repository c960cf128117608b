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

export type CreatePromotionInput = {
  amountOffCents?: InputMaybe<Scalars['Int']['input']>;
  code: Scalars['String']['input'];
  description: Scalars['String']['input'];
  endsAt?: InputMaybe<Scalars['String']['input']>;
  maxRedemptions?: InputMaybe<Scalars['Int']['input']>;
  minSubtotalCents?: InputMaybe<Scalars['Int']['input']>;
  perCustomerLimit?: InputMaybe<Scalars['Int']['input']>;
  /** Exactly one of percentOff and amountOffCents. */
  percentOff?: InputMaybe<Scalars['Int']['input']>;
  startsAt?: InputMaybe<Scalars['String']['input']>;
};

export type Money = {
  __typename?: 'Money';
  cents: Scalars['Int']['output'];
  currency: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Admin only. */
  createPromotion: Promotion;
  /** Admin only: the code stops being accepted. */
  deactivatePromotion: Promotion;
  /** Internal (orders): counts one use of a code for an order and returns the discount. */
  redeemPromotion: Redemption;
  /** Internal (orders): gives back the redemption of an order, once. */
  releaseRedemption: Scalars['Boolean']['output'];
};


export type MutationCreatePromotionArgs = {
  input: CreatePromotionInput;
};


export type MutationDeactivatePromotionArgs = {
  code: Scalars['String']['input'];
};


export type MutationRedeemPromotionArgs = {
  input: RedeemInput;
};


export type MutationReleaseRedemptionArgs = {
  orderId: Scalars['ID']['input'];
};

/** A promo code: percent-off or amount-off, with optional limits. */
export type Promotion = {
  __typename?: 'Promotion';
  active: Scalars['Boolean']['output'];
  amountOff?: Maybe<Money>;
  /** Upper case; matched case-insensitively. */
  code: Scalars['String']['output'];
  description: Scalars['String']['output'];
  endsAt?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  maxRedemptions?: Maybe<Scalars['Int']['output']>;
  minSubtotal?: Maybe<Money>;
  perCustomerLimit?: Maybe<Scalars['Int']['output']>;
  percentOff?: Maybe<Scalars['Int']['output']>;
  /** Admins only: how many orders hold this code. */
  redemptionCount: Scalars['Int']['output'];
  startsAt?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** A promotion by its code (case-insensitive), or null. */
  promotion?: Maybe<Promotion>;
  /** Admin only: every promotion, newest first, with its redemption count. */
  promotions: Array<Promotion>;
};


export type QueryPromotionArgs = {
  code: Scalars['String']['input'];
};

export type RedeemInput = {
  code: Scalars['String']['input'];
  currency: Scalars['String']['input'];
  customerId: Scalars['ID']['input'];
  orderId: Scalars['ID']['input'];
  subtotalCents: Scalars['Int']['input'];
};

export type Redemption = {
  __typename?: 'Redemption';
  code: Scalars['String']['output'];
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

