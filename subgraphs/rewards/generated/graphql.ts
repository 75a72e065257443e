import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { RewardRow, RedemptionRow } from '../entities';
import type { MemberRef, PartnerRef } from '../resolvers';
import type { RewardsContext } from '../context';
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
  /** An instant in time, as an RFC 3339 string with a UTC offset, for example `2026-11-22T16:49:53.000Z`. */
  DateTime: { input: Date | string; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/**
 * The points a member holds, owned by the members subgraph. The rewards subgraph reads the available
 * points to tell which rewards a member can afford.
 */
export type Balance = {
  __typename?: 'Balance';
  /** Points the member can spend now. */
  availablePoints: Scalars['Int']['output'];
};

/** A coalition member; the rewards subgraph adds redemptions and affordable rewards. */
export type Member = {
  __typename?: 'Member';
  /** Rewards in stock whose points cost the member's available points cover, cheapest first. */
  affordableRewards: Array<Reward>;
  /** The member's balance, resolved by the members subgraph. */
  balance: Balance;
  /** Stable identifier of the member. */
  id: Scalars['ID']['output'];
  /** The member's redemptions, newest first. */
  redemptions: RedemptionConnection;
};


/** A coalition member; the rewards subgraph adds redemptions and affordable rewards. */
export type MemberAffordableRewardsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A coalition member; the rewards subgraph adds redemptions and affordable rewards. */
export type MemberRedemptionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Redemptions. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Redeem a reward for a member: holds one unit of stock, spends the points through the members
   * ledger, and issues a voucher code. Callable by the member itself and by the operator. Fails with
   * OUT_OF_STOCK or INSUFFICIENT_POINTS, changing nothing.
   */
  redeemReward: Redemption;
};


/** Redemptions. */
export type MutationRedeemRewardArgs = {
  idempotencyKey: Scalars['String']['input'];
  memberId: Scalars['ID']['input'];
  rewardId: Scalars['ID']['input'];
};

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item on this page, or null when the page is empty. */
  endCursor: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** A partner brand; the rewards subgraph adds the rewards it offers. */
export type Partner = {
  __typename?: 'Partner';
  /** Stable identifier of the partner. */
  id: Scalars['ID']['output'];
  /** Rewards this partner offers, cheapest first. */
  rewards: RewardConnection;
};


/** A partner brand; the rewards subgraph adds the rewards it offers. */
export type PartnerRewardsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Reads of the reward catalog and redemptions. */
export type Query = {
  __typename?: 'Query';
  /** A reward by id. Fails with NOT_FOUND when there is no such reward. */
  reward: Reward;
  /** The public reward catalog, cheapest first. Readable without credentials. */
  rewards: RewardConnection;
};


/** Reads of the reward catalog and redemptions. */
export type QueryRewardArgs = {
  id: Scalars['ID']['input'];
};


/** Reads of the reward catalog and redemptions. */
export type QueryRewardsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  category?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  partnerId?: InputMaybe<Scalars['ID']['input']>;
};

/** A member's redemption of a reward. */
export type Redemption = {
  __typename?: 'Redemption';
  /** When the member redeemed. */
  createdAt: Scalars['DateTime']['output'];
  /** Stable identifier of the redemption. */
  id: Scalars['ID']['output'];
  /** The member who redeemed. */
  member: Member;
  /** Points the redemption spent. */
  pointsSpent: Scalars['Int']['output'];
  /** The reward redeemed. */
  reward: Reward;
  /** Where the redemption stands. */
  status: RedemptionStatus;
  /**
   * Code the member shows at the partner; present once the redemption is ISSUED. Twelve characters
   * from a 32-symbol alphabet drawn from a cryptographic random source (60 bits).
   */
  voucherCode: Maybe<Scalars['String']['output']>;
};

/** A page of redemptions. */
export type RedemptionConnection = {
  __typename?: 'RedemptionConnection';
  /** The redemptions on this page, each with its cursor. */
  edges: Array<RedemptionEdge>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
};

/** A redemption on a page, with its cursor. */
export type RedemptionEdge = {
  __typename?: 'RedemptionEdge';
  /** Opaque cursor of this redemption in the list. */
  cursor: Scalars['String']['output'];
  /** The redemption. */
  node: Redemption;
};

/** Where a redemption stands. */
export type RedemptionStatus =
  /** The redemption could not complete; no points were spent and the stock came back. */
  | 'FAILED'
  /** Points were spent and the voucher code is valid at the partner. */
  | 'ISSUED'
  /** Stock is held and the points debit is under way. */
  | 'PENDING';

/** A reward in the coalition catalog, offered by one partner and redeemed there. */
export type Reward = {
  __typename?: 'Reward';
  /** Money value of the reward in minor units of `currency`, where it has one. */
  cashValueMinor: Maybe<Scalars['Int']['output']>;
  /** Catalog category, such as `dining` or `travel`. */
  category: Scalars['String']['output'];
  /** ISO 4217 code of `cashValueMinor`, where the reward has a money value. */
  currency: Maybe<Scalars['String']['output']>;
  /** What the member gets, in a sentence or two. */
  description: Scalars['String']['output'];
  /** Stable identifier of the reward. */
  id: Scalars['ID']['output'];
  /** What the reward gives. */
  kind: RewardKind;
  /** The partner that offers the reward and where it is redeemed. */
  partner: Partner;
  /** Points a redemption costs. */
  pointsCost: Scalars['Int']['output'];
  /** Units left to redeem, or null when the stock is unlimited. */
  stockRemaining: Maybe<Scalars['Int']['output']>;
  /** Short title shown in the catalog. */
  title: Scalars['String']['output'];
};

/** A page of rewards. */
export type RewardConnection = {
  __typename?: 'RewardConnection';
  /** The rewards on this page, each with its cursor. */
  edges: Array<RewardEdge>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
};

/** A reward on a page, with its cursor. */
export type RewardEdge = {
  __typename?: 'RewardEdge';
  /** Opaque cursor of this reward in the list. */
  cursor: Scalars['String']['output'];
  /** The reward. */
  node: Reward;
};

/** What a reward gives the member. */
export type RewardKind =
  /** An experience, such as an event or a lounge visit. */
  | 'EXPERIENCE'
  /** An item given free at the partner. */
  | 'FREE_ITEM'
  /** A percentage off a purchase at the partner. */
  | 'PERCENT_DISCOUNT'
  /** Money off at the partner, worth `cashValueMinor`. */
  | 'VOUCHER';



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
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

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
export type FederationTypes = {
  Member: Member;
  Partner: Partner;
  Redemption: Redemption;
  Reward: Reward;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Member:
    ( { __typename: 'Member' }
    & GraphQLRecursivePick<FederationTypes['Member'], {"id":true}>
    & ( Record<PropertyKey, never>
        | GraphQLRecursivePick<FederationTypes['Member'], {"balance":{"availablePoints":true}}> ) );
  Partner:
    ( { __typename: 'Partner' }
    & GraphQLRecursivePick<FederationTypes['Partner'], {"id":true}> );
  Redemption:
    ( { __typename: 'Redemption' }
    & GraphQLRecursivePick<FederationTypes['Redemption'], {"id":true}> );
  Reward:
    ( { __typename: 'Reward' }
    & GraphQLRecursivePick<FederationTypes['Reward'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Balance: ResolverTypeWrapper<Balance>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Member: ResolverTypeWrapper<MemberRef>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Partner: ResolverTypeWrapper<PartnerRef>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Redemption: ResolverTypeWrapper<RedemptionRow>;
  RedemptionConnection: ResolverTypeWrapper<Omit<RedemptionConnection, 'edges'> & { edges: Array<ResolversTypes['RedemptionEdge']> }>;
  RedemptionEdge: ResolverTypeWrapper<Omit<RedemptionEdge, 'node'> & { node: ResolversTypes['Redemption'] }>;
  RedemptionStatus: RedemptionStatus;
  Reward: ResolverTypeWrapper<RewardRow>;
  RewardConnection: ResolverTypeWrapper<Omit<RewardConnection, 'edges'> & { edges: Array<ResolversTypes['RewardEdge']> }>;
  RewardEdge: ResolverTypeWrapper<Omit<RewardEdge, 'node'> & { node: ResolversTypes['Reward'] }>;
  RewardKind: RewardKind;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Balance: Balance;
  Int: Scalars['Int']['output'];
  DateTime: Scalars['DateTime']['output'];
  Member: MemberRef;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Partner: PartnerRef;
  Query: Record<PropertyKey, never>;
  Redemption: RedemptionRow;
  RedemptionConnection: Omit<RedemptionConnection, 'edges'> & { edges: Array<ResolversParentTypes['RedemptionEdge']> };
  RedemptionEdge: Omit<RedemptionEdge, 'node'> & { node: ResolversParentTypes['Redemption'] };
  Reward: RewardRow;
  RewardConnection: Omit<RewardConnection, 'edges'> & { edges: Array<ResolversParentTypes['RewardEdge']> };
  RewardEdge: Omit<RewardEdge, 'node'> & { node: ResolversParentTypes['Reward'] };
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MemberResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Member'] = ResolversParentTypes['Member'], FederationReferenceType extends FederationReferenceTypes['Member'] = FederationReferenceTypes['Member']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Member']> | FederationReferenceType, FederationReferenceType, ContextType>;
  affordableRewards?: Resolver<Array<ResolversTypes['Reward']>, ParentType, ContextType, RequireFields<MemberAffordableRewardsArgs, 'first'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  redemptions?: Resolver<ResolversTypes['RedemptionConnection'], ParentType, ContextType, RequireFields<MemberRedemptionsArgs, 'first'>>;
};

export type MutationResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  redeemReward?: Resolver<ResolversTypes['Redemption'], ParentType, ContextType, RequireFields<MutationRedeemRewardArgs, 'idempotencyKey' | 'memberId' | 'rewardId'>>;
};

export type PageInfoResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PartnerResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Partner'] = ResolversParentTypes['Partner'], FederationReferenceType extends FederationReferenceTypes['Partner'] = FederationReferenceTypes['Partner']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Partner']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rewards?: Resolver<ResolversTypes['RewardConnection'], ParentType, ContextType, RequireFields<PartnerRewardsArgs, 'first'>>;
};

export type QueryResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  reward?: Resolver<ResolversTypes['Reward'], ParentType, ContextType, RequireFields<QueryRewardArgs, 'id'>>;
  rewards?: Resolver<ResolversTypes['RewardConnection'], ParentType, ContextType, RequireFields<QueryRewardsArgs, 'first'>>;
};

export type RedemptionResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Redemption'] = ResolversParentTypes['Redemption'], FederationReferenceType extends FederationReferenceTypes['Redemption'] = FederationReferenceTypes['Redemption']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Redemption']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
  pointsSpent?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reward?: Resolver<ResolversTypes['Reward'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RedemptionStatus'], ParentType, ContextType>;
  voucherCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type RedemptionConnectionResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RedemptionConnection'] = ResolversParentTypes['RedemptionConnection']> = {
  edges?: Resolver<Array<ResolversTypes['RedemptionEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type RedemptionEdgeResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RedemptionEdge'] = ResolversParentTypes['RedemptionEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Redemption'], ParentType, ContextType>;
};

export type RewardResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Reward'] = ResolversParentTypes['Reward'], FederationReferenceType extends FederationReferenceTypes['Reward'] = FederationReferenceTypes['Reward']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Reward']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cashValueMinor?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  category?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currency?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['RewardKind'], ParentType, ContextType>;
  partner?: Resolver<ResolversTypes['Partner'], ParentType, ContextType>;
  pointsCost?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  stockRemaining?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type RewardConnectionResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardConnection'] = ResolversParentTypes['RewardConnection']> = {
  edges?: Resolver<Array<ResolversTypes['RewardEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type RewardEdgeResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardEdge'] = ResolversParentTypes['RewardEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Reward'], ParentType, ContextType>;
};

export type Resolvers<ContextType = RewardsContext> = {
  DateTime?: GraphQLScalarType;
  Member?: MemberResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Partner?: PartnerResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Redemption?: RedemptionResolvers<ContextType>;
  RedemptionConnection?: RedemptionConnectionResolvers<ContextType>;
  RedemptionEdge?: RedemptionEdgeResolvers<ContextType>;
  Reward?: RewardResolvers<ContextType>;
  RewardConnection?: RewardConnectionResolvers<ContextType>;
  RewardEdge?: RewardEdgeResolvers<ContextType>;
};

