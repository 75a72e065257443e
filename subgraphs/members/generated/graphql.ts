import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { MemberRow, TransferRow } from '../entities';
import type { PublishedEvent } from '../../../shared/outbox';
import type { MemberEventRow } from '../reads';
import type { PartnerRef } from '../resolvers';
import type { AuditRecord } from '../../../shared/audit';
import type { IssuedCheckoutToken } from '../checkout';
import type { ClaimRow } from '../claims';
import type { RecordedPurchaseRow } from '../purchases';
import type { CampaignRow, CampaignEventView, MemberOffer } from '../campaigns';
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

/** An operator's correction of a member's points. */
export type AdjustPointsInput = {
  /** For added points: when they expire; by default after the coalition's points lifetime. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Key that makes a retry safe; see EarnPointsInput.idempotencyKey. */
  idempotencyKey: Scalars['String']['input'];
  /** The member whose points are corrected. */
  memberId: Scalars['ID']['input'];
  /**
   * Points to add (positive) or remove (negative): -10000000 to 10000000, not zero. Removal cannot
   * take the member below zero; an addition that would leave the member holding more than 2147483647
   * points is refused with LIMIT_EXCEEDED.
   */
  points: Scalars['Int']['input'];
  /** Why: 1 to 500 characters, kept with the transfer for audit. */
  reason: Scalars['String']['input'];
};

/**
 * The points a member holds, as recorded by the ledger. A member holds at most 2147483647 points,
 * available, pending and reserved together, and earns at most as many in all (posted or pending, less
 * refunds): a posting that would take the member past either is refused with LIMIT_EXCEEDED before
 * anything is written, so every figure here fits an Int.
 */
export type Balance = {
  __typename?: 'Balance';
  /**
   * Points the member can spend now, at most 2147483647. Negative only after a clawback: a refund
   * took back points the member had already spent (a debt of at most 2147483647 points).
   */
  availablePoints: Scalars['Int']['output'];
  /** Every point the member has earned and kept: posted earns less reversals. At most 2147483647. */
  lifetimeEarnedPoints: Scalars['Int']['output'];
  /** The next points to expire, or null when none will. */
  nextExpiry: Maybe<PointsExpiry>;
  /** Points earned but not yet posted (a hotel stay before checkout); spendable once posted. */
  pendingPoints: Scalars['Int']['output'];
  /** Points held for redemptions under way; spent when they complete, returned if they fail. */
  reservedPoints: Scalars['Int']['output'];
};

/**
 * One event of a member's ledger history, numbered 1, 2, 3... per member with no gap: a client that
 * saw sequence N and asks for what came after gets N + 1 next.
 */
export type BalanceEvent = {
  __typename?: 'BalanceEvent';
  /** For a BALANCE_CHANGED event: the member's balances right after it. */
  balance: Maybe<BalanceSnapshot>;
  /**
   * For a BONUS: the campaign that granted it (its name, what is left of it), as the member's offers
   * show campaigns; null for any other event.
   */
  campaign: Maybe<Campaign>;
  /** Change to the member's available points (0 for a tier change). */
  delta: Scalars['Int']['output'];
  /** For a BALANCE_CHANGED event: the kind of transfer. */
  kind: Maybe<TransferKind>;
  /** The member. */
  member: Member;
  /** When the ledger recorded it. */
  occurredAt: Scalars['DateTime']['output'];
  /** For a BALANCE_CHANGED event: the partner involved, if any (for a BONUS, the campaign's funder). */
  partner: Maybe<Partner>;
  /** Change to the member's pending points. */
  pendingDelta: Scalars['Int']['output'];
  /** Why: the transfer kind, or the tier change, in words. */
  reason: Scalars['String']['output'];
  /** The event's number among the member's events. */
  sequence: Scalars['Int']['output'];
  /** For a TIER_CHANGED event: the tier before. */
  tierFrom: Maybe<TierLevel>;
  /** For a TIER_CHANGED event: the tier after. */
  tierTo: Maybe<TierLevel>;
  /** What the event records. */
  type: MemberEventType;
};

/** The member's balances right after an event. */
export type BalanceSnapshot = {
  __typename?: 'BalanceSnapshot';
  /** Points the member could spend. */
  availablePoints: Scalars['Int']['output'];
  /** Points pending. */
  pendingPoints: Scalars['Int']['output'];
  /** Points held for redemptions under way. */
  reservedPoints: Scalars['Int']['output'];
};

/** One line of a receipt. */
export type BasketLineInput = {
  /**
   * The article's category, such as `TOBACCO`, `LOTTERY` or `GIFT-CARD`: 1 to 40 letters, digits,
   * dashes or underscores, read case-insensitively. Decides whether the line earns.
   */
  categoryCode: Scalars['String']['input'];
  /** What the line costs, in minor units, after any discount: 0 to quantity x unitPriceMinor. */
  lineAmountMinor: Scalars['Int']['input'];
  /** How many: 1 to 10000. */
  quantity: Scalars['Int']['input'];
  /** The article's stock-keeping unit: 1 to 64 characters. */
  sku: Scalars['String']['input'];
  /** Price of one, in minor units: 0 to 100000000. */
  unitPriceMinor: Scalars['Int']['input'];
};

/** Points a member spends at a partner's point of sale. */
export type BurnPointsInput = {
  /**
   * Points + cash: the part of the price the member pays in money at the till, in the partner's
   * currency. Recorded with the burn for the partner; the coalition moves no money and settlement
   * counts only the points.
   */
  cash?: InputMaybe<CashPartInput>;
  /**
   * The member's checkout token (createCheckoutToken), which a partner must present (or `pin`): the
   * member is at the till and agrees. Not needed when `member` names the member by its token; members
   * paying themselves and the operator need none.
   */
  checkoutToken?: InputMaybe<Scalars['String']['input']>;
  /** Key that makes a retry safe; see EarnPointsInput.idempotencyKey. */
  idempotencyKey: Scalars['String']['input'];
  /** The member who pays with points, by a reference (a card number, a checkout token...). Give this or `memberId`, not both. */
  member?: InputMaybe<MemberReferenceInput>;
  /** The member who pays with points, by id. Give this or `member`, not both. */
  memberId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * The partner where the points are spent. A partner caller may omit it (its own point of sale) and
   * may not name another partner; the operator must give it.
   */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * The member's PIN (setPin), typed by the member at the till: instead of a checkout token, with
   * the member named by card, phone, email or id. A wrong PIN fails with FORBIDDEN and is counted:
   * 5 wrong for a member within 15 minutes lock its PIN (LIMIT_EXCEEDED, right PIN or not, with
   * `retryAfterSeconds`), and each counts towards the partner's lockout of refused tokens and PINs.
   */
  pin?: InputMaybe<Scalars['String']['input']>;
  /** Points to spend: 1 to 10000000. */
  points: Scalars['Int']['input'];
  /** The partner's reference, such as a receipt number: 1 to 200 characters. */
  reference: Scalars['String']['input'];
};

/** A promotion a partner funds: bonus points granted at earn time and billed to the funder. */
export type Campaign = {
  __typename?: 'Campaign';
  /** Fixed bonus points of the rule; 0 when the rule takes none. */
  bonusPoints: Scalars['Int']['output'];
  /** What is left of the budget (refunded bonuses come back to it). */
  budgetLeftPoints: Scalars['Int']['output'];
  /** The total points it may grant. */
  budgetPoints: Scalars['Int']['output'];
  /** For LINE_BONUS: the category codes whose lines get the bonus. */
  categoryCodes: Array<Scalars['String']['output']>;
  /** True: it grants on purchases at every partner (the operator approves it); false: only at the funder. */
  coalitionWide: Scalars['Boolean']['output'];
  /** For DISTINCT_CATEGORIES: how many distinct categories the member buys in within windowDays; null for other rules. */
  distinctCategories: Maybe<Scalars['Int']['output']>;
  /** For DISTINCT_PARTNERS: how many distinct partners the member shops at within windowDays; null for other rules. */
  distinctPartners: Maybe<Scalars['Int']['output']>;
  /** When it stops granting (exclusive). */
  endsAt: Scalars['DateTime']['output'];
  /** True: when it grants, it is the only campaign applied to the purchase (the exclusive one granting most wins). */
  exclusive: Scalars['Boolean']['output'];
  /** Extra points per 1000 points a line earned (1000 doubles them); 0 when the rule takes none. */
  extraPermille: Scalars['Int']['output'];
  /** The partner that funds the bonuses and is billed for them. */
  funderPartnerId: Scalars['ID']['output'];
  /** The campaign's id. */
  id: Scalars['ID']['output'];
  /**
   * The sequence of the campaign's latest event (0 before the first): `campaignChanged` resumes after
   * it. The funding partner and the operator only (FORBIDDEN for anyone else).
   */
  lastEventSequence: Scalars['Int']['output'];
  /** A name for people. */
  name: Scalars['String']['output'];
  /** Targeting: true grants only to members with no earlier purchase (not voided) at the funder. */
  newCustomersOnly: Scalars['Boolean']['output'];
  /** True: an offer a member must activate (activateOffer) before the purchase; it grants only to members who did. */
  optIn: Scalars['Boolean']['output'];
  /** Most bonus points one member may get from it, net of refunds; null: no cap. */
  perMemberCapPoints: Maybe<Scalars['Int']['output']>;
  /** The funder's figures; the funding partner and the operator only (FORBIDDEN for anyone else). */
  report: CampaignReport;
  /** How the bonus is worked out. */
  ruleKind: CampaignRuleKind;
  /** Targeting: when not empty, grants only to members with an earlier purchase at the funder with a line (not returned) in one of these categories. */
  shopperCategoryCodes: Array<Scalars['String']['output']>;
  /** For LINE_BONUS: the SKUs whose lines get the bonus. */
  skus: Array<Scalars['String']['output']>;
  /** When it starts granting. */
  startsAt: Scalars['DateTime']['output'];
  /** Where it is in its life. */
  status: CampaignStatus;
  /** The tiers whose members it targets; empty: every tier. */
  tiers: Array<Scalars['String']['output']>;
  /** For DISTINCT_PARTNERS and DISTINCT_CATEGORIES: the window in days; null for other rules. */
  windowDays: Maybe<Scalars['Int']['output']>;
};

/** A page of campaigns. */
export type CampaignConnection = {
  __typename?: 'CampaignConnection';
  /** The campaigns on this page, each with its cursor. */
  edges: Array<CampaignEdge>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
};

/** A campaign on a page, with its cursor. */
export type CampaignEdge = {
  __typename?: 'CampaignEdge';
  /** Opaque cursor of this campaign in the list. */
  cursor: Scalars['String']['output'];
  /** The campaign. */
  node: Campaign;
};

/**
 * One of a campaign's events, numbered from 1 with no gap, as its funding partner and the operator see
 * them, with the campaign's state right after it.
 */
export type CampaignEvent = {
  __typename?: 'CampaignEvent';
  /** What was left of the campaign's budget after the event. */
  budgetLeftPoints: Scalars['Int']['output'];
  /** The campaign as it is now. */
  campaign: Campaign;
  /** When it happened. */
  occurredAt: Scalars['DateTime']['output'];
  /** Bonus points granted (BONUS_GRANTED) or taken back (BONUS_REVERSED); null for other events. */
  points: Maybe<Scalars['Int']['output']>;
  /** The event's number in the campaign's stream, from 1, with no gaps. */
  sequence: Scalars['Int']['output'];
  /** The campaign's status after the event. */
  status: CampaignStatus;
  /** What happened. */
  type: CampaignEventType;
};

/** What happened to a campaign. */
export type CampaignEventType =
  /** It became ACTIVE (from DRAFT, or again after a pause). */
  | 'ACTIVATED'
  /** A bonus was granted on a purchase (points: the bonus). */
  | 'BONUS_GRANTED'
  /** A refund took back part or all of a bonus (points: what was taken back, returned to the budget). */
  | 'BONUS_REVERSED'
  /** A grant left less than a tenth of its budget; once per campaign. */
  | 'BUDGET_LOW'
  /** It ended, for good. */
  | 'ENDED'
  /** It was paused. */
  | 'PAUSED';

/** What a campaign has granted so far. */
export type CampaignReport = {
  __typename?: 'CampaignReport';
  /** Purchases that got a bonus from it. */
  bonusedPurchases: Scalars['Int']['output'];
  /** What is left of the budget now. */
  budgetLeftPoints: Scalars['Int']['output'];
  /** Bonus points granted, before refunds. */
  grantedPoints: Scalars['Int']['output'];
  /** reachedMembersPurchasesDuring less the baseline; negative when they bought less during the campaign. */
  incrementalPurchases: Scalars['Int']['output'];
  /** Distinct members who got a bonus from it. */
  membersReached: Scalars['Int']['output'];
  /** Purchases (not voided) at the funder by the same members in the period of the same length just before startsAt: the baseline. */
  reachedMembersPurchasesBefore: Scalars['Int']['output'];
  /**
   * Purchases (not voided) at the funder by the members reached, from startsAt until endsAt or now,
   * whichever comes first.
   */
  reachedMembersPurchasesDuring: Scalars['Int']['output'];
  /** Bonus points taken back by refunds (they returned to the budget). */
  reversedPoints: Scalars['Int']['output'];
};

/** How a campaign's bonus is worked out from a purchase (CAMPAIGNS.md beside the members subgraph). */
export type CampaignRuleKind =
  /**
   * bonusPoints on the purchase with which the member has bought in distinctCategories distinct
   * categories (of basket lines that earned points, not returned) within windowDays, counted like
   * DISTINCT_PARTNERS. A coalition-wide campaign counts purchases at every partner; a funder's own
   * campaign only purchases at the funder.
   */
  | 'DISTINCT_CATEGORIES'
  /**
   * bonusPoints on the purchase with which the member has shopped at distinctPartners distinct
   * partners within windowDays (counting from the campaign's start and from the purchase that got its
   * last bonus from the campaign). Coalition-wide campaigns only.
   */
  | 'DISTINCT_PARTNERS'
  /** bonusPoints on the member's first purchase at the funding partner. */
  | 'FIRST_PURCHASE'
  /** On each eligible line whose category or SKU the campaign names: floor(line points x extraPermille / 1000) + bonusPoints. */
  | 'LINE_BONUS'
  /** bonusPoints on every purchase with at least one eligible line. */
  | 'PURCHASE_BONUS'
  /** Extra points on every eligible line: floor(line points x extraPermille / 1000). */
  | 'SPEND_MULTIPLIER';

/**
 * An estimate of what a campaign would have granted on the purchases of a past period, replayed
 * through the same evaluation as the earn (CAMPAIGNS.md beside the members subgraph lists what it
 * assumes).
 */
export type CampaignSimulation = {
  __typename?: 'CampaignSimulation';
  /** Bonus points the campaign would have granted, after caps and budget. */
  bonusPoints: Scalars['Int']['output'];
  /** Whether the budget would have run out in the period. */
  budgetExhausted: Scalars['Boolean']['output'];
  /** The campaign simulated. */
  campaignId: Scalars['ID']['output'];
  /** The currency of estimatedCostMinor (ISO 4217); null when the funder has no contract in force. */
  costCurrency: Maybe<Scalars['String']['output']>;
  /**
   * What bonusPoints would cost the funder, in minor units of its contract's currency: bonusPoints x
   * the issue price of its contract in force now, rounded once, half to even, as settlement rounds a
   * statement line. Null when the funder has no contract in force.
   */
  estimatedCostMinor: Maybe<Scalars['Long']['output']>;
  /** Start of the period replayed (inclusive). */
  from: Scalars['DateTime']['output'];
  /** The funder's issue price per point the estimate used, in micro-units; null when it has no contract in force. */
  issuePriceMicrosPerPoint: Maybe<Scalars['Int']['output']>;
  /** Distinct members who would have got a bonus. */
  membersReached: Scalars['Int']['output'];
  /** Purchases that would have got a bonus. */
  purchasesBonused: Scalars['Int']['output'];
  /** Purchases replayed: posted earns in the period at the partners where the campaign applies. */
  purchasesReplayed: Scalars['Int']['output'];
  /** End of the period replayed (exclusive). */
  to: Scalars['DateTime']['output'];
};

/** Where a campaign is in its life; ENDED is final. */
export type CampaignStatus =
  /** Granting bonuses within its validity window. */
  | 'ACTIVE'
  /** Being prepared; grants nothing. */
  | 'DRAFT'
  /** Over for good. */
  | 'ENDED'
  /** Stopped for now; may become ACTIVE again. */
  | 'PAUSED';

/** The money part of a points + cash payment, as recorded for the partner. */
export type CashPart = {
  __typename?: 'CashPart';
  /** The amount, in minor units of the currency. */
  amountMinor: Scalars['Int']['output'];
  /** ISO 4217 code of the amount. */
  currency: Scalars['String']['output'];
};

/** The money part of a points + cash payment. */
export type CashPartInput = {
  /** The amount, in minor units of the currency: 1 to 100000000. */
  amountMinor: Scalars['Int']['input'];
  /** ISO 4217 code; must be the currency of the partner's contract. */
  currency: Scalars['String']['input'];
};

/**
 * A short-lived, single-use token: the member present at the till. A partner presents it with
 * burnPoints or redeemReward; it is used by the first spend it authorizes.
 */
export type CheckoutToken = {
  __typename?: 'CheckoutToken';
  /** When the token stops working (60 to 120 seconds after it was made; 90 by default). */
  expiresAt: Scalars['DateTime']['output'];
  /** The most points it lets a partner spend, or null for no bound. */
  maxPoints: Maybe<Scalars['Int']['output']>;
  /** The member it belongs to. */
  member: Member;
  /** The only partner that may use it, or null for any partner. */
  partner: Maybe<Partner>;
  /** The token as a QR code: an SVG document, to show in the member's app. */
  qrCodeSvg: Scalars['String']['output'];
  /**
   * The token: 16 characters of Crockford base32, the content of the QR code and what a till without
   * a camera types in. Shown once; the coalition keeps only its hash.
   */
  token: Scalars['String']['output'];
};

/** A receipt attached for a purchase the member forgot to identify at the till. */
export type ClaimMissingPointsInput = {
  /** ISO 4217 code of the purchase currency; must be the currency of the partner's contract. */
  currency: Scalars['String']['input'];
  /** The receipt or invoice number, 1 to 64 characters: a partner's receipt is claimed once. */
  documentNumber: Scalars['String']['input'];
  /** The member who made the purchase. */
  memberId: Scalars['ID']['input'];
  /**
   * The partner where the purchase was made. A partner caller may omit it (it attaches its own
   * receipts) and may not name another partner; the member and the operator must give it.
   */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  /** Amount spent, in minor units of the currency: 1 to 100000000. */
  purchaseAmountMinor: Scalars['Int']['input'];
  /** When the purchase was made: not in the future, and within the claim window (14 days by default). */
  purchasedAt: Scalars['DateTime']['input'];
  /** The partner's store (location) where the purchase was made: 1 to 64 characters. */
  storeId?: InputMaybe<Scalars['String']['input']>;
};

/** A new campaign. It starts as DRAFT. */
export type CreateCampaignInput = {
  /** Fixed bonus points: for PURCHASE_BONUS, FIRST_PURCHASE and LINE_BONUS. */
  bonusPoints?: InputMaybe<Scalars['Int']['input']>;
  /** The total points it may grant, 1 to 1000000000. */
  budgetPoints: Scalars['Int']['input'];
  /** For LINE_BONUS: category codes, at most 100. */
  categoryCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Grant on purchases at every partner (needs the operator's approval to become ACTIVE). Default false. */
  coalitionWide?: InputMaybe<Scalars['Boolean']['input']>;
  /** For DISTINCT_CATEGORIES (required there): distinct categories to buy in, 2 to 20. */
  distinctCategories?: InputMaybe<Scalars['Int']['input']>;
  /** For DISTINCT_PARTNERS (required there): distinct partners to shop at, 2 to 20. */
  distinctPartners?: InputMaybe<Scalars['Int']['input']>;
  /** When it stops granting; after startsAt. */
  endsAt: Scalars['DateTime']['input'];
  /** Apply alone when it grants (see Campaign.exclusive). Default false. */
  exclusive?: InputMaybe<Scalars['Boolean']['input']>;
  /** Extra points per 1000 earned, 1 to 10000: for SPEND_MULTIPLIER and LINE_BONUS. */
  extraPermille?: InputMaybe<Scalars['Int']['input']>;
  /** A name for people, at most 120 characters. */
  name: Scalars['String']['input'];
  /** Target members with no earlier purchase at the funder only. Default false. */
  newCustomersOnly?: InputMaybe<Scalars['Boolean']['input']>;
  /** Grant only to members who activated it (see Campaign.optIn). Default false. */
  optIn?: InputMaybe<Scalars['Boolean']['input']>;
  /** The funding partner: a partner omits it (it funds its own); the operator names it. */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  /** Most bonus points per member, net of refunds; omit for no cap. */
  perMemberCapPoints?: InputMaybe<Scalars['Int']['input']>;
  /** How the bonus is worked out. */
  ruleKind: CampaignRuleKind;
  /** Target members with an earlier purchase at the funder in one of these categories only; at most 100. Omit for everyone. */
  shopperCategoryCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** For LINE_BONUS: SKUs, at most 100. */
  skus?: InputMaybe<Array<Scalars['String']['input']>>;
  /** When it starts granting. */
  startsAt: Scalars['DateTime']['input'];
  /** Target these tiers only (BASE, SILVER, GOLD, PLATINUM); omit for every tier. */
  tiers?: InputMaybe<Array<Scalars['String']['input']>>;
  /** For DISTINCT_PARTNERS and DISTINCT_CATEGORIES (required there): the window in days, 1 to 92. */
  windowDays?: InputMaybe<Scalars['Int']['input']>;
};

/** What a member asks for at checkout: the token its app shows. */
export type CreateCheckoutTokenInput = {
  /** The most points the token lets a partner spend, 1 to 10000000; no bound when omitted. */
  maxPoints?: InputMaybe<Scalars['Int']['input']>;
  /** The member whose points the token lets a partner spend. */
  memberId: Scalars['ID']['input'];
  /** Only this partner may use the token; any partner when omitted. */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
};

/** A purchase at a partner that earns points. */
export type EarnPointsInput = {
  /** ISO 4217 code of the purchase currency; must be the currency of the partner's contract. */
  currency: Scalars['String']['input'];
  /**
   * The receipt or invoice number: 1 to 64 characters. A partner's receipt earns once: another earn
   * or a claim of it fails with RECEIPT_ALREADY_EARNED.
   */
  documentNumber?: InputMaybe<Scalars['String']['input']>;
  /**
   * Key that makes a retry safe: the same key with the same input returns the first result; the
   * same key with other input fails with IDEMPOTENCY_CONFLICT. 1 to 128 printable ASCII characters.
   */
  idempotencyKey: Scalars['String']['input'];
  /**
   * The basket, 1 to 200 lines whose amounts add up to purchaseAmountMinor exactly. With lines,
   * points are computed per line, each rounded down to a whole point, and lines in an excluded
   * category (setExcludedCategories) earn nothing; a refund then returns lines (ReverseEarnInput.returnedLines).
   */
  lines?: InputMaybe<Array<BasketLineInput>>;
  /**
   * The member who made the purchase, by card number, phone number, email or checkout token (a card
   * alone is enough to earn; a token only names the member here and stays usable). Give this or
   * `memberId`, not both.
   */
  member?: InputMaybe<MemberReferenceInput>;
  /** The member who made the purchase, by id. Give this or `member`, not both. */
  memberId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * The partner where the purchase was made. A partner caller may omit it (it posts its own
   * purchases) and may not name another partner; the operator must give it.
   */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * Hold the points as pending until this instant (a hotel stay before checkout): they post by
   * themselves then, or earlier with confirmPendingEarn, unless voidPendingEarn cancels them. At most
   * one year ahead. Omit to make the points spendable at once.
   */
  pendingUntil?: InputMaybe<Scalars['DateTime']['input']>;
  /** Amount spent, in minor units of the currency (cents for EUR): 1 to 100000000. */
  purchaseAmountMinor: Scalars['Int']['input'];
  /** The partner's reference for the purchase, such as a receipt number: 1 to 200 characters. */
  reference: Scalars['String']['input'];
  /** The partner's store (location) where the purchase was made: 1 to 64 characters. */
  storeId?: InputMaybe<Scalars['String']['input']>;
};

/** What a refund took back. */
export type EarnReversal = {
  __typename?: 'EarnReversal';
  /** The member, for reading the balance after the refund. */
  member: Member;
  /** Points taken back that the member had already spent: the member's balance went below zero by these. */
  pointsClawedBack: Scalars['Int']['output'];
  /** Points taken back from points the member still had. */
  pointsReversed: Scalars['Int']['output'];
  /**
   * The transfers recorded: a REVERSAL, a CLAWBACK, or both, for the purchase's points and for each
   * campaign bonus it got (those back to the bonus's funder).
   */
  transfers: Array<LedgerTransfer>;
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

/** Points of one lot that expire soon. Not part of the public graph: settlement announces them to partners. */
export type ExpiringLot = {
  __typename?: 'ExpiringLot';
  /** When they expire. */
  expiresAt: Scalars['DateTime']['output'];
  /** The lot. */
  lotId: Scalars['ID']['output'];
  /** The partner the member enrolled through (null when the operator enrolled it). */
  memberEnrolledViaPartnerId: Maybe<Scalars['ID']['output']>;
  /** The member who holds it. */
  memberId: Scalars['ID']['output'];
  /** Points of the lot not yet spent. */
  points: Scalars['Int']['output'];
};

/**
 * A ledger event from the members outbox, in publication order. Not part of the public graph: the
 * settlement subgraph reads these to catch up after downtime.
 */
export type LedgerEvent = {
  __typename?: 'LedgerEvent';
  /** Identifier of the event, unique across the ledger. */
  id: Scalars['ID']['output'];
  /** The partner the member enrolled through (null when the operator enrolled it): who hears of its tier changes. */
  memberEnrolledViaPartnerId: Maybe<Scalars['ID']['output']>;
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
  /**
   * The W3C trace context of the write that recorded the event, when it was traced; a consumer's
   * span links to it. Null when tracing was off.
   */
  traceparent: Maybe<Scalars['String']['output']>;
  /** Event type: `balance.changed` or `tier.changed`. */
  type: Scalars['String']['output'];
};

/** The points members hold, as the ledger's accounts record them at one event position. Not part of the public graph. */
export type LedgerFloat = {
  __typename?: 'LedgerFloat';
  /** What members owe from clawbacks of points they had already spent. */
  clawbackDebtPoints: Scalars['Long']['output'];
  /** Members' available and reserved points together; available points are already net of clawback debt. */
  floatPoints: Scalars['Long']['output'];
};

/** What one run of the ledger's maintenance did. */
export type LedgerMaintenanceRun = {
  __typename?: 'LedgerMaintenanceRun';
  /** Checkout tokens used or expired more than a day ago (CHECKOUT_TOKEN_RETENTION_HOURS), deleted: at most 10000 a run. */
  checkoutTokensDeleted: Scalars['Int']['output'];
  /** Lots of points that reached their expiry date and moved to breakage. */
  lotsExpired: Scalars['Int']['output'];
  /** Pending earns whose hold ended and that were posted. */
  pendingEarnsPosted: Scalars['Int']['output'];
  /**
   * Points moved to breakage: at most 2147483647. A run stops before the member whose expiry would
   * take it past that, and the next run (or the timer) expires the rest.
   */
  pointsExpired: Scalars['Int']['output'];
  /** Reservations that timed out and were released back to their members. */
  reservationsReleased: Scalars['Int']['output'];
};

/** Points the ledger moved of one transfer kind in a time window. Not part of the public graph. */
export type LedgerTotal = {
  __typename?: 'LedgerTotal';
  /** The transfer kind. */
  kind: TransferKind;
  /** Whether these transfers added to the member's points (an adjustment's grants) or took from them (its debits). */
  memberCredited: Scalars['Boolean']['output'];
  /** Points moved by transfers of this kind and direction whose events happened in the window. */
  points: Scalars['Long']['output'];
};

/**
 * One immutable movement of points between two ledger accounts (double entry). Every point a member
 * holds arrived by a transfer and leaves by one.
 */
export type LedgerTransfer = {
  __typename?: 'LedgerTransfer';
  /** For TRANSFER, the member who received the points; otherwise null. */
  counterpartyMember: Maybe<Member>;
  /** When the transfer was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** Stable identifier of the transfer. */
  id: Scalars['ID']['output'];
  /** What the transfer records. */
  kind: TransferKind;
  /** The member whose account the transfer debits or credits (for TRANSFER, the giver). */
  member: Member;
  /** The partner at which the points were earned, reversed or spent; null for transfers, adjustments and expiry. */
  partner: Maybe<Partner>;
  /**
   * Points moved; always positive. At most 10000000, except an EXPIRY, which moves all of a member's
   * due points at once (at most the 2147483647 a member may hold).
   */
  points: Scalars['Int']['output'];
  /** Why the operator adjusted the points; null for other kinds. */
  reason: Maybe<Scalars['String']['output']>;
  /** The caller's reference, such as a receipt number; null where there is none. */
  reference: Maybe<Scalars['String']['output']>;
};

/**
 * A coalition member: one identity that earns points at any partner and redeems them at any partner.
 * Owned by the members subgraph; other subgraphs add fields to it.
 */
export type Member = {
  __typename?: 'Member';
  /** The member's points balance, read from the ledger (the only source of truth for balances). */
  balance: Balance;
  /**
   * The member's coalition card number (16 digits, the last a Luhn check digit), the one card every
   * partner accepts; null for partners that may not see personal data (see displayName).
   */
  cardNumber: Maybe<Scalars['String']['output']>;
  /** Partners the member allows to see its name and email. For the member and the operator. */
  consents: Array<Partner>;
  /**
   * The name the member chose to be addressed by: for the member, the operator, the partner it
   * enrolled through and partners it consented to; other partners get `pseudonym` here instead.
   */
  displayName: Scalars['String']['output'];
  /**
   * The member's email address, unique in the coalition (compared case-insensitively); null for
   * partners that may not see it (see displayName).
   */
  email: Maybe<Scalars['String']['output']>;
  /** When the member joined the coalition. */
  enrolledAt: Scalars['DateTime']['output'];
  /** The partner the member enrolled through. */
  enrolledVia: Partner;
  /** Stable identifier of the member. */
  id: Scalars['ID']['output'];
  /**
   * Campaigns the member may use now (active, in their window, budget left, for its tier, cap not
   * used up), with whether it activated each opt-in one; at most 100. The member itself and the operator.
   */
  offers: Array<Offer>;
  /**
   * The member's phone number in E.164 (`+4930901820`), verified or not; null when it has none and
   * for partners that may not see personal data (see displayName).
   */
  phoneNumber: Maybe<Scalars['String']['output']>;
  /**
   * Whether the phone number is verified: only a verified number finds the member at a till. Null
   * when phoneNumber is.
   */
  phoneNumberVerified: Maybe<Scalars['Boolean']['output']>;
  /**
   * Whether the member has set a PIN for paying at a till (setPin). Null for partners that may not
   * see personal data (see displayName).
   */
  pinSet: Maybe<Scalars['Boolean']['output']>;
  /**
   * A stable identifier of the member that reveals nothing: the same for one partner every time,
   * different for each partner, so partners cannot match their customers with each other's.
   */
  pseudonym: Scalars['String']['output'];
  /** The member's current tier, from qualifying points over the trailing 12 months. */
  tier: Tier;
  /** The member's ledger transfers, newest first. */
  transactions: MemberTransactionConnection;
};


/**
 * A coalition member: one identity that earns points at any partner and redeems them at any partner.
 * Owned by the members subgraph; other subgraphs add fields to it.
 */
export type MemberTransactionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  kinds?: InputMaybe<Array<TransferKind>>;
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
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

/** What a member event records. */
export type MemberEventType =
  /** A transfer changed the member's points. */
  | 'BALANCE_CHANGED'
  /** The member's tier changed. */
  | 'TIER_CHANGED';

/** Which identifier memberByIdentifier looks a member up by. */
export type MemberIdentifierKind =
  /** A coalition card number. */
  | 'CARD_NUMBER'
  /** A live checkout token meant for the calling partner (looking it up does not use it). */
  | 'CHECKOUT_TOKEN'
  /** An email address. */
  | 'EMAIL'
  /** A verified phone number, in international notation. */
  | 'PHONE_NUMBER';

/**
 * How a partner's till names a member: exactly one of the fields. A checkout token names its member
 * and, where points are spent, is the member's consent to spend them. A card number, phone number or
 * email that finds no member spends one of the partner's member lookups (see `memberByIdentifier`);
 * while they are spent, references by those fields are refused with RATE_LIMITED, found or not.
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

/** A member's spendable points and tier, for another subgraph. Not part of the public graph. */
export type MemberStanding = {
  __typename?: 'MemberStanding';
  /** Points the member can spend now. */
  availablePoints: Scalars['Int']['output'];
  /** The member. */
  memberId: Scalars['ID']['output'];
  /** The tier the member holds. */
  tier: TierLevel;
};

/** A page of a member's transfers. */
export type MemberTransactionConnection = {
  __typename?: 'MemberTransactionConnection';
  /** The transfers on this page, each with its cursor and its effect on the member. */
  edges: Array<MemberTransactionEdge>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
};

/** A transfer on a member's page, with what it did to that member's balance. */
export type MemberTransactionEdge = {
  __typename?: 'MemberTransactionEdge';
  /** Change to the member's available points: positive for points in, negative for points out. */
  availablePointsDelta: Scalars['Int']['output'];
  /** Opaque cursor of this transfer in the list. */
  cursor: Scalars['String']['output'];
  /** The transfer. */
  node: LedgerTransfer;
  /** Change to the member's pending points. */
  pendingPointsDelta: Scalars['Int']['output'];
};

/** An entry of the members subgraph's audit log. Not part of the public graph (settlement's `auditLog` merges it). */
export type MembersAuditEntry = {
  __typename?: 'MembersAuditEntry';
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

/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Activate an opt-in offer for the member before a purchase ("activate this coupon"). Activating
   * again changes nothing. The member itself and the operator. NOT_FOUND unless the campaign is
   * active now; BAD_USER_INPUT for a campaign that needs no activation; FORBIDDEN when it targets
   * other tiers.
   */
  activateOffer: Offer;
  /**
   * Correct a member's points, with a reason kept for audit. Callable by the operator only. Fails with
   * INSUFFICIENT_POINTS for a removal the member's points do not cover, and with LIMIT_EXCEEDED for
   * an addition that would leave the member holding more than 2147483647 points.
   */
  adjustPoints: LedgerTransfer;
  /**
   * Pay with points at a partner's point of sale, without a catalog reward. Callable by the member
   * itself, the operator, and the partner (its own point of sale) presenting the member's checkout
   * token, which the burn uses; a partner without one is FORBIDDEN. Fails with INSUFFICIENT_POINTS.
   */
  burnPoints: PointsBurn;
  /**
   * Check the member's PIN typed at a partner's till and answer a checkout token for that partner,
   * for the redemption it authorizes. Internal: callable by subgraphs only. Fails like
   * BurnPointsInput.pin.
   */
  checkoutTokenForPin: Scalars['String']['output'];
  /**
   * Claim the points of a purchase the member forgot to identify, by its receipt, within the claim
   * window (14 days by default). Callable by the member itself, the partner of the receipt and the
   * operator. Sending the same receipt again for the same member and purchase returns the first
   * claim; a receipt claimed otherwise before fails with BAD_USER_INPUT, and one that already earned
   * with RECEIPT_ALREADY_EARNED. A claim matching a purchase the partner recorded (recordPurchase) is
   * confirmed at once and earns without the partner's decision; a mismatch stays pending.
   */
  claimMissingPoints: PurchaseClaim;
  /**
   * Post a pending earn now (the stay ended); the campaigns active now grant their bonuses on it then.
   * Callable by the partner of the earn and the operator.
   */
  confirmPendingEarn: LedgerTransfer;
  /**
   * Confirm a pending claim: the purchase earns as it would have at the till (earnPoints), counted by
   * settlement in the period of its purchase date while that is open. Callable by the partner of the
   * receipt and the operator; confirming it again returns it unchanged, and concurrent confirmations
   * earn once. A receipt that earned meanwhile at the till fails with RECEIPT_ALREADY_EARNED.
   */
  confirmPurchaseClaim: PurchaseClaim;
  /** Create a campaign funded by the calling partner (or, for the operator, by partnerId). It starts as DRAFT. */
  createCampaign: Campaign;
  /**
   * Make a checkout token for the member's app to show at a till (createCheckoutToken's answer is
   * the only time the token is shown). Callable by the member itself and the operator.
   */
  createCheckoutToken: CheckoutToken;
  /**
   * Turn a purchase into points at the partner's earn rate times the member's tier multiplier,
   * rounded down to whole points; spendable at once, or pending until `pendingUntil`. Callable by
   * partners and the operator. Returns the EARN or EARN_PENDING transfer, whose id names the earn.
   * Fails with LIMIT_EXCEEDED when the member would hold, or have earned, more than 2147483647 points.
   */
  earnPoints: LedgerTransfer;
  /** Enroll a new member in the coalition, through a partner. Callable by partners and the operator. */
  enrollMember: Member;
  /**
   * Let a partner see the member's name and email (the partner it enrolled through always may).
   * Callable by the member itself and the operator; takes effect at once.
   */
  grantConsent: Member;
  /** Spend reserved points. Internal. Posting a posted reservation returns it unchanged. */
  postReservation: PointsReservation;
  /**
   * Record a purchase made without an identified member (partners and the operator), so that a
   * member's claim of its receipt is confirmed by the record: a pending matching claim earns at once,
   * and a later one as soon as it is made. Idempotent by key; the same receipt under another key fails
   * with BAD_USER_INPUT, a receipt that already earned with RECEIPT_ALREADY_EARNED. A recorded
   * purchase earns at most once.
   */
  recordPurchase: RecordedPurchase;
  /**
   * Give back the points of a posted reservation (a cancelled redemption). Internal. Refunding a
   * refunded reservation returns it unchanged. Fails with LIMIT_EXCEEDED, changing nothing, when the
   * member would hold more than 2147483647 points.
   */
  refundReservation: PointsReservation;
  /**
   * Replace a lost card: the old number is blocked (lookups of it fail with CARD_BLOCKED) and a new
   * one issued. Callable by the member itself and the operator.
   */
  reissueCard: Member;
  /**
   * Reject a pending claim; the receipt stays claimed. Callable by the partner of the receipt and
   * the operator. A confirmed claim cannot be rejected (refund its earn with reverseEarn instead).
   */
  rejectPurchaseClaim: PurchaseClaim;
  /**
   * Hold a member's points for a redemption. Internal: callable by subgraphs only. Fails with
   * INSUFFICIENT_POINTS when the available points do not cover it.
   */
  reservePoints: PointsReservation;
  /**
   * Remove the member's PIN (forgotten, or known to someone else), and any lock on it; the member
   * sets a new one. Callable by the operator only; audited.
   */
  resetPin: Member;
  /**
   * Take back the points of a refunded purchase, in proportion to the refund. Points the member
   * already spent are clawed back: the balance goes below zero and later earns repay it. Callable by
   * the partner of the earn and the operator. Fails with LIMIT_EXCEEDED when the member's clawback
   * debt would pass 2147483647 points.
   */
  reverseEarn: EarnReversal;
  /** Withdraw a consent; takes effect at once. Callable by the member itself and the operator. */
  revokeConsent: Member;
  /**
   * Expire due lots into breakage (oldest first), post pending earns whose hold ended, release
   * timed-out reservations and delete used and expired checkout tokens. Idempotent and safe to run concurrently; the ledger also runs it on a
   * timer. Callable by the operator only.
   */
  runLedgerMaintenance: LedgerMaintenanceRun;
  /**
   * Move a campaign's status (DRAFT -> ACTIVE/ENDED, ACTIVE <-> PAUSED, any -> ENDED). The funder
   * manages its own; only the operator makes a coalition-wide campaign ACTIVE.
   */
  setCampaignStatus: Campaign;
  /**
   * Set the categories whose lines earn no points (tobacco, lottery, gift cards...), replacing the
   * list; purchases posted afterwards follow it. A partner sets its own (partnerId omitted or
   * itself); the operator a partner's, or with partnerId omitted the coalition's, which applies at
   * every partner. At most 100 codes. Returns the list as stored.
   */
  setExcludedCategories: Array<Scalars['String']['output']>;
  /**
   * Record the member's phone number, unverified (it finds the member at a till only once verified).
   * Setting the number it has changes nothing. Callable by the member itself and the operator.
   */
  setPhoneNumber: Member;
  /**
   * Set or change the member's PIN for paying at a till (burnPoints and redeemReward with `pin`): 4
   * to 6 digits, not one digit repeated nor a run such as 1234 (BAD_USER_INPUT). A new PIN ends a
   * lock and forgets wrong attempts. Callable by the member itself only (its token proves who it is);
   * the operator may reset it (resetPin). The PIN is stored only as a slow salted hash.
   */
  setPin: Member;
  /**
   * Give points to another member. Callable by the giving member and the operator. Fails with
   * INSUFFICIENT_POINTS when the giver's available points do not cover it, and with LIMIT_EXCEEDED
   * past the daily transfer limit or when the receiver would hold more than 2147483647 points.
   */
  transferPoints: LedgerTransfer;
  /**
   * Mark the member's phone number verified, after checking it out of band (there is no text-message
   * delivery yet). Callable by the operator only. Fails with BAD_USER_INPUT when another member
   * verified the same number.
   */
  verifyPhoneNumber: Member;
  /** Cancel a pending earn (the booking was cancelled). Callable by the partner of the earn and the operator. */
  voidPendingEarn: LedgerTransfer;
  /** Return reserved points to the member. Internal. Voiding a voided reservation returns it unchanged. */
  voidReservation: PointsReservation;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationActivateOfferArgs = {
  campaignId: Scalars['ID']['input'];
  memberId: Scalars['ID']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationAdjustPointsArgs = {
  input: AdjustPointsInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationBurnPointsArgs = {
  input: BurnPointsInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationCheckoutTokenForPinArgs = {
  memberId: Scalars['ID']['input'];
  partnerId: Scalars['ID']['input'];
  pin: Scalars['String']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationClaimMissingPointsArgs = {
  input: ClaimMissingPointsInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationConfirmPendingEarnArgs = {
  input: SettlePendingEarnInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationConfirmPurchaseClaimArgs = {
  claimId: Scalars['ID']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationCreateCampaignArgs = {
  input: CreateCampaignInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationCreateCheckoutTokenArgs = {
  input: CreateCheckoutTokenInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationEarnPointsArgs = {
  input: EarnPointsInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationEnrollMemberArgs = {
  input: EnrollMemberInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationGrantConsentArgs = {
  memberId: Scalars['ID']['input'];
  partnerId: Scalars['ID']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationPostReservationArgs = {
  reservationId: Scalars['ID']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationRecordPurchaseArgs = {
  input: RecordPurchaseInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationRefundReservationArgs = {
  reservationId: Scalars['ID']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationReissueCardArgs = {
  idempotencyKey: Scalars['String']['input'];
  memberId: Scalars['ID']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationRejectPurchaseClaimArgs = {
  claimId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationReservePointsArgs = {
  input: ReservePointsInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationResetPinArgs = {
  memberId: Scalars['ID']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationReverseEarnArgs = {
  input: ReverseEarnInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationRevokeConsentArgs = {
  memberId: Scalars['ID']['input'];
  partnerId: Scalars['ID']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationSetCampaignStatusArgs = {
  campaignId: Scalars['ID']['input'];
  status: CampaignStatus;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationSetExcludedCategoriesArgs = {
  categoryCodes: Array<Scalars['String']['input']>;
  partnerId?: InputMaybe<Scalars['ID']['input']>;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationSetPhoneNumberArgs = {
  memberId: Scalars['ID']['input'];
  phoneNumber: Scalars['String']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationSetPinArgs = {
  memberId: Scalars['ID']['input'];
  pin: Scalars['String']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationTransferPointsArgs = {
  input: TransferPointsInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationVerifyPhoneNumberArgs = {
  memberId: Scalars['ID']['input'];
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationVoidPendingEarnArgs = {
  input: SettlePendingEarnInput;
};


/** Writes to members and the points ledger. Every write takes an idempotency key. */
export type MutationVoidReservationArgs = {
  reservationId: Scalars['ID']['input'];
};

/** A campaign a member may use now, with what is left for it. */
export type Offer = {
  __typename?: 'Offer';
  /** Whether the member activated it; an opt-in campaign grants only when it did. */
  activated: Scalars['Boolean']['output'];
  /** The campaign. */
  campaign: Campaign;
  /** Bonus points the member may still get from it (its cap less what it got, net of refunds); null: no cap. */
  capLeftPoints: Maybe<Scalars['Int']['output']>;
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
  /**
   * Members who enrolled through this partner, newest first. Readable by the partner itself and the
   * operator.
   */
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

/** Points spent at a point of sale, and what they are worth. */
export type PointsBurn = {
  __typename?: 'PointsBurn';
  /** The money the member paid beside the points (points + cash), or null for points alone. */
  cash: Maybe<CashPart>;
  /** ISO 4217 code of `valueMinor`. */
  currency: Scalars['String']['output'];
  /** The BURN transfer. */
  transfer: LedgerTransfer;
  /** What the points are worth at the partner under its contract (its redemption value), in minor units, rounded half to even. At most 2147483647: a burn worth more is refused (BAD_USER_INPUT) before anything is written. */
  valueMinor: Scalars['Int']['output'];
};

/** Points that expire together. */
export type PointsExpiry = {
  __typename?: 'PointsExpiry';
  /** When the points expire. */
  expiresAt: Scalars['DateTime']['output'];
  /** How many points expire then. */
  points: Scalars['Int']['output'];
};

/** A hold on a member's points. Not part of the public graph. */
export type PointsReservation = {
  __typename?: 'PointsReservation';
  /** Stable identifier of the reservation. */
  id: Scalars['ID']['output'];
  /** Points held. */
  points: Scalars['Int']['output'];
  /** The transfer that spent the points, once POSTED. */
  redeemTransferId: Maybe<Scalars['ID']['output']>;
  /** Where the reservation stands. */
  status: ReservationStatus;
};

/** A claim of missing points: a receipt the member forgot to identify, for its partner to confirm. */
export type PurchaseClaim = {
  __typename?: 'PurchaseClaim';
  /** When the claim was made. */
  createdAt: Scalars['DateTime']['output'];
  /** ISO 4217 code of the purchase currency. */
  currency: Scalars['String']['output'];
  /** When the partner confirmed or rejected it; null while pending. */
  decidedAt: Maybe<Scalars['DateTime']['output']>;
  /** The receipt or invoice number. */
  documentNumber: Scalars['String']['output'];
  /** The EARN transfer of a confirmed claim; null until it earned. */
  earn: Maybe<LedgerTransfer>;
  /** The claim's id. */
  id: Scalars['ID']['output'];
  /**
   * The purchase the partner recorded without a member (recordPurchase) that this claim matched:
   * same receipt, amount and currency, same store where both name one, purchase times within a day.
   * A matched claim is confirmed without the partner's decision. Null when none matched.
   */
  matchedPurchase: Maybe<RecordedPurchase>;
  /** The member the points are claimed for. */
  member: Member;
  /** The partner of the receipt, who confirms or rejects the claim. */
  partner: Partner;
  /** Amount spent, in minor units of the currency. */
  purchaseAmountMinor: Scalars['Int']['output'];
  /** When the purchase was made. */
  purchasedAt: Scalars['DateTime']['output'];
  /** Why the partner rejected the claim; null unless rejected. */
  rejectionReason: Maybe<Scalars['String']['output']>;
  /** Where the claim stands. */
  status: PurchaseClaimStatus;
  /** The store (location) of the purchase, when given. */
  storeId: Maybe<Scalars['String']['output']>;
};

/** A page of purchase claims. */
export type PurchaseClaimConnection = {
  __typename?: 'PurchaseClaimConnection';
  /** The claims on this page, each with its cursor. */
  edges: Array<PurchaseClaimEdge>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
};

/** A purchase claim on a page, with its cursor. */
export type PurchaseClaimEdge = {
  __typename?: 'PurchaseClaimEdge';
  /** Opaque cursor of this claim in the list. */
  cursor: Scalars['String']['output'];
  /** The claim. */
  node: PurchaseClaim;
};

/** Where a claim of missing points stands. */
export type PurchaseClaimStatus =
  /** Confirmed by the partner: the purchase earned its points. */
  | 'CONFIRMED'
  /** Waiting for the partner of the receipt to confirm or reject it. */
  | 'PENDING'
  /** Rejected by the partner; the receipt stays claimed. */
  | 'REJECTED';

/** Reads of members and their points. */
export type Query = {
  __typename?: 'Query';
  /** A campaign, for its funding partner and the operator. */
  campaign: Campaign;
  /**
   * One of a campaign's events by its sequence number, for its funding partner and the operator. Fails
   * with NOT_FOUND when there is none.
   */
  campaignEvent: CampaignEvent;
  /**
   * A campaign's events after a sequence number, oldest first, for its funding partner and the
   * operator (refused to anyone else as by `campaign(id)`).
   */
  campaignEvents: Array<CampaignEvent>;
  /**
   * Replays the purchases of a past period through a campaign (any status) to estimate its cost
   * before activating it. The funding partner and the operator. BAD_USER_INPUT for a period longer
   * than 92 days or with more than 50000 purchases.
   */
  campaignSimulation: CampaignSimulation;
  /**
   * A funder's campaigns, newest first, a page at a time: a partner lists its own (naming another
   * partner is FORBIDDEN), the operator any partner's, or every campaign when it names none.
   */
  campaigns: CampaignConnection;
  /** Lots with points left that expire in [from, to), by expiry then id. Internal: callable by subgraphs only. */
  expiringLots: Array<ExpiringLot>;
  /**
   * The sequence number of a member's latest event (0 before the first), for whoever may watch the
   * member.
   */
  lastMemberEventSequence: Scalars['Int']['output'];
  /** Ledger events after a publication position, oldest first. Internal: callable by subgraphs only. */
  ledgerEvents: Array<LedgerEvent>;
  /**
   * The points float as of the events that happened before `before` and were published up to
   * `uptoPosition`, from the ledger's accounts: the books' check on settlement's count. Internal:
   * callable by subgraphs only.
   */
  ledgerFloat: LedgerFloat;
  /** The position of the latest published ledger event (0 before the first). Internal: callable by subgraphs and the gateway only. */
  ledgerHead: Scalars['Long']['output'];
  /**
   * Points moved per transfer kind by transfers whose events happened from `from` until `to`, the
   * basis settlement reconciles against. Internal: callable by subgraphs only.
   */
  ledgerTotals: Array<LedgerTotal>;
  /** The calling member itself. Null for callers that are not members. */
  me: Maybe<Member>;
  /**
   * A member by id. Members may read only themselves; partners and the operator may read any member.
   * Fails with NOT_FOUND when there is no such member.
   */
  member: Member;
  /**
   * A member at a partner's till, by card number, verified phone number, email or checkout token,
   * with what that partner may see of it (personal data only where the member enrolled through it
   * or consented to it). For partners and the operator. Fails with NOT_FOUND for an unknown
   * identifier, CARD_BLOCKED for a card that was reissued, and FORBIDDEN for a token that is
   * unknown, used, expired or meant for another partner (refused tokens count towards the
   * partner's lockout, LIMIT_EXCEEDED). A phone number or email finds a member only for a partner
   * that may see its personal data; for any other partner the answer is the very NOT_FOUND of an
   * address no member has. Each partner may look members up 120 times a minute (MEMBER_LOOKUP_LIMIT,
   * MEMBER_LOOKUP_WINDOW_SECONDS); past that it fails with RATE_LIMITED and `retryAfterSeconds` in
   * the error's extensions. The operator has no limit.
   */
  memberByIdentifier: Member;
  /**
   * One of a member's events by its sequence number, for whoever may watch the member (the member
   * itself, the partner it enrolled through, the operator). Fails with NOT_FOUND when there is none.
   */
  memberEvent: BalanceEvent;
  /** A member's events after a sequence number, oldest first, for whoever may watch the member. */
  memberEvents: Array<BalanceEvent>;
  /** A member's available points and tier. Internal: callable by subgraphs only. */
  memberStanding: MemberStanding;
  /**
   * Members, newest first: every member for the operator, the members who enrolled through it for a
   * partner. Refused to members (FORBIDDEN) and anonymous callers (UNAUTHENTICATED).
   */
  members: MemberConnection;
  /**
   * Entries of this subgraph's audit log matching the filter, the newest first. Internal: callable by
   * subgraphs only.
   */
  membersAuditLog: Array<MembersAuditEntry>;
  /**
   * Claims of missing points, newest first: a member's (`memberId`; the member itself, the operator,
   * or a partner for the claims at it) or a partner's (`partnerId`; the partner itself and the
   * operator). A member caller may omit both for its own.
   */
  purchaseClaims: PurchaseClaimConnection;
  /**
   * The member a reference names, for another subgraph. `partnerId` is the partner presenting it,
   * whom an unknown checkout token counts against. Internal: callable by subgraphs only.
   */
  resolveMemberReference: Scalars['ID']['output'];
};


/** Reads of members and their points. */
export type QueryCampaignArgs = {
  id: Scalars['ID']['input'];
};


/** Reads of members and their points. */
export type QueryCampaignEventArgs = {
  campaignId: Scalars['ID']['input'];
  sequence: Scalars['Int']['input'];
};


/** Reads of members and their points. */
export type QueryCampaignEventsArgs = {
  afterSequence: Scalars['Int']['input'];
  campaignId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Reads of members and their points. */
export type QueryCampaignSimulationArgs = {
  campaignId: Scalars['ID']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


/** Reads of members and their points. */
export type QueryCampaignsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<CampaignStatus>;
};


/** Reads of members and their points. */
export type QueryExpiringLotsArgs = {
  afterExpiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  afterLotId?: InputMaybe<Scalars['ID']['input']>;
  enrolledViaPartnerIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  first: Scalars['Int']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


/** Reads of members and their points. */
export type QueryLastMemberEventSequenceArgs = {
  memberId: Scalars['ID']['input'];
};


/** Reads of members and their points. */
export type QueryLedgerEventsArgs = {
  afterPosition: Scalars['Long']['input'];
  first: Scalars['Int']['input'];
  publishPendingFirst?: InputMaybe<Scalars['Boolean']['input']>;
};


/** Reads of members and their points. */
export type QueryLedgerFloatArgs = {
  before: Scalars['DateTime']['input'];
  uptoPosition: Scalars['Long']['input'];
};


/** Reads of members and their points. */
export type QueryLedgerTotalsArgs = {
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
  uptoPosition: Scalars['Long']['input'];
};


/** Reads of members and their points. */
export type QueryMemberArgs = {
  id: Scalars['ID']['input'];
};


/** Reads of members and their points. */
export type QueryMemberByIdentifierArgs = {
  kind: MemberIdentifierKind;
  value: Scalars['String']['input'];
};


/** Reads of members and their points. */
export type QueryMemberEventArgs = {
  memberId: Scalars['ID']['input'];
  sequence: Scalars['Int']['input'];
};


/** Reads of members and their points. */
export type QueryMemberEventsArgs = {
  afterSequence: Scalars['Int']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  memberId: Scalars['ID']['input'];
};


/** Reads of members and their points. */
export type QueryMemberStandingArgs = {
  memberId: Scalars['ID']['input'];
};


/** Reads of members and their points. */
export type QueryMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Reads of members and their points. */
export type QueryMembersAuditLogArgs = {
  action?: InputMaybe<Scalars['String']['input']>;
  actor?: InputMaybe<Scalars['String']['input']>;
  afterAt?: InputMaybe<Scalars['DateTime']['input']>;
  afterId?: InputMaybe<Scalars['ID']['input']>;
  first: Scalars['Int']['input'];
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** Reads of members and their points. */
export type QueryPurchaseClaimsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  memberId?: InputMaybe<Scalars['ID']['input']>;
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<PurchaseClaimStatus>;
};


/** Reads of members and their points. */
export type QueryResolveMemberReferenceArgs = {
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  reference: MemberReferenceInput;
};

/** A purchase made without an identified member, recorded by its partner so that a claim of it confirms itself. */
export type RecordPurchaseInput = {
  /** ISO 4217 code of the purchase currency; must be the currency of the partner's contract. */
  currency: Scalars['String']['input'];
  /** The receipt or invoice number, 1 to 64 characters: a partner's receipt is recorded once. */
  documentNumber: Scalars['String']['input'];
  /** Key that makes a retry safe; see EarnPointsInput.idempotencyKey. */
  idempotencyKey: Scalars['String']['input'];
  /** The basket, as for earnPoints: lines adding up to the amount. A claim it confirms earns per line. */
  lines?: InputMaybe<Array<BasketLineInput>>;
  /** The partner of the purchase. A partner caller may omit it and may not name another; the operator must give it. */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  /** Amount spent, in minor units of the currency: 1 to 100000000. */
  purchaseAmountMinor: Scalars['Int']['input'];
  /** When the purchase was made: not in the future, and within the claim window (14 days by default). */
  purchasedAt: Scalars['DateTime']['input'];
  /** The partner's store (location) where the purchase was made: 1 to 64 characters. */
  storeId?: InputMaybe<Scalars['String']['input']>;
};

/** A purchase recorded without a member, waiting for (or matched by) a claim of its receipt. */
export type RecordedPurchase = {
  __typename?: 'RecordedPurchase';
  /** The claim of its receipt it matched (and confirmed); null until a matching claim arrives. */
  claim: Maybe<PurchaseClaim>;
  /** When the purchase was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** ISO 4217 code of the purchase currency. */
  currency: Scalars['String']['output'];
  /** The receipt or invoice number. */
  documentNumber: Scalars['String']['output'];
  /** The recorded purchase's id. */
  id: Scalars['ID']['output'];
  /** The partner of the purchase. */
  partner: Partner;
  /** Amount spent, in minor units of the currency. */
  purchaseAmountMinor: Scalars['Int']['output'];
  /** When the purchase was made. */
  purchasedAt: Scalars['DateTime']['output'];
  /** The store (location) of the purchase, when given. */
  storeId: Maybe<Scalars['String']['output']>;
};

/** Where a reservation stands. Not part of the public graph. */
export type ReservationStatus =
  /** The points were spent. */
  | 'POSTED'
  /** The points were spent, then given back (a cancelled redemption). */
  | 'REFUNDED'
  /** The points are held. */
  | 'RESERVED'
  /** The points went back to the member. */
  | 'VOIDED';

/**
 * A hold on a member's points for a redemption, requested by another subgraph. Not part of the
 * public graph.
 */
export type ReservePointsInput = {
  /**
   * The member's checkout token, when a partner redeems for the member: checked and used with the
   * hold. Not part of the request's identity for its idempotency key.
   */
  checkoutToken?: InputMaybe<Scalars['String']['input']>;
  /** Key that makes a retry safe; see EarnPointsInput.idempotencyKey. */
  idempotencyKey: Scalars['String']['input'];
  /** The member whose points are held. */
  memberId: Scalars['ID']['input'];
  /** The lowest tier the member must hold; the hold is refused with FORBIDDEN below it. */
  minTier?: InputMaybe<TierLevel>;
  /** The partner where the points will be spent. */
  partnerId: Scalars['ID']['input'];
  /** Points to hold: 1 to 10000000. */
  points: Scalars['Int']['input'];
  /** What the points are held for, such as a redemption id. */
  reference: Scalars['String']['input'];
  /** Seconds after which an unsettled hold is released: 1 to 3600; the ledger's default when omitted. */
  timeoutSeconds?: InputMaybe<Scalars['Int']['input']>;
};

/** A refund of a purchase that earned points. */
export type ReverseEarnInput = {
  /** The id of the EARN transfer (or EARN_PENDING, once posted) that earnPoints returned. */
  earnId: Scalars['ID']['input'];
  /** Key that makes a retry safe; see EarnPointsInput.idempotencyKey. */
  idempotencyKey: Scalars['String']['input'];
  /** The partner's reference for the refund: 1 to 200 characters. */
  reference: Scalars['String']['input'];
  /**
   * Amount refunded, in minor units: proportional points are taken back. Omit to refund the whole
   * purchase. Refunds add up; together they may not exceed the purchase.
   */
  refundAmountMinor?: InputMaybe<Scalars['Int']['input']>;
  /**
   * For a purchase posted with lines: the numbers of the lines returned (1 for the first line given),
   * each taking back exactly the points it earned. A line is returned once; a purchase with lines is
   * refunded by lines only (omit both fields to return every line not yet returned).
   */
  returnedLines?: InputMaybe<Array<Scalars['Int']['input']>>;
};

/** Confirms or cancels a pending earn. */
export type SettlePendingEarnInput = {
  /** The id of the EARN_PENDING transfer that earnPoints returned. */
  earnId: Scalars['ID']['input'];
  /** Key that makes a retry safe; see EarnPointsInput.idempotencyKey. */
  idempotencyKey: Scalars['String']['input'];
};

/** Live updates, over graphql-ws (the graphql-transport-ws protocol) on the gateway's /graphql. */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * A member's ledger events as they happen. With `afterSequence`, first every event after that one
   * (replayed from the ledger), then live ones: no gap and no duplicate across reconnects. A member may
   * watch itself, a partner the members who enrolled through it, the operator anyone.
   */
  balanceChanged: BalanceEvent;
  /**
   * A campaign's events as they happen (activation, pause, end, bonuses granted and taken back, the
   * low-budget notice), for its funding partner and the operator; anyone else is refused as by
   * `campaign(id)`. With `afterSequence`, first every event after that one, then live ones: no gap and
   * no duplicate across reconnects.
   */
  campaignChanged: CampaignEvent;
};


/** Live updates, over graphql-ws (the graphql-transport-ws protocol) on the gateway's /graphql. */
export type SubscriptionBalanceChangedArgs = {
  afterSequence?: InputMaybe<Scalars['Int']['input']>;
  memberId: Scalars['ID']['input'];
};


/** Live updates, over graphql-ws (the graphql-transport-ws protocol) on the gateway's /graphql. */
export type SubscriptionCampaignChangedArgs = {
  afterSequence?: InputMaybe<Scalars['Int']['input']>;
  campaignId: Scalars['ID']['input'];
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
  /**
   * Points posted in the trailing 12 months, less their reversals: they decide the tier. At most the
   * member's lifetimeEarnedPoints.
   */
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

/** The kind of a ledger transfer: which accounts it moves points between. */
export type TransferKind =
  /** Points added or removed by the operator, with a reason. */
  | 'ADJUSTMENT'
  /**
   * Bonus points a campaign granted on a purchase (the funding partner's issuance to member); the
   * funder is the transfer's partner and is billed for them.
   */
  | 'BONUS'
  /** Points spent at a partner's point of sale without a catalog reward (member to partner redemption). */
  | 'BURN'
  /**
   * Points taken back by a refund that the member had already spent (member to partner issuance,
   * leaving the member below zero until later earns repay it).
   */
  | 'CLAWBACK'
  /** Points earned by a purchase, spendable at once (partner issuance to member). */
  | 'EARN'
  /** Points earned by a purchase, held as pending until posted or voided (partner issuance to pending). */
  | 'EARN_PENDING'
  /** Pending points posted: they become spendable (pending to member). */
  | 'EARN_POST'
  /** Pending points voided by a cancellation (pending back to partner issuance). */
  | 'EARN_VOID'
  /** Points that reached their expiry date unspent (member to breakage). */
  | 'EXPIRY'
  /** Reserved points spent on a redemption (reserved to partner redemption). */
  | 'REDEEM'
  /** Points of a cancelled redemption given back (partner redemption to member, with their original expiry dates). */
  | 'REDEEM_REFUND'
  /** Reserved points returned because the redemption did not complete (reserved to member). */
  | 'RELEASE'
  /** Points held for a redemption under way (member to reserved). */
  | 'RESERVE'
  /** Points taken back by a refund, from points the member still had (member to partner issuance). */
  | 'REVERSAL'
  /** Points given by one member to another. */
  | 'TRANSFER';

/** Points one member gives another. */
export type TransferPointsInput = {
  /** The member who gives; a member caller may give only its own points. */
  fromMemberId: Scalars['ID']['input'];
  /** Key that makes a retry safe; see EarnPointsInput.idempotencyKey. */
  idempotencyKey: Scalars['String']['input'];
  /** Points to give: 1 to 10000000, within the giver's daily transfer limit. */
  points: Scalars['Int']['input'];
  /** The member who receives. */
  toMemberId: Scalars['ID']['input'];
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
  AdjustPointsInput: AdjustPointsInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Balance: ResolverTypeWrapper<Balance>;
  BalanceEvent: ResolverTypeWrapper<MemberEventRow>;
  BalanceSnapshot: ResolverTypeWrapper<BalanceSnapshot>;
  BasketLineInput: BasketLineInput;
  BurnPointsInput: BurnPointsInput;
  Campaign: ResolverTypeWrapper<CampaignRow>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CampaignConnection: ResolverTypeWrapper<Omit<CampaignConnection, 'edges'> & { edges: Array<ResolversTypes['CampaignEdge']> }>;
  CampaignEdge: ResolverTypeWrapper<Omit<CampaignEdge, 'node'> & { node: ResolversTypes['Campaign'] }>;
  CampaignEvent: ResolverTypeWrapper<CampaignEventView>;
  CampaignEventType: CampaignEventType;
  CampaignReport: ResolverTypeWrapper<CampaignReport>;
  CampaignRuleKind: CampaignRuleKind;
  CampaignSimulation: ResolverTypeWrapper<CampaignSimulation>;
  CampaignStatus: CampaignStatus;
  CashPart: ResolverTypeWrapper<CashPart>;
  CashPartInput: CashPartInput;
  CheckoutToken: ResolverTypeWrapper<IssuedCheckoutToken>;
  ClaimMissingPointsInput: ClaimMissingPointsInput;
  CreateCampaignInput: CreateCampaignInput;
  CreateCheckoutTokenInput: CreateCheckoutTokenInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  EarnPointsInput: EarnPointsInput;
  EarnReversal: ResolverTypeWrapper<Omit<EarnReversal, 'member' | 'transfers'> & { member: ResolversTypes['Member'], transfers: Array<ResolversTypes['LedgerTransfer']> }>;
  EnrollMemberInput: EnrollMemberInput;
  ExpiringLot: ResolverTypeWrapper<ExpiringLot>;
  LedgerEvent: ResolverTypeWrapper<PublishedEvent>;
  LedgerFloat: ResolverTypeWrapper<LedgerFloat>;
  LedgerMaintenanceRun: ResolverTypeWrapper<LedgerMaintenanceRun>;
  LedgerTotal: ResolverTypeWrapper<LedgerTotal>;
  LedgerTransfer: ResolverTypeWrapper<TransferRow>;
  Long: ResolverTypeWrapper<Scalars['Long']['output']>;
  Member: ResolverTypeWrapper<MemberRow>;
  MemberConnection: ResolverTypeWrapper<Omit<MemberConnection, 'edges'> & { edges: Array<ResolversTypes['MemberEdge']> }>;
  MemberEdge: ResolverTypeWrapper<Omit<MemberEdge, 'node'> & { node: ResolversTypes['Member'] }>;
  MemberEventType: MemberEventType;
  MemberIdentifierKind: MemberIdentifierKind;
  MemberReferenceInput: MemberReferenceInput;
  MemberStanding: ResolverTypeWrapper<MemberStanding>;
  MemberTransactionConnection: ResolverTypeWrapper<Omit<MemberTransactionConnection, 'edges'> & { edges: Array<ResolversTypes['MemberTransactionEdge']> }>;
  MemberTransactionEdge: ResolverTypeWrapper<Omit<MemberTransactionEdge, 'node'> & { node: ResolversTypes['LedgerTransfer'] }>;
  MembersAuditEntry: ResolverTypeWrapper<AuditRecord>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Offer: ResolverTypeWrapper<MemberOffer>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Partner: ResolverTypeWrapper<PartnerRef>;
  PointsBurn: ResolverTypeWrapper<Omit<PointsBurn, 'transfer'> & { transfer: ResolversTypes['LedgerTransfer'] }>;
  PointsExpiry: ResolverTypeWrapper<PointsExpiry>;
  PointsReservation: ResolverTypeWrapper<PointsReservation>;
  PurchaseClaim: ResolverTypeWrapper<ClaimRow>;
  PurchaseClaimConnection: ResolverTypeWrapper<Omit<PurchaseClaimConnection, 'edges'> & { edges: Array<ResolversTypes['PurchaseClaimEdge']> }>;
  PurchaseClaimEdge: ResolverTypeWrapper<Omit<PurchaseClaimEdge, 'node'> & { node: ResolversTypes['PurchaseClaim'] }>;
  PurchaseClaimStatus: PurchaseClaimStatus;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordPurchaseInput: RecordPurchaseInput;
  RecordedPurchase: ResolverTypeWrapper<RecordedPurchaseRow>;
  ReservationStatus: ReservationStatus;
  ReservePointsInput: ReservePointsInput;
  ReverseEarnInput: ReverseEarnInput;
  SettlePendingEarnInput: SettlePendingEarnInput;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Tier: ResolverTypeWrapper<Tier>;
  TierLevel: TierLevel;
  TransferKind: TransferKind;
  TransferPointsInput: TransferPointsInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AdjustPointsInput: AdjustPointsInput;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Balance: Balance;
  BalanceEvent: MemberEventRow;
  BalanceSnapshot: BalanceSnapshot;
  BasketLineInput: BasketLineInput;
  BurnPointsInput: BurnPointsInput;
  Campaign: CampaignRow;
  Boolean: Scalars['Boolean']['output'];
  CampaignConnection: Omit<CampaignConnection, 'edges'> & { edges: Array<ResolversParentTypes['CampaignEdge']> };
  CampaignEdge: Omit<CampaignEdge, 'node'> & { node: ResolversParentTypes['Campaign'] };
  CampaignEvent: CampaignEventView;
  CampaignReport: CampaignReport;
  CampaignSimulation: CampaignSimulation;
  CashPart: CashPart;
  CashPartInput: CashPartInput;
  CheckoutToken: IssuedCheckoutToken;
  ClaimMissingPointsInput: ClaimMissingPointsInput;
  CreateCampaignInput: CreateCampaignInput;
  CreateCheckoutTokenInput: CreateCheckoutTokenInput;
  DateTime: Scalars['DateTime']['output'];
  EarnPointsInput: EarnPointsInput;
  EarnReversal: Omit<EarnReversal, 'member' | 'transfers'> & { member: ResolversParentTypes['Member'], transfers: Array<ResolversParentTypes['LedgerTransfer']> };
  EnrollMemberInput: EnrollMemberInput;
  ExpiringLot: ExpiringLot;
  LedgerEvent: PublishedEvent;
  LedgerFloat: LedgerFloat;
  LedgerMaintenanceRun: LedgerMaintenanceRun;
  LedgerTotal: LedgerTotal;
  LedgerTransfer: TransferRow;
  Long: Scalars['Long']['output'];
  Member: MemberRow;
  MemberConnection: Omit<MemberConnection, 'edges'> & { edges: Array<ResolversParentTypes['MemberEdge']> };
  MemberEdge: Omit<MemberEdge, 'node'> & { node: ResolversParentTypes['Member'] };
  MemberReferenceInput: MemberReferenceInput;
  MemberStanding: MemberStanding;
  MemberTransactionConnection: Omit<MemberTransactionConnection, 'edges'> & { edges: Array<ResolversParentTypes['MemberTransactionEdge']> };
  MemberTransactionEdge: Omit<MemberTransactionEdge, 'node'> & { node: ResolversParentTypes['LedgerTransfer'] };
  MembersAuditEntry: AuditRecord;
  Mutation: Record<PropertyKey, never>;
  Offer: MemberOffer;
  PageInfo: PageInfo;
  Partner: PartnerRef;
  PointsBurn: Omit<PointsBurn, 'transfer'> & { transfer: ResolversParentTypes['LedgerTransfer'] };
  PointsExpiry: PointsExpiry;
  PointsReservation: PointsReservation;
  PurchaseClaim: ClaimRow;
  PurchaseClaimConnection: Omit<PurchaseClaimConnection, 'edges'> & { edges: Array<ResolversParentTypes['PurchaseClaimEdge']> };
  PurchaseClaimEdge: Omit<PurchaseClaimEdge, 'node'> & { node: ResolversParentTypes['PurchaseClaim'] };
  Query: Record<PropertyKey, never>;
  RecordPurchaseInput: RecordPurchaseInput;
  RecordedPurchase: RecordedPurchaseRow;
  ReservePointsInput: ReservePointsInput;
  ReverseEarnInput: ReverseEarnInput;
  SettlePendingEarnInput: SettlePendingEarnInput;
  Subscription: Record<PropertyKey, never>;
  Tier: Tier;
  TransferPointsInput: TransferPointsInput;
  String: Scalars['String']['output'];
};

export type ScopesDirectiveArgs = {
  anyOf: Array<Scalars['String']['input']>;
};

export type ScopesDirectiveResolver<Result, Parent, ContextType = MembersContext, Args = ScopesDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type BalanceResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Balance'] = ResolversParentTypes['Balance']> = {
  availablePoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lifetimeEarnedPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  nextExpiry?: Resolver<Maybe<ResolversTypes['PointsExpiry']>, ParentType, ContextType>;
  pendingPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reservedPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type BalanceEventResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['BalanceEvent'] = ResolversParentTypes['BalanceEvent']> = {
  balance?: Resolver<Maybe<ResolversTypes['BalanceSnapshot']>, ParentType, ContextType>;
  campaign?: Resolver<Maybe<ResolversTypes['Campaign']>, ParentType, ContextType>;
  delta?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  kind?: Resolver<Maybe<ResolversTypes['TransferKind']>, ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  partner?: Resolver<Maybe<ResolversTypes['Partner']>, ParentType, ContextType>;
  pendingDelta?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tierFrom?: Resolver<Maybe<ResolversTypes['TierLevel']>, ParentType, ContextType>;
  tierTo?: Resolver<Maybe<ResolversTypes['TierLevel']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['MemberEventType'], ParentType, ContextType>;
};

export type BalanceSnapshotResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['BalanceSnapshot'] = ResolversParentTypes['BalanceSnapshot']> = {
  availablePoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pendingPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reservedPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CampaignResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Campaign'] = ResolversParentTypes['Campaign']> = {
  bonusPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  budgetLeftPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  budgetPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  categoryCodes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  coalitionWide?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  distinctCategories?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  distinctPartners?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  endsAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  exclusive?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  extraPermille?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  funderPartnerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastEventSequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  newCustomersOnly?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  optIn?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  perMemberCapPoints?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  report?: Resolver<ResolversTypes['CampaignReport'], ParentType, ContextType>;
  ruleKind?: Resolver<ResolversTypes['CampaignRuleKind'], ParentType, ContextType>;
  shopperCategoryCodes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  skus?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  startsAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['CampaignStatus'], ParentType, ContextType>;
  tiers?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  windowDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type CampaignConnectionResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['CampaignConnection'] = ResolversParentTypes['CampaignConnection']> = {
  edges?: Resolver<Array<ResolversTypes['CampaignEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type CampaignEdgeResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['CampaignEdge'] = ResolversParentTypes['CampaignEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Campaign'], ParentType, ContextType>;
};

export type CampaignEventResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['CampaignEvent'] = ResolversParentTypes['CampaignEvent']> = {
  budgetLeftPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  campaign?: Resolver<ResolversTypes['Campaign'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  points?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['CampaignStatus'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['CampaignEventType'], ParentType, ContextType>;
};

export type CampaignReportResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['CampaignReport'] = ResolversParentTypes['CampaignReport']> = {
  bonusedPurchases?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  budgetLeftPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  grantedPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  incrementalPurchases?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  membersReached?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reachedMembersPurchasesBefore?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reachedMembersPurchasesDuring?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reversedPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CampaignSimulationResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['CampaignSimulation'] = ResolversParentTypes['CampaignSimulation']> = {
  bonusPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  budgetExhausted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  campaignId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  costCurrency?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  estimatedCostMinor?: Resolver<Maybe<ResolversTypes['Long']>, ParentType, ContextType>;
  from?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  issuePriceMicrosPerPoint?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  membersReached?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  purchasesBonused?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  purchasesReplayed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type CashPartResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['CashPart'] = ResolversParentTypes['CashPart']> = {
  amountMinor?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CheckoutTokenResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['CheckoutToken'] = ResolversParentTypes['CheckoutToken']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  maxPoints?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
  partner?: Resolver<Maybe<ResolversTypes['Partner']>, ParentType, ContextType>;
  qrCodeSvg?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EarnReversalResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['EarnReversal'] = ResolversParentTypes['EarnReversal']> = {
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
  pointsClawedBack?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pointsReversed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  transfers?: Resolver<Array<ResolversTypes['LedgerTransfer']>, ParentType, ContextType>;
};

export type ExpiringLotResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['ExpiringLot'] = ResolversParentTypes['ExpiringLot']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  lotId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memberEnrolledViaPartnerId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  memberId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type LedgerEventResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['LedgerEvent'] = ResolversParentTypes['LedgerEvent']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memberEnrolledViaPartnerId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  memberId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memberSequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  payload?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  traceparent?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LedgerFloatResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['LedgerFloat'] = ResolversParentTypes['LedgerFloat']> = {
  clawbackDebtPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  floatPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
};

export type LedgerMaintenanceRunResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['LedgerMaintenanceRun'] = ResolversParentTypes['LedgerMaintenanceRun']> = {
  checkoutTokensDeleted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lotsExpired?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pendingEarnsPosted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pointsExpired?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reservationsReleased?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type LedgerTotalResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['LedgerTotal'] = ResolversParentTypes['LedgerTotal']> = {
  kind?: Resolver<ResolversTypes['TransferKind'], ParentType, ContextType>;
  memberCredited?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
};

export type LedgerTransferResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['LedgerTransfer'] = ResolversParentTypes['LedgerTransfer']> = {
  counterpartyMember?: Resolver<Maybe<ResolversTypes['Member']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['TransferKind'], ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
  partner?: Resolver<Maybe<ResolversTypes['Partner']>, ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export interface LongScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Long'], any> {
  name: 'Long';
}

export type MemberResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Member'] = ResolversParentTypes['Member'], FederationReferenceType extends FederationReferenceTypes['Member'] = FederationReferenceTypes['Member']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Member']> | FederationReferenceType, FederationReferenceType, ContextType>;
  balance?: Resolver<ResolversTypes['Balance'], ParentType, ContextType>;
  cardNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  consents?: Resolver<Array<ResolversTypes['Partner']>, ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  enrolledAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  enrolledVia?: Resolver<ResolversTypes['Partner'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  offers?: Resolver<Array<ResolversTypes['Offer']>, ParentType, ContextType>;
  phoneNumber?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  phoneNumberVerified?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  pinSet?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  pseudonym?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['Tier'], ParentType, ContextType>;
  transactions?: Resolver<ResolversTypes['MemberTransactionConnection'], ParentType, ContextType, RequireFields<MemberTransactionsArgs, 'first'>>;
};

export type MemberConnectionResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['MemberConnection'] = ResolversParentTypes['MemberConnection']> = {
  edges?: Resolver<Array<ResolversTypes['MemberEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type MemberEdgeResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['MemberEdge'] = ResolversParentTypes['MemberEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
};

export type MemberStandingResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['MemberStanding'] = ResolversParentTypes['MemberStanding']> = {
  availablePoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  memberId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['TierLevel'], ParentType, ContextType>;
};

export type MemberTransactionConnectionResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['MemberTransactionConnection'] = ResolversParentTypes['MemberTransactionConnection']> = {
  edges?: Resolver<Array<ResolversTypes['MemberTransactionEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type MemberTransactionEdgeResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['MemberTransactionEdge'] = ResolversParentTypes['MemberTransactionEdge']> = {
  availablePointsDelta?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['LedgerTransfer'], ParentType, ContextType>;
  pendingPointsDelta?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MembersAuditEntryResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['MembersAuditEntry'] = ResolversParentTypes['MembersAuditEntry']> = {
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  details?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  target?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  activateOffer?: Resolver<ResolversTypes['Offer'], ParentType, ContextType, RequireFields<MutationActivateOfferArgs, 'campaignId' | 'memberId'>>;
  adjustPoints?: Resolver<ResolversTypes['LedgerTransfer'], ParentType, ContextType, RequireFields<MutationAdjustPointsArgs, 'input'>>;
  burnPoints?: Resolver<ResolversTypes['PointsBurn'], ParentType, ContextType, RequireFields<MutationBurnPointsArgs, 'input'>>;
  checkoutTokenForPin?: Resolver<ResolversTypes['String'], ParentType, ContextType, RequireFields<MutationCheckoutTokenForPinArgs, 'memberId' | 'partnerId' | 'pin'>>;
  claimMissingPoints?: Resolver<ResolversTypes['PurchaseClaim'], ParentType, ContextType, RequireFields<MutationClaimMissingPointsArgs, 'input'>>;
  confirmPendingEarn?: Resolver<ResolversTypes['LedgerTransfer'], ParentType, ContextType, RequireFields<MutationConfirmPendingEarnArgs, 'input'>>;
  confirmPurchaseClaim?: Resolver<ResolversTypes['PurchaseClaim'], ParentType, ContextType, RequireFields<MutationConfirmPurchaseClaimArgs, 'claimId'>>;
  createCampaign?: Resolver<ResolversTypes['Campaign'], ParentType, ContextType, RequireFields<MutationCreateCampaignArgs, 'input'>>;
  createCheckoutToken?: Resolver<ResolversTypes['CheckoutToken'], ParentType, ContextType, RequireFields<MutationCreateCheckoutTokenArgs, 'input'>>;
  earnPoints?: Resolver<ResolversTypes['LedgerTransfer'], ParentType, ContextType, RequireFields<MutationEarnPointsArgs, 'input'>>;
  enrollMember?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationEnrollMemberArgs, 'input'>>;
  grantConsent?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationGrantConsentArgs, 'memberId' | 'partnerId'>>;
  postReservation?: Resolver<ResolversTypes['PointsReservation'], ParentType, ContextType, RequireFields<MutationPostReservationArgs, 'reservationId'>>;
  recordPurchase?: Resolver<ResolversTypes['RecordedPurchase'], ParentType, ContextType, RequireFields<MutationRecordPurchaseArgs, 'input'>>;
  refundReservation?: Resolver<ResolversTypes['PointsReservation'], ParentType, ContextType, RequireFields<MutationRefundReservationArgs, 'reservationId'>>;
  reissueCard?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationReissueCardArgs, 'idempotencyKey' | 'memberId'>>;
  rejectPurchaseClaim?: Resolver<ResolversTypes['PurchaseClaim'], ParentType, ContextType, RequireFields<MutationRejectPurchaseClaimArgs, 'claimId' | 'reason'>>;
  reservePoints?: Resolver<ResolversTypes['PointsReservation'], ParentType, ContextType, RequireFields<MutationReservePointsArgs, 'input'>>;
  resetPin?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationResetPinArgs, 'memberId'>>;
  reverseEarn?: Resolver<ResolversTypes['EarnReversal'], ParentType, ContextType, RequireFields<MutationReverseEarnArgs, 'input'>>;
  revokeConsent?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationRevokeConsentArgs, 'memberId' | 'partnerId'>>;
  runLedgerMaintenance?: Resolver<ResolversTypes['LedgerMaintenanceRun'], ParentType, ContextType>;
  setCampaignStatus?: Resolver<ResolversTypes['Campaign'], ParentType, ContextType, RequireFields<MutationSetCampaignStatusArgs, 'campaignId' | 'status'>>;
  setExcludedCategories?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType, RequireFields<MutationSetExcludedCategoriesArgs, 'categoryCodes'>>;
  setPhoneNumber?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationSetPhoneNumberArgs, 'memberId' | 'phoneNumber'>>;
  setPin?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationSetPinArgs, 'memberId' | 'pin'>>;
  transferPoints?: Resolver<ResolversTypes['LedgerTransfer'], ParentType, ContextType, RequireFields<MutationTransferPointsArgs, 'input'>>;
  verifyPhoneNumber?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<MutationVerifyPhoneNumberArgs, 'memberId'>>;
  voidPendingEarn?: Resolver<ResolversTypes['LedgerTransfer'], ParentType, ContextType, RequireFields<MutationVoidPendingEarnArgs, 'input'>>;
  voidReservation?: Resolver<ResolversTypes['PointsReservation'], ParentType, ContextType, RequireFields<MutationVoidReservationArgs, 'reservationId'>>;
};

export type OfferResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Offer'] = ResolversParentTypes['Offer']> = {
  activated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  campaign?: Resolver<ResolversTypes['Campaign'], ParentType, ContextType>;
  capLeftPoints?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
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

export type PointsBurnResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['PointsBurn'] = ResolversParentTypes['PointsBurn']> = {
  cash?: Resolver<Maybe<ResolversTypes['CashPart']>, ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  transfer?: Resolver<ResolversTypes['LedgerTransfer'], ParentType, ContextType>;
  valueMinor?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PointsExpiryResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['PointsExpiry'] = ResolversParentTypes['PointsExpiry']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PointsReservationResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['PointsReservation'] = ResolversParentTypes['PointsReservation']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  redeemTransferId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReservationStatus'], ParentType, ContextType>;
};

export type PurchaseClaimResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['PurchaseClaim'] = ResolversParentTypes['PurchaseClaim']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  decidedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  documentNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  earn?: Resolver<Maybe<ResolversTypes['LedgerTransfer']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  matchedPurchase?: Resolver<Maybe<ResolversTypes['RecordedPurchase']>, ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType>;
  partner?: Resolver<ResolversTypes['Partner'], ParentType, ContextType>;
  purchaseAmountMinor?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  purchasedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  rejectionReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PurchaseClaimStatus'], ParentType, ContextType>;
  storeId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PurchaseClaimConnectionResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['PurchaseClaimConnection'] = ResolversParentTypes['PurchaseClaimConnection']> = {
  edges?: Resolver<Array<ResolversTypes['PurchaseClaimEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type PurchaseClaimEdgeResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['PurchaseClaimEdge'] = ResolversParentTypes['PurchaseClaimEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['PurchaseClaim'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  campaign?: Resolver<ResolversTypes['Campaign'], ParentType, ContextType, RequireFields<QueryCampaignArgs, 'id'>>;
  campaignEvent?: Resolver<ResolversTypes['CampaignEvent'], ParentType, ContextType, RequireFields<QueryCampaignEventArgs, 'campaignId' | 'sequence'>>;
  campaignEvents?: Resolver<Array<ResolversTypes['CampaignEvent']>, ParentType, ContextType, RequireFields<QueryCampaignEventsArgs, 'afterSequence' | 'campaignId' | 'first'>>;
  campaignSimulation?: Resolver<ResolversTypes['CampaignSimulation'], ParentType, ContextType, RequireFields<QueryCampaignSimulationArgs, 'campaignId' | 'from' | 'to'>>;
  campaigns?: Resolver<ResolversTypes['CampaignConnection'], ParentType, ContextType, RequireFields<QueryCampaignsArgs, 'first'>>;
  expiringLots?: Resolver<Array<ResolversTypes['ExpiringLot']>, ParentType, ContextType, RequireFields<QueryExpiringLotsArgs, 'first' | 'from' | 'to'>>;
  lastMemberEventSequence?: Resolver<ResolversTypes['Int'], ParentType, ContextType, RequireFields<QueryLastMemberEventSequenceArgs, 'memberId'>>;
  ledgerEvents?: Resolver<Array<ResolversTypes['LedgerEvent']>, ParentType, ContextType, RequireFields<QueryLedgerEventsArgs, 'afterPosition' | 'first' | 'publishPendingFirst'>>;
  ledgerFloat?: Resolver<ResolversTypes['LedgerFloat'], ParentType, ContextType, RequireFields<QueryLedgerFloatArgs, 'before' | 'uptoPosition'>>;
  ledgerHead?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  ledgerTotals?: Resolver<Array<ResolversTypes['LedgerTotal']>, ParentType, ContextType, RequireFields<QueryLedgerTotalsArgs, 'from' | 'to' | 'uptoPosition'>>;
  me?: Resolver<Maybe<ResolversTypes['Member']>, ParentType, ContextType>;
  member?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<QueryMemberArgs, 'id'>>;
  memberByIdentifier?: Resolver<ResolversTypes['Member'], ParentType, ContextType, RequireFields<QueryMemberByIdentifierArgs, 'kind' | 'value'>>;
  memberEvent?: Resolver<ResolversTypes['BalanceEvent'], ParentType, ContextType, RequireFields<QueryMemberEventArgs, 'memberId' | 'sequence'>>;
  memberEvents?: Resolver<Array<ResolversTypes['BalanceEvent']>, ParentType, ContextType, RequireFields<QueryMemberEventsArgs, 'afterSequence' | 'first' | 'memberId'>>;
  memberStanding?: Resolver<ResolversTypes['MemberStanding'], ParentType, ContextType, RequireFields<QueryMemberStandingArgs, 'memberId'>>;
  members?: Resolver<ResolversTypes['MemberConnection'], ParentType, ContextType, RequireFields<QueryMembersArgs, 'first'>>;
  membersAuditLog?: Resolver<Array<ResolversTypes['MembersAuditEntry']>, ParentType, ContextType, RequireFields<QueryMembersAuditLogArgs, 'first'>>;
  purchaseClaims?: Resolver<ResolversTypes['PurchaseClaimConnection'], ParentType, ContextType, RequireFields<QueryPurchaseClaimsArgs, 'first'>>;
  resolveMemberReference?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<QueryResolveMemberReferenceArgs, 'reference'>>;
};

export type RecordedPurchaseResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['RecordedPurchase'] = ResolversParentTypes['RecordedPurchase']> = {
  claim?: Resolver<Maybe<ResolversTypes['PurchaseClaim']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  documentNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  partner?: Resolver<ResolversTypes['Partner'], ParentType, ContextType>;
  purchaseAmountMinor?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  purchasedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  storeId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = MembersContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  balanceChanged?: SubscriptionResolver<ResolversTypes['BalanceEvent'], "balanceChanged", ParentType, ContextType, RequireFields<SubscriptionBalanceChangedArgs, 'memberId'>>;
  campaignChanged?: SubscriptionResolver<ResolversTypes['CampaignEvent'], "campaignChanged", ParentType, ContextType, RequireFields<SubscriptionCampaignChangedArgs, 'campaignId'>>;
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
  BalanceEvent?: BalanceEventResolvers<ContextType>;
  BalanceSnapshot?: BalanceSnapshotResolvers<ContextType>;
  Campaign?: CampaignResolvers<ContextType>;
  CampaignConnection?: CampaignConnectionResolvers<ContextType>;
  CampaignEdge?: CampaignEdgeResolvers<ContextType>;
  CampaignEvent?: CampaignEventResolvers<ContextType>;
  CampaignReport?: CampaignReportResolvers<ContextType>;
  CampaignSimulation?: CampaignSimulationResolvers<ContextType>;
  CashPart?: CashPartResolvers<ContextType>;
  CheckoutToken?: CheckoutTokenResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  EarnReversal?: EarnReversalResolvers<ContextType>;
  ExpiringLot?: ExpiringLotResolvers<ContextType>;
  LedgerEvent?: LedgerEventResolvers<ContextType>;
  LedgerFloat?: LedgerFloatResolvers<ContextType>;
  LedgerMaintenanceRun?: LedgerMaintenanceRunResolvers<ContextType>;
  LedgerTotal?: LedgerTotalResolvers<ContextType>;
  LedgerTransfer?: LedgerTransferResolvers<ContextType>;
  Long?: GraphQLScalarType;
  Member?: MemberResolvers<ContextType>;
  MemberConnection?: MemberConnectionResolvers<ContextType>;
  MemberEdge?: MemberEdgeResolvers<ContextType>;
  MemberStanding?: MemberStandingResolvers<ContextType>;
  MemberTransactionConnection?: MemberTransactionConnectionResolvers<ContextType>;
  MemberTransactionEdge?: MemberTransactionEdgeResolvers<ContextType>;
  MembersAuditEntry?: MembersAuditEntryResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Offer?: OfferResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Partner?: PartnerResolvers<ContextType>;
  PointsBurn?: PointsBurnResolvers<ContextType>;
  PointsExpiry?: PointsExpiryResolvers<ContextType>;
  PointsReservation?: PointsReservationResolvers<ContextType>;
  PurchaseClaim?: PurchaseClaimResolvers<ContextType>;
  PurchaseClaimConnection?: PurchaseClaimConnectionResolvers<ContextType>;
  PurchaseClaimEdge?: PurchaseClaimEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RecordedPurchase?: RecordedPurchaseResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Tier?: TierResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = MembersContext> = {
  scopes?: ScopesDirectiveResolver<any, any, ContextType>;
};
