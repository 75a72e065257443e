import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { PartnerRow, ContractRow } from '../entities';
import type { SettlementContext } from '../context';
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
  /** An instant in time, as an RFC 3339 string with a UTC offset, for example `2026-11-22T16:49:53.000Z`. */
  DateTime: { input: Date | string; output: Date | string; }
  /**
   * A signed 64-bit integer, serialized as a string of decimal digits (for example `"1250000"`) so
   * that every JSON parser reads it exactly. Used for money and for coalition-wide point totals.
   */
  Long: { input: bigint; output: bigint | string | number; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** A partner brand of the coalition. Owned by the settlement subgraph. */
export type Partner = {
  __typename?: 'Partner';
  /** The partner's line of business. */
  category: PartnerCategory;
  /** Short unique code of the partner, such as `city-bonus-cinema`. */
  code: Scalars['String']['output'];
  /** The contract in force now. Readable by the partner itself and the operator; FORBIDDEN to others. */
  contract: PartnerContract;
  /** Stable identifier of the partner. */
  id: Scalars['ID']['output'];
  /** Display name of the partner. */
  name: Scalars['String']['output'];
  /**
   * Money owed either way for the points issued and redeemed at the partner so far. Readable by the
   * partner itself and the operator; FORBIDDEN to others.
   */
  position: PartnerPosition;
  /** The coalition programme the partner belongs to, such as `City Bonus`. */
  programName: Scalars['String']['output'];
  /** Whether the partner takes part now. */
  status: PartnerStatus;
};

/** The line of business of a partner. */
export type PartnerCategory =
  /** Airlines. */
  | 'AIRLINE'
  /** Car rental companies. */
  | 'CAR_RENTAL'
  /** Cinemas. */
  | 'CINEMA'
  /** Gyms and fitness clubs. */
  | 'FITNESS'
  /** Grocery stores. */
  | 'GROCER'
  /** Hotel chains. */
  | 'HOTEL'
  /** Restaurants and cafés. */
  | 'RESTAURANT';

/**
 * The commercial terms between a partner and the coalition. Prices per point are in micro-units of
 * the currency (millionths of one major unit: 10000 micros is one cent of a euro).
 */
export type PartnerContract = {
  __typename?: 'PartnerContract';
  /** ISO 4217 code of the contract currency. */
  currency: Scalars['String']['output'];
  /** Points a member earns per major currency unit spent, in thousandths: 1000 is one point per euro. */
  earnRateMilliPointsPerUnit: Scalars['Int']['output'];
  /** When the contract took effect. */
  effectiveFrom: Scalars['DateTime']['output'];
  /** What the partner pays the coalition for each point its customers earn, in micro-units. */
  issuePriceMicrosPerPoint: Scalars['Int']['output'];
  /** What the coalition pays the partner for each point members redeem there, in micro-units. */
  redemptionValueMicrosPerPoint: Scalars['Int']['output'];
};

/**
 * What a partner and the coalition owe each other for the ledger events counted so far. Amounts are
 * in minor units of `currency`; each is rounded once, half to even, from exact micro-unit products.
 */
export type PartnerPosition = {
  __typename?: 'PartnerPosition';
  /** ISO 4217 code of the amounts. */
  currency: Scalars['String']['output'];
  /** Which way the net amount flows. */
  direction: SettlementDirection;
  /** What the partner owes for the points issued, in minor units. */
  issuedAmountMinor: Scalars['Long']['output'];
  /** Position of the last ledger event counted. */
  lastEventPosition: Scalars['Long']['output'];
  /** The absolute value of issued less reversed less redeemed amounts, in minor units. */
  netAmountMinor: Scalars['Long']['output'];
  /** Points the partner's customers earned. */
  pointsIssued: Scalars['Long']['output'];
  /** Points members redeemed at the partner, less those given back by cancellations. */
  pointsRedeemed: Scalars['Long']['output'];
  /** Points taken back by refunds of purchases at the partner. */
  pointsReversed: Scalars['Long']['output'];
  /** What the coalition owes the partner for the points redeemed, in minor units. */
  redeemedAmountMinor: Scalars['Long']['output'];
  /** What the partner is credited for the points reversed, in minor units. */
  reversedAmountMinor: Scalars['Long']['output'];
};

/** Whether a partner takes part in the coalition. */
export type PartnerStatus =
  /** Members earn and redeem at the partner. */
  | 'ACTIVE'
  /** The partner has left or is paused; no new earns or redemptions. */
  | 'SUSPENDED';

/**
 * The terms the ledger needs to turn a purchase into points and points into money. Not part of the
 * public graph.
 */
export type PartnerTerms = {
  __typename?: 'PartnerTerms';
  /** Whether the partner may post earns and take points now. */
  active: Scalars['Boolean']['output'];
  /** ISO 4217 code of the contract currency. */
  currency: Scalars['String']['output'];
  /** Points per major currency unit, in thousandths. */
  earnRateMilliPointsPerUnit: Scalars['Int']['output'];
  /** The partner. */
  partnerId: Scalars['ID']['output'];
  /** What the coalition pays the partner per point redeemed there, in micro-units. */
  redemptionValueMicrosPerPoint: Scalars['Int']['output'];
};

/** Reads of partners and their settlement. */
export type Query = {
  __typename?: 'Query';
  /** A partner by id. Fails with NOT_FOUND when there is no such partner. */
  partner: Partner;
  /** The terms in force for a partner. Internal: callable by subgraphs only. */
  partnerTerms: PartnerTerms;
  /** Every partner of the coalition, by programme and name. Readable without credentials. */
  partners: Array<Partner>;
};


/** Reads of partners and their settlement. */
export type QueryPartnerArgs = {
  id: Scalars['ID']['input'];
};


/** Reads of partners and their settlement. */
export type QueryPartnerTermsArgs = {
  partnerId: Scalars['ID']['input'];
};

/** Which way money flows between a partner and the coalition. */
export type SettlementDirection =
  /** Nothing is owed either way. */
  | 'EVEN'
  /** The partner owes the coalition. */
  | 'PARTNER_PAYS'
  /** The coalition owes the partner. */
  | 'PARTNER_RECEIVES';



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
  Partner: Partner;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Partner:
    ( { __typename: 'Partner' }
    & GraphQLRecursivePick<FederationTypes['Partner'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Long: ResolverTypeWrapper<Scalars['Long']['output']>;
  Partner: ResolverTypeWrapper<PartnerRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  PartnerCategory: PartnerCategory;
  PartnerContract: ResolverTypeWrapper<ContractRow>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  PartnerPosition: ResolverTypeWrapper<PartnerPosition>;
  PartnerStatus: PartnerStatus;
  PartnerTerms: ResolverTypeWrapper<PartnerTerms>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SettlementDirection: SettlementDirection;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  DateTime: Scalars['DateTime']['output'];
  Long: Scalars['Long']['output'];
  Partner: PartnerRow;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  PartnerContract: ContractRow;
  Int: Scalars['Int']['output'];
  PartnerPosition: PartnerPosition;
  PartnerTerms: PartnerTerms;
  Boolean: Scalars['Boolean']['output'];
  Query: Record<PropertyKey, never>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface LongScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Long'], any> {
  name: 'Long';
}

export type PartnerResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['Partner'] = ResolversParentTypes['Partner'], FederationReferenceType extends FederationReferenceTypes['Partner'] = FederationReferenceTypes['Partner']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Partner']> | FederationReferenceType, FederationReferenceType, ContextType>;
  category?: Resolver<ResolversTypes['PartnerCategory'], ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  contract?: Resolver<ResolversTypes['PartnerContract'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['PartnerPosition'], ParentType, ContextType>;
  programName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PartnerStatus'], ParentType, ContextType>;
};

export type PartnerContractResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['PartnerContract'] = ResolversParentTypes['PartnerContract']> = {
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  earnRateMilliPointsPerUnit?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  effectiveFrom?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  issuePriceMicrosPerPoint?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  redemptionValueMicrosPerPoint?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PartnerPositionResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['PartnerPosition'] = ResolversParentTypes['PartnerPosition']> = {
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  direction?: Resolver<ResolversTypes['SettlementDirection'], ParentType, ContextType>;
  issuedAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  lastEventPosition?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  netAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  pointsIssued?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  pointsRedeemed?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  pointsReversed?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  redeemedAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  reversedAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
};

export type PartnerTermsResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['PartnerTerms'] = ResolversParentTypes['PartnerTerms']> = {
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  earnRateMilliPointsPerUnit?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  partnerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  redemptionValueMicrosPerPoint?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  partner?: Resolver<ResolversTypes['Partner'], ParentType, ContextType, RequireFields<QueryPartnerArgs, 'id'>>;
  partnerTerms?: Resolver<ResolversTypes['PartnerTerms'], ParentType, ContextType, RequireFields<QueryPartnerTermsArgs, 'partnerId'>>;
  partners?: Resolver<Array<ResolversTypes['Partner']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = SettlementContext> = {
  DateTime?: GraphQLScalarType;
  Long?: GraphQLScalarType;
  Partner?: PartnerResolvers<ContextType>;
  PartnerContract?: PartnerContractResolvers<ContextType>;
  PartnerPosition?: PartnerPositionResolvers<ContextType>;
  PartnerTerms?: PartnerTermsResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
};

