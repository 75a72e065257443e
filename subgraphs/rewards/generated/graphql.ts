import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { RewardRow, RedemptionRow } from '../entities';
import type { MemberRef, PartnerRef } from '../resolvers';
import type { AuditRecord } from '../../../shared/audit';
import type { PublishedEvent } from '../../../shared/outbox';
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
  /**
   * A signed 64-bit integer, serialized as a string of decimal digits (for example `"1250000"`) so
   * that every JSON parser reads it exactly. Used for money and for coalition-wide point totals.
   */
  Long: { input: bigint; output: bigint | string | number; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** A change to a reward's stock. */
export type AdjustRewardStockInput = {
  /** Units to add (positive) or remove (negative); not zero. Stock never goes below zero. */
  delta: Scalars['Int']['input'];
  /** Key that makes a retry safe; see redeemReward. */
  idempotencyKey: Scalars['String']['input'];
  /** The reward. */
  rewardId: Scalars['ID']['input'];
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

/** The money part of a points + cash payment, as recorded for the partner. */
export type CashPart = {
  __typename?: 'CashPart';
  /** The amount, in minor units of the currency. */
  amountMinor: Scalars['Int']['output'];
  /** ISO 4217 code of the amount. */
  currency: Scalars['String']['output'];
};

/** A new reward for a partner's catalog. */
export type CreateRewardInput = {
  /** Points + cash: lets a member pay part of the points cost in money; points only when omitted. */
  cashOption?: InputMaybe<RewardCashOptionInput>;
  /** Money value in minor units, where it has one: 0 to 100000000; with `currency`. */
  cashValueMinor?: InputMaybe<Scalars['Int']['input']>;
  /** Catalog category: 1 to 40 lowercase letters, digits or dashes. */
  category: Scalars['String']['input'];
  /** ISO 4217 code of `cashValueMinor`. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** What the member gets: 1 to 2000 characters. */
  description: Scalars['String']['input'];
  /** Key that makes a retry safe; see redeemReward. */
  idempotencyKey: Scalars['String']['input'];
  /** What the reward gives. */
  kind: RewardKind;
  /** The lowest tier that may redeem it; BASE when omitted. */
  minTier?: InputMaybe<TierLevel>;
  /**
   * The partner offering it. A partner caller may omit it (it offers its own rewards) and may not
   * name another; the operator must give it.
   */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  /** How many times one member may redeem it, 1 to 1000; omit for no limit. */
  perMemberLimit?: InputMaybe<Scalars['Int']['input']>;
  /** Points a redemption costs: 1 to 10000000. */
  pointsCost: Scalars['Int']['input'];
  /** Units available, 0 to 1000000; omit for unlimited. */
  stock?: InputMaybe<Scalars['Int']['input']>;
  /** Short title: 1 to 120 characters. */
  title: Scalars['String']['input'];
  /** When it becomes redeemable; now when omitted. */
  validFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** When it stops being redeemable; never when omitted. */
  validUntil?: InputMaybe<Scalars['DateTime']['input']>;
  /** Days a voucher stays usable after it is issued, 1 to 366; 30 when omitted. */
  voucherValidDays?: InputMaybe<Scalars['Int']['input']>;
};

/** A coalition member; the rewards subgraph adds redemptions and affordable rewards. */
export type Member = {
  __typename?: 'Member';
  /** Active rewards available now and in stock whose points cost the member's available points cover, cheapest first. */
  affordableRewards: Array<Reward>;
  /** The member's balance, resolved by the members subgraph. */
  balance: Balance;
  /** Stable identifier of the member. */
  id: Scalars['ID']['output'];
  /** The member's redemptions, newest first. A partner sees only those made at it. */
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

/**
 * How a partner's till names a member: exactly one of the fields. A checkout token names its member
 * and, where points are spent, is the member's consent to spend them.
 */
export type MemberReferenceInput = {
  /** The member's coalition card number; spaces and dashes are ignored. A blocked card fails with CARD_BLOCKED. */
  cardNumber?: InputMaybe<Scalars['String']['input']>;
  /** A checkout token from the member's app (the content of its QR code, or the code typed in). */
  checkoutToken?: InputMaybe<Scalars['String']['input']>;
  /** The member's email address, compared case-insensitively. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** The member's id. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** The member's verified phone number, in international notation (`+4930901820`). */
  phoneNumber?: InputMaybe<Scalars['String']['input']>;
};

/** Redemptions and catalog management. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Add or remove units of stock. Callable by its partner and the operator. */
  adjustRewardStock: Reward;
  /**
   * Cancel an ISSUED voucher: its points go back to the member (with their original expiry dates)
   * and its unit back to stock. Callable by the member and the operator. Fails with LIMIT_EXCEEDED
   * when the points coming back would leave the member holding more than 2147483647 (the ledger's
   * per-member limit): the voucher stays cancelled, and the points come back by themselves once the
   * member has room.
   */
  cancelRedemption: Redemption;
  /** Add a reward to a partner's catalog. Callable by the partner and the operator. */
  createReward: Reward;
  /**
   * Redeem a reward for a member: holds one unit of stock, spends the points through the members
   * ledger (reserve, then post), and issues a voucher code. Callable by the member itself, the
   * operator, and a partner redeeming its own reward at its till with the member's checkout token or
   * PIN (without either: FORBIDDEN; a token refused by the ledger fails the redemption with FORBIDDEN,
   * nothing spent). Fails with OUT_OF_STOCK, INSUFFICIENT_POINTS, LIMIT_EXCEEDED (the per-member limit),
   * FORBIDDEN (tier too low) or BAD_USER_INPUT (retired or outside its validity), changing nothing.
   * If the ledger cannot be reached it fails with UPSTREAM_UNAVAILABLE and completes by itself later;
   * a retry with the same key returns the outcome.
   */
  redeemReward: Redemption;
  /** Withdraw a reward from the catalog. Callable by its partner and the operator. */
  retireReward: Reward;
  /** Change a reward. Callable by its partner and the operator. */
  updateReward: Reward;
  /**
   * Accept a voucher at the point of sale: ISSUED becomes USED. Callable by the partner where the
   * reward is redeemed (and the operator). Fails with NOT_FOUND for an unknown code and BAD_USER_INPUT
   * for a voucher that is not ISSUED (used, cancelled or expired).
   */
  useVoucher: Redemption;
};


/** Redemptions and catalog management. */
export type MutationAdjustRewardStockArgs = {
  input: AdjustRewardStockInput;
};


/** Redemptions and catalog management. */
export type MutationCancelRedemptionArgs = {
  redemptionId: Scalars['ID']['input'];
};


/** Redemptions and catalog management. */
export type MutationCreateRewardArgs = {
  input: CreateRewardInput;
};


/** Redemptions and catalog management. */
export type MutationRedeemRewardArgs = {
  checkoutToken?: InputMaybe<Scalars['String']['input']>;
  idempotencyKey: Scalars['String']['input'];
  member?: InputMaybe<MemberReferenceInput>;
  memberId?: InputMaybe<Scalars['ID']['input']>;
  pin?: InputMaybe<Scalars['String']['input']>;
  pointsPart?: InputMaybe<Scalars['Int']['input']>;
  rewardId: Scalars['ID']['input'];
};


/** Redemptions and catalog management. */
export type MutationRetireRewardArgs = {
  rewardId: Scalars['ID']['input'];
};


/** Redemptions and catalog management. */
export type MutationUpdateRewardArgs = {
  input: UpdateRewardInput;
};


/** Redemptions and catalog management. */
export type MutationUseVoucherArgs = {
  voucherCode: Scalars['String']['input'];
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
  /** Rewards this partner offers, retired ones included, cheapest first. */
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
  /**
   * A redemption by id: for its member, the partner where it was made, and the operator. Fails with
   * NOT_FOUND when there is no such redemption.
   */
  redemption: Redemption;
  /** A reward by id. Fails with NOT_FOUND when there is no such reward. */
  reward: Reward;
  /** Redemption events after a publication position, oldest first. Internal: callable by subgraphs only. */
  rewardEvents: Array<RewardEvent>;
  /** The reward catalog. Readable without credentials. */
  rewards: RewardConnection;
  /**
   * Entries of this subgraph's audit log matching the filter, the newest first. Internal: callable by
   * subgraphs only.
   */
  rewardsAuditLog: Array<RewardsAuditEntry>;
};


/** Reads of the reward catalog and redemptions. */
export type QueryRedemptionArgs = {
  id: Scalars['ID']['input'];
};


/** Reads of the reward catalog and redemptions. */
export type QueryRewardArgs = {
  id: Scalars['ID']['input'];
};


/** Reads of the reward catalog and redemptions. */
export type QueryRewardEventsArgs = {
  afterPosition: Scalars['Long']['input'];
  first: Scalars['Int']['input'];
};


/** Reads of the reward catalog and redemptions. */
export type QueryRewardsArgs = {
  affordableForMemberId?: InputMaybe<Scalars['ID']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  availableNow?: InputMaybe<Scalars['Boolean']['input']>;
  category?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<RewardKind>;
  maxPointsCost?: InputMaybe<Scalars['Int']['input']>;
  minPointsCost?: InputMaybe<Scalars['Int']['input']>;
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  sort?: InputMaybe<RewardSort>;
};


/** Reads of the reward catalog and redemptions. */
export type QueryRewardsAuditLogArgs = {
  action?: InputMaybe<Scalars['String']['input']>;
  actor?: InputMaybe<Scalars['String']['input']>;
  afterAt?: InputMaybe<Scalars['DateTime']['input']>;
  afterId?: InputMaybe<Scalars['ID']['input']>;
  first: Scalars['Int']['input'];
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A member's redemption of a reward. */
export type Redemption = {
  __typename?: 'Redemption';
  /**
   * Points + cash: the money the member pays the partner for the points of the cost it did not pay,
   * recorded for the partner (the coalition moves no money; a cancellation's cash refund is the
   * partner's). Null for a redemption paid in points only.
   */
  cash: Maybe<CashPart>;
  /** When the member redeemed. */
  createdAt: Scalars['DateTime']['output'];
  /** Why a FAILED redemption failed. */
  failureReason: Maybe<Scalars['String']['output']>;
  /** Stable identifier of the redemption. */
  id: Scalars['ID']['output'];
  /** The member who redeemed. */
  member: Member;
  /**
   * Points the redemption spent: the reward's cost when redeemed, or the points part of a points +
   * cash redemption; 1 to 10000000. Only these points are spent by the ledger and counted by settlement.
   */
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
  /** When the voucher stops being usable, once ISSUED. */
  voucherExpiresAt: Maybe<Scalars['DateTime']['output']>;
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
  /** The member or the operator cancelled the voucher: points and stock came back. */
  | 'CANCELLED'
  /**
   * The voucher was not used before `voucherExpiresAt`. Its points are not returned: the member had
   * the whole validity to use it, and the partner already honoured the redemption in settlement.
   */
  | 'EXPIRED'
  /** The redemption could not complete; no points were spent and the stock came back. */
  | 'FAILED'
  /** Points were spent; the voucher code is valid at the partner until `voucherExpiresAt`. */
  | 'ISSUED'
  /** Stock is held and the points are being spent; completes or is undone by itself. */
  | 'PENDING'
  /** The partner accepted the voucher at the point of sale. */
  | 'USED';

/** A reward in the coalition catalog, offered by one partner and redeemed there. */
export type Reward = {
  __typename?: 'Reward';
  /** Points + cash: how much of the points cost a member may pay in money instead; null for points only. */
  cashOption: Maybe<RewardCashOption>;
  /** Money value of the reward in minor units of `currency`, where it has one: 0 to 100000000. */
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
  /** The lowest tier that may redeem it. */
  minTier: TierLevel;
  /** The partner that offers the reward and where it is redeemed. */
  partner: Partner;
  /** How many times one member may redeem it (cancelled redemptions do not count), or null for no limit. */
  perMemberLimit: Maybe<Scalars['Int']['output']>;
  /** Points a redemption costs: 1 to 10000000. */
  pointsCost: Scalars['Int']['output'];
  /** Whether it can be redeemed. */
  status: RewardStatus;
  /**
   * Units left to redeem, or null when the stock is unlimited. Anonymous callers may get it up to 5
   * seconds old (cached catalog answers); identified callers always get it current, and a redemption
   * checks the stock itself.
   */
  stockRemaining: Maybe<Scalars['Int']['output']>;
  /** Short title shown in the catalog. */
  title: Scalars['String']['output'];
  /** When it becomes redeemable, or null if it already is. */
  validFrom: Maybe<Scalars['DateTime']['output']>;
  /** When it stops being redeemable, or null if it does not. */
  validUntil: Maybe<Scalars['DateTime']['output']>;
  /** Days a voucher stays usable after it is issued. */
  voucherValidDays: Scalars['Int']['output'];
};

/**
 * A reward's points + cash option: a redemption pays at least `minPointsPart` points and each point
 * of the cost it does not pay costs `cashMicrosPerPoint` in money, paid to the partner at its till.
 */
export type RewardCashOption = {
  __typename?: 'RewardCashOption';
  /** What each point not paid costs, in micro-units (millionths) of `currency`: 1 to 1000000000. */
  cashMicrosPerPoint: Scalars['Int']['output'];
  /** ISO 4217 code of the cash price. */
  currency: Scalars['String']['output'];
  /** The least points a redemption pays: at least 20% of the points cost (rounded up), below the cost. */
  minPointsPart: Scalars['Int']['output'];
};

/**
 * The cash price of a reward's points + cash option. The coalition allows it only above a floor on
 * the points part (20% of the cost), so no reward goes for a token point and the rest in money.
 */
export type RewardCashOptionInput = {
  /** What each point not paid costs, in micro-units (millionths) of `currency`: 1 to 1000000000. */
  cashMicrosPerPoint: Scalars['Int']['input'];
  /** ISO 4217 code of a currency with a minor unit: the currency the partner takes at its till. */
  currency: Scalars['String']['input'];
  /** The least points a redemption pays: from 20% of the points cost (rounded up) to the cost less 1. */
  minPointsPart: Scalars['Int']['input'];
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

/**
 * A redemption event from the rewards outbox, in publication order. Not part of the public graph:
 * settlement reads these to send webhooks.
 */
export type RewardEvent = {
  __typename?: 'RewardEvent';
  /** Identifier of the event, unique across the rewards subgraph. */
  id: Scalars['ID']['output'];
  /** The member the event concerns. */
  memberId: Scalars['ID']['output'];
  /** Sequence of this event among the member's rewards events, from 1 with no gaps. */
  memberSequence: Scalars['Int']['output'];
  /** When the event was recorded. */
  occurredAt: Scalars['DateTime']['output'];
  /** The event body as a JSON string. */
  payload: Scalars['String']['output'];
  /** Publication position of the event; consumers resume after the last one they applied. */
  position: Scalars['Long']['output'];
  /** Event type: `redemption.issued`, `redemption.used`, `redemption.cancelled`, `redemption.expired` or `redemption.failed`. */
  type: Scalars['String']['output'];
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

/** Orders of the catalog. */
export type RewardSort =
  /** Most recently added first. */
  | 'NEWEST'
  /** Cheapest first. */
  | 'POINTS_COST_ASC'
  /** Dearest first. */
  | 'POINTS_COST_DESC';

/** Whether a reward can be redeemed. */
export type RewardStatus =
  /** In the catalog: redeemable within its validity window while in stock. */
  | 'ACTIVE'
  /** Withdrawn by its partner: no longer redeemable; issued vouchers stay valid. */
  | 'RETIRED';

/** An entry of the rewards subgraph's audit log. Not part of the public graph (settlement's `auditLog` merges it). */
export type RewardsAuditEntry = {
  __typename?: 'RewardsAuditEntry';
  /** What was done. */
  action: Scalars['String']['output'];
  /** Who acted. */
  actor: Scalars['String']['output'];
  /** When it happened. */
  at: Scalars['DateTime']['output'];
  /** Inputs and outcome, as a JSON object. */
  details: Scalars['String']['output'];
  /** Stable identifier of the entry. */
  id: Scalars['ID']['output'];
  /** What it was done to. */
  target: Maybe<Scalars['String']['output']>;
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

/** Changes to a reward; omitted fields stay as they are. Stock changes through adjustRewardStock. */
export type UpdateRewardInput = {
  /** Catalog category: 1 to 40 lowercase letters, digits or dashes. */
  category?: InputMaybe<Scalars['String']['input']>;
  /** What the member gets: 1 to 2000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The lowest tier that may redeem it. */
  minTier?: InputMaybe<TierLevel>;
  /** How many times one member may redeem it, 1 to 1000. */
  perMemberLimit?: InputMaybe<Scalars['Int']['input']>;
  /** Points a redemption costs: 1 to 10000000. Redemptions already made keep their cost. */
  pointsCost?: InputMaybe<Scalars['Int']['input']>;
  /** The reward to change. */
  rewardId: Scalars['ID']['input'];
  /** Short title: 1 to 120 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
  /** When it stops being redeemable. */
  validUntil?: InputMaybe<Scalars['DateTime']['input']>;
};



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
  AdjustRewardStockInput: AdjustRewardStockInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Balance: ResolverTypeWrapper<Balance>;
  CashPart: ResolverTypeWrapper<CashPart>;
  CreateRewardInput: CreateRewardInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Long: ResolverTypeWrapper<Scalars['Long']['output']>;
  Member: ResolverTypeWrapper<MemberRef>;
  MemberReferenceInput: MemberReferenceInput;
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
  RewardCashOption: ResolverTypeWrapper<RewardCashOption>;
  RewardCashOptionInput: RewardCashOptionInput;
  RewardConnection: ResolverTypeWrapper<Omit<RewardConnection, 'edges'> & { edges: Array<ResolversTypes['RewardEdge']> }>;
  RewardEdge: ResolverTypeWrapper<Omit<RewardEdge, 'node'> & { node: ResolversTypes['Reward'] }>;
  RewardEvent: ResolverTypeWrapper<PublishedEvent>;
  RewardKind: RewardKind;
  RewardSort: RewardSort;
  RewardStatus: RewardStatus;
  RewardsAuditEntry: ResolverTypeWrapper<AuditRecord>;
  TierLevel: TierLevel;
  UpdateRewardInput: UpdateRewardInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AdjustRewardStockInput: AdjustRewardStockInput;
  ID: Scalars['ID']['output'];
  Balance: Balance;
  CashPart: CashPart;
  CreateRewardInput: CreateRewardInput;
  DateTime: Scalars['DateTime']['output'];
  Long: Scalars['Long']['output'];
  Member: MemberRef;
  MemberReferenceInput: MemberReferenceInput;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Partner: PartnerRef;
  Query: Record<PropertyKey, never>;
  Redemption: RedemptionRow;
  RedemptionConnection: Omit<RedemptionConnection, 'edges'> & { edges: Array<ResolversParentTypes['RedemptionEdge']> };
  RedemptionEdge: Omit<RedemptionEdge, 'node'> & { node: ResolversParentTypes['Redemption'] };
  Reward: RewardRow;
  RewardCashOption: RewardCashOption;
  RewardCashOptionInput: RewardCashOptionInput;
  RewardConnection: Omit<RewardConnection, 'edges'> & { edges: Array<ResolversParentTypes['RewardEdge']> };
  RewardEdge: Omit<RewardEdge, 'node'> & { node: ResolversParentTypes['Reward'] };
  RewardEvent: PublishedEvent;
  RewardsAuditEntry: AuditRecord;
  UpdateRewardInput: UpdateRewardInput;
  Int: Scalars['Int']['output'];
  String: Scalars['String']['output'];
};

export type CacheControlDirectiveArgs = {
  maxAge?: Maybe<Scalars['Int']['input']>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = RewardsContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ScopesDirectiveArgs = {
  anyOf: Array<Scalars['String']['input']>;
};

export type ScopesDirectiveResolver<Result, Parent, ContextType = RewardsContext, Args = ScopesDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type CashPartResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['CashPart'] = ResolversParentTypes['CashPart']> = {
  amountMinor?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface LongScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Long'], any> {
  name: 'Long';
}

export type MemberResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Member'] = ResolversParentTypes['Member'], FederationReferenceType extends FederationReferenceTypes['Member'] = FederationReferenceTypes['Member']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Member']> | FederationReferenceType, FederationReferenceType, ContextType>;
  affordableRewards?: Resolver<Array<ResolversTypes['Reward']>, ParentType, ContextType, RequireFields<MemberAffordableRewardsArgs, 'first'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  redemptions?: Resolver<ResolversTypes['RedemptionConnection'], ParentType, ContextType, RequireFields<MemberRedemptionsArgs, 'first'>>;
};

export type MutationResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  adjustRewardStock?: Resolver<ResolversTypes['Reward'], ParentType, ContextType, RequireFields<MutationAdjustRewardStockArgs, 'input'>>;
  cancelRedemption?: Resolver<ResolversTypes['Redemption'], ParentType, ContextType, RequireFields<MutationCancelRedemptionArgs, 'redemptionId'>>;
  createReward?: Resolver<ResolversTypes['Reward'], ParentType, ContextType, RequireFields<MutationCreateRewardArgs, 'input'>>;
  redeemReward?: Resolver<ResolversTypes['Redemption'], ParentType, ContextType, RequireFields<MutationRedeemRewardArgs, 'idempotencyKey' | 'rewardId'>>;
  retireReward?: Resolver<ResolversTypes['Reward'], ParentType, ContextType, RequireFields<MutationRetireRewardArgs, 'rewardId'>>;
  updateReward?: Resolver<ResolversTypes['Reward'], ParentType, ContextType, RequireFields<MutationUpdateRewardArgs, 'input'>>;
  useVoucher?: Resolver<ResolversTypes['Redemption'], ParentType, ContextType, RequireFields<MutationUseVoucherArgs, 'voucherCode'>>;
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
  redemption?: Resolver<ResolversTypes['Redemption'], ParentType, ContextType, RequireFields<QueryRedemptionArgs, 'id'>>;
  reward?: Resolver<ResolversTypes['Reward'], ParentType, ContextType, RequireFields<QueryRewardArgs, 'id'>>;
  rewardEvents?: Resolver<Array<ResolversTypes['RewardEvent']>, ParentType, ContextType, RequireFields<QueryRewardEventsArgs, 'afterPosition' | 'first'>>;
  rewards?: Resolver<ResolversTypes['RewardConnection'], ParentType, ContextType, RequireFields<QueryRewardsArgs, 'availableNow' | 'first' | 'sort'>>;
  rewardsAuditLog?: Resolver<Array<ResolversTypes['RewardsAuditEntry']>, ParentType, ContextType, RequireFields<QueryRewardsAuditLogArgs, 'first'>>;
};

export type RedemptionResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Redemption'] = ResolversParentTypes['Redemption'], FederationReferenceType extends FederationReferenceTypes['Redemption'] = FederationReferenceTypes['Redemption']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Redemption']> | FederationReferenceType, FederationReferenceType, ContextType>;
  cash?: Resolver<Maybe<ResolversTypes['CashPart']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  failureReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
  pointsSpent?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reward?: Resolver<ResolversTypes['Reward'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RedemptionStatus'], ParentType, ContextType>;
  voucherCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  voucherExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
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
  cashOption?: Resolver<Maybe<ResolversTypes['RewardCashOption']>, ParentType, ContextType>;
  cashValueMinor?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  category?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currency?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['RewardKind'], ParentType, ContextType>;
  minTier?: Resolver<ResolversTypes['TierLevel'], ParentType, ContextType>;
  partner?: Resolver<ResolversTypes['Partner'], ParentType, ContextType>;
  perMemberLimit?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  pointsCost?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RewardStatus'], ParentType, ContextType>;
  stockRemaining?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  validFrom?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  validUntil?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  voucherValidDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type RewardCashOptionResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardCashOption'] = ResolversParentTypes['RewardCashOption']> = {
  cashMicrosPerPoint?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  minPointsPart?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type RewardConnectionResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardConnection'] = ResolversParentTypes['RewardConnection']> = {
  edges?: Resolver<Array<ResolversTypes['RewardEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type RewardEdgeResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardEdge'] = ResolversParentTypes['RewardEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Reward'], ParentType, ContextType>;
};

export type RewardEventResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardEvent'] = ResolversParentTypes['RewardEvent']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memberId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memberSequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  payload?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type RewardsAuditEntryResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardsAuditEntry'] = ResolversParentTypes['RewardsAuditEntry']> = {
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  details?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  target?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = RewardsContext> = {
  CashPart?: CashPartResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Long?: GraphQLScalarType;
  Member?: MemberResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Partner?: PartnerResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Redemption?: RedemptionResolvers<ContextType>;
  RedemptionConnection?: RedemptionConnectionResolvers<ContextType>;
  RedemptionEdge?: RedemptionEdgeResolvers<ContextType>;
  Reward?: RewardResolvers<ContextType>;
  RewardCashOption?: RewardCashOptionResolvers<ContextType>;
  RewardConnection?: RewardConnectionResolvers<ContextType>;
  RewardEdge?: RewardEdgeResolvers<ContextType>;
  RewardEvent?: RewardEventResolvers<ContextType>;
  RewardsAuditEntry?: RewardsAuditEntryResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = RewardsContext> = {
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
  scopes?: ScopesDirectiveResolver<any, any, ContextType>;
};
