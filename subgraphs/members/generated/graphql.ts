import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { MemberRow, TransferRow } from '../entities';
import type { PublishedEvent } from '../../../shared/outbox';
import type { PartnerRef } from '../resolvers';
import type { MembersContext } from '../context';
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
  /**
   * A signed 64-bit integer, serialized as a string of decimal digits (for example `"1250000"`) so
   * that every JSON parser reads it exactly. Used for money and for coalition-wide point totals.
   */
  Long: { input: bigint; output: bigint | string | number; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** The points a member holds, as recorded by the ledger. */
export type Balance = {
  __typename?: 'Balance';
  /** Points the member can spend now. */
  availablePoints: Scalars['Int']['output'];
  /** Every point the member has ever earned, before spending, reversals and expiry. */
  lifetimeEarnedPoints: Scalars['Int']['output'];
};

/**
 * A debit of a member's points for a redemption, requested by another subgraph. Not part of the
 * public graph.
 */
export type DebitPointsInput = {
  /** Key that makes a retry safe; see EarnPointsInput.idempotencyKey. */
  idempotencyKey: Scalars['String']['input'];
  /** The member whose points are spent. */
  memberId: Scalars['ID']['input'];
  /** The partner where the points are spent. */
  partnerId: Scalars['ID']['input'];
  /** Points to spend: 1 or more. */
  points: Scalars['Int']['input'];
  /** What the points are spent on, such as a redemption id. */
  reference: Scalars['String']['input'];
};

/** A purchase at a partner that earns points. */
export type EarnPointsInput = {
  /** ISO 4217 code of the purchase currency; must be the currency of the partner's contract. */
  currency: Scalars['String']['input'];
  /**
   * Key that makes a retry safe: the same key with the same input returns the first result; the
   * same key with other input fails with IDEMPOTENCY_CONFLICT. 1 to 128 printable ASCII characters.
   */
  idempotencyKey: Scalars['String']['input'];
  /** The member who made the purchase. */
  memberId: Scalars['ID']['input'];
  /**
   * The partner where the purchase was made. A partner caller may omit it (it posts its own
   * purchases) and may not name another partner; the operator must give it.
   */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  /** Amount spent, in minor units of the currency (cents for EUR): 1 to 100000000. */
  purchaseAmountMinor: Scalars['Int']['input'];
  /** The partner's reference for the purchase, such as a receipt number: 1 to 200 characters. */
  reference: Scalars['String']['input'];
};

/** What a partner or the operator supplies to enroll a member. */
export type EnrollMemberInput = {
  /** The name the member wants to be addressed by: 1 to 100 characters. */
  displayName: Scalars['String']['input'];
  /** The member's email address; at most 254 characters and unique in the coalition. */
  email: Scalars['String']['input'];
  /**
   * Key that makes a retry safe: the same key with the same input returns the first result; the
   * same key with other input fails with IDEMPOTENCY_CONFLICT. 1 to 128 printable ASCII characters.
   */
  idempotencyKey: Scalars['String']['input'];
  /**
   * The partner the member enrolls through. A partner caller may omit it (it enrolls through
   * itself) and may not name another partner; the operator must give it.
   */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
};

/**
 * A ledger event from the members outbox, in publication order. Not part of the public graph: the
 * settlement subgraph reads these to catch up after downtime.
 */
export type LedgerEvent = {
  __typename?: 'LedgerEvent';
  /** Identifier of the event, unique across the ledger. */
  id: Scalars['ID']['output'];
  /** The member the event concerns. */
  memberId: Scalars['ID']['output'];
  /** Sequence of this event among the member's events, from 1 with no gaps. */
  memberSequence: Scalars['Int']['output'];
  /** When the ledger recorded the event. */
  occurredAt: Scalars['DateTime']['output'];
  /** The event body as a JSON string. */
  payload: Scalars['String']['output'];
  /**
   * Publication position of the event. Positions increase and become visible in order (a rolled-back
   * publication may skip a number); consumers resume after the last one they applied.
   */
  position: Scalars['Long']['output'];
  /** Event type, such as `points.earned` or `points.redeemed`. */
  type: Scalars['String']['output'];
};

/**
 * One immutable movement of points between two ledger accounts (double entry). Every point a member
 * holds arrived by a transfer and leaves by one.
 */
export type LedgerTransfer = {
  __typename?: 'LedgerTransfer';
  /** When the transfer was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** Stable identifier of the transfer. */
  id: Scalars['ID']['output'];
  /** What the transfer records. */
  kind: TransferKind;
  /** The member whose account the transfer credits or debits. */
  member: Member;
  /** The partner at which the points were earned or spent. */
  partner: Partner;
  /** Points moved; always positive. */
  points: Scalars['Int']['output'];
  /** The caller's reference for the transfer, such as a receipt number. */
  reference: Scalars['String']['output'];
};

/**
 * A coalition member: one identity that earns points at any partner and redeems them at any partner.
 * Owned by the members subgraph; other subgraphs add fields to it.
 */
export type Member = {
  __typename?: 'Member';
  /** The member's points balance, read from the ledger (the only source of truth for balances). */
  balance: Balance;
  /** The name the member chose to be addressed by. */
  displayName: Scalars['String']['output'];
  /** The member's email address, unique in the coalition (compared case-insensitively). */
  email: Scalars['String']['output'];
  /** When the member joined the coalition. */
  enrolledAt: Scalars['DateTime']['output'];
  /** The partner the member enrolled through. */
  enrolledVia: Partner;
  /** Stable identifier of the member. */
  id: Scalars['ID']['output'];
  /** The member's current tier. */
  tier: Tier;
};

/** A page of members. */
export type MemberConnection = {
  __typename?: 'MemberConnection';
  /** The members on this page, each with its cursor. */
  edges: Array<MemberEdge>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
};

/** A member on a page, with its cursor. */
export type MemberEdge = {
  __typename?: 'MemberEdge';
  /** Opaque cursor of this member in the list. */
  cursor: Scalars['String']['output'];
  /** The member. */
  node: Member;
};

/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Spend a member's points at a partner. Internal: callable by subgraphs only (the rewards subgraph
   * for redemptions). Fails with INSUFFICIENT_POINTS when the balance does not cover it.
   */
  debitPoints: LedgerTransfer;
  /**
   * Turn a purchase into points at the partner's earn rate times the member's tier multiplier,
   * rounded down to whole points. Callable by partners and the operator.
   */
  earnPoints: LedgerTransfer;
  /** Enroll a new member in the coalition, through a partner. Callable by partners and the operator. */
  enrollMember: Member;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationDebitPointsArgs = {
  input: DebitPointsInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationEarnPointsArgs = {
  input: EarnPointsInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationEnrollMemberArgs = {
  input: EnrollMemberInput;
};

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item on this page, or null when the page is empty. */
  endCursor: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * A partner brand of the coalition. Owned by the settlement subgraph; the members subgraph adds the
 * members who enrolled through it.
 */
export type Partner = {
  __typename?: 'Partner';
  /** Stable identifier of the partner. */
  id: Scalars['ID']['output'];
  /** Members who enrolled through this partner, newest first. */
  members: MemberConnection;
};


/**
 * A partner brand of the coalition. Owned by the settlement subgraph; the members subgraph adds the
 * members who enrolled through it.
 */
export type PartnerMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Reads of members and their points. */
export type Query = {
  __typename?: 'Query';
  /** Ledger events after a publication position, oldest first. Internal: callable by subgraphs only. */
  ledgerEvents: Array<LedgerEvent>;
  /** The calling member itself. Null for callers that are not members. */
  me: Maybe<Member>;
  /**
   * A member by id. Members may read only themselves; partners and the operator may read any member.
   * Fails with NOT_FOUND when there is no such member.
   */
  member: Member;
};


/** Reads of members and their points. */
export type QueryLedgerEventsArgs = {
  afterPosition: Scalars['Long']['input'];
  first: Scalars['Int']['input'];
};


/** Reads of members and their points. */
export type QueryMemberArgs = {
  id: Scalars['ID']['input'];
};

/** A member's tier and what it takes to reach the next one. */
export type Tier = {
  __typename?: 'Tier';
  /** Earn multiplier of this tier in permille: 1000 means x1, 1250 means x1.25. */
  earnMultiplierPermille: Scalars['Int']['output'];
  /** The tier the member holds. */
  level: TierLevel;
  /** The next tier up, or null at the highest tier. */
  nextLevel: Maybe<TierLevel>;
  /** Qualifying points still needed to reach the next tier, or null at the highest tier. */
  pointsToNextLevel: Maybe<Scalars['Int']['output']>;
  /** Points that count towards tier qualification. */
  qualifyingPoints: Scalars['Int']['output'];
};

/** Membership tiers, lowest first. A higher tier earns more points per purchase (its earn multiplier). */
export type TierLevel =
  /** Every member starts here. */
  | 'BASE'
  /** The second tier above Base. */
  | 'GOLD'
  /** The highest tier. */
  | 'PLATINUM'
  /** The first tier above Base. */
  | 'SILVER';

/** The kind of a ledger transfer. */
export type TransferKind =
  /** Points earned by a purchase at a partner. */
  | 'EARN'
  /** Points spent on a reward or at a point of sale. */
  | 'REDEEM';



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
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Member:
    ( { __typename: 'Member' }
    & GraphQLRecursivePick<FederationTypes['Member'], {"id":true}> );
  Partner:
    ( { __typename: 'Partner' }
    & GraphQLRecursivePick<FederationTypes['Partner'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Balance: ResolverTypeWrapper<Balance>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DebitPointsInput: DebitPointsInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  EarnPointsInput: EarnPointsInput;
  EnrollMemberInput: EnrollMemberInput;
  LedgerEvent: ResolverTypeWrapper<PublishedEvent>;
  LedgerTransfer: ResolverTypeWrapper<TransferRow>;
  Long: ResolverTypeWrapper<Scalars['Long']['output']>;
  Member: ResolverTypeWrapper<MemberRow>;
  MemberConnection: ResolverTypeWrapper<Omit<MemberConnection, 'edges'> & { edges: Array<ResolversTypes['MemberEdge']> }>;
  MemberEdge: ResolverTypeWrapper<Omit<MemberEdge, 'node'> & { node: ResolversTypes['Member'] }>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Partner: ResolverTypeWrapper<PartnerRef>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Tier: ResolverTypeWrapper<Tier>;
  TierLevel: TierLevel;
  TransferKind: TransferKind;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Balance: Balance;
  Int: Scalars['Int']['output'];
  DateTime: Scalars['DateTime']['output'];
  DebitPointsInput: DebitPointsInput;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  EarnPointsInput: EarnPointsInput;
  EnrollMemberInput: EnrollMemberInput;
  LedgerEvent: PublishedEvent;
  LedgerTransfer: TransferRow;
  Long: Scalars['Long']['output'];
  Member: MemberRow;
  MemberConnection: Omit<MemberConnection, 'edges'> & { edges: Array<ResolversParentTypes['MemberEdge']> };
  MemberEdge: Omit<MemberEdge, 'node'> & { node: ResolversParentTypes['Member'] };
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Partner: PartnerRef;
  Query: Record<PropertyKey, never>;
  Tier: Tier;
};

export type BalanceResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Balance'] = ResolversParentTypes['Balance']> = {
  availablePoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lifetimeEarnedPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type LedgerEventResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['LedgerEvent'] = ResolversParentTypes['LedgerEvent']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memberId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memberSequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  payload?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LedgerTransferResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['LedgerTransfer'] = ResolversParentTypes['LedgerTransfer']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['TransferKind'], ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
  partner?: Resolver<ResolversTypes['Partner'], ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reference?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export interface LongScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Long'], any> {
  name: 'Long';
}

export type MemberResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Member'] = ResolversParentTypes['Member'], FederationReferenceType extends FederationReferenceTypes['Member'] = FederationReferenceTypes['Member']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Member']> | FederationReferenceType, FederationReferenceType, ContextType>;
  balance?: Resolver<ResolversTypes['Balance'], ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  enrolledAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  enrolledVia?: Resolver<ResolversTypes['Partner'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['Tier'], ParentType, ContextType>;
};

export type MemberConnectionResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['MemberConnection'] = ResolversParentTypes['MemberConnection']> = {
  edges?: Resolver<Array<ResolversTypes['MemberEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type MemberEdgeResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['MemberEdge'] = ResolversParentTypes['MemberEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  debitPoints?: Resolver<ResolversTypes['LedgerTransfer'], ParentType, ContextType, RequireFields<MutationDebitPointsArgs, 'input'>>;
  earnPoints?: Resolver<ResolversTypes['LedgerTransfer'], ParentType, ContextType, RequireFields<MutationEarnPointsArgs, 'input'>>;
  enrollMember?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationEnrollMemberArgs, 'input'>>;
};

export type PageInfoResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PartnerResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Partner'] = ResolversParentTypes['Partner'], FederationReferenceType extends FederationReferenceTypes['Partner'] = FederationReferenceTypes['Partner']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Partner']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  members?: Resolver<ResolversTypes['MemberConnection'], ParentType, ContextType, RequireFields<PartnerMembersArgs, 'first'>>;
};

export type QueryResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  ledgerEvents?: Resolver<Array<ResolversTypes['LedgerEvent']>, ParentType, ContextType, RequireFields<QueryLedgerEventsArgs, 'afterPosition' | 'first'>>;
  me?: Resolver<Maybe<ResolversTypes['Member']>, ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<QueryMemberArgs, 'id'>>;
};

export type TierResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Tier'] = ResolversParentTypes['Tier']> = {
  earnMultiplierPermille?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  level?: Resolver<ResolversTypes['TierLevel'], ParentType, ContextType>;
  nextLevel?: Resolver<Maybe<ResolversTypes['TierLevel']>, ParentType, ContextType>;
  pointsToNextLevel?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  qualifyingPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type Resolvers<ContextType = MembersContext> = {
  Balance?: BalanceResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  LedgerEvent?: LedgerEventResolvers<ContextType>;
  LedgerTransfer?: LedgerTransferResolvers<ContextType>;
  Long?: GraphQLScalarType;
  Member?: MemberResolvers<ContextType>;
  MemberConnection?: MemberConnectionResolvers<ContextType>;
  MemberEdge?: MemberEdgeResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Partner?: PartnerResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Tier?: TierResolvers<ContextType>;
};

