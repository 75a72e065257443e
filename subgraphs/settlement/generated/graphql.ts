import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { PartnerRow, ContractRow } from '../entities';
import type { PartnerPositionView, StatementRow, StatementLineRow } from '../statements';
import type { PeriodRow } from '../periods';
import type { ReconciliationView, PointsFlowRow } from '../reconciliation';
import type { BooksView } from '../books';
import type { ApiKeyRow } from '../apiKeys';
import type { CoalitionAnalyticsView } from '../analytics';
import type { AuditRecord } from '../../../shared/audit';
import type { WebhookEndpointRow } from '../webhooks';
import type { DeliveryRow } from '../webhookDelivery';
import type { SettlementContext } from '../context';
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

/** Activity of the coalition's members in one closed settlement period. */
export type AnalyticsMeasures = {
  __typename?: 'AnalyticsMeasures';
  /** Distinct members who earned or redeemed points (or had earns refunded or redemptions cancelled). */
  activeMembers: SuppressibleMemberCount;
  /** Points earned less points taken back by refunds; its group is the members who earned or were refunded. */
  pointsEarned: SuppressiblePoints;
  /** Points redeemed less redemptions cancelled; its group is the members who redeemed or cancelled. */
  pointsRedeemed: SuppressiblePoints;
};

/** What a partner API key may do. */
export type ApiKeyScope =
  /** Read the coalition's anonymised analytics. */
  | 'ANALYTICS_READ'
  /** Manage the partner's reward catalog and accept vouchers. */
  | 'CATALOG_WRITE'
  /** Post purchases, refunds and point-of-sale payments. */
  | 'LEDGER_WRITE'
  /** Enroll members. */
  | 'MEMBERS_WRITE'
  /** Read the partner's contract, position and statements. */
  | 'SETTLEMENT_READ'
  /** Manage the partner's webhook endpoints, read their delivery logs, replay deliveries. */
  | 'WEBHOOKS';

/**
 * One recorded action: a write the operator made, the creation or revocation of a partner API key, or
 * a minute in which a partner API key was used.
 */
export type AuditEntry = {
  __typename?: 'AuditEntry';
  /** What was done: the mutation's name (such as `registerPartner`), or `partnerApiKeyUsed`. */
  action: Scalars['String']['output'];
  /** Who acted: `operator:<name>`, `partner:<partner id>` or `member:<member id>`. */
  actor: Scalars['String']['output'];
  /** When it happened (for key use: the start of the minute). */
  at: Scalars['DateTime']['output'];
  /** The action's inputs and outcome as a JSON object (ids and figures, never personal data); for key use the number of checks. */
  details: Scalars['String']['output'];
  /** Stable identifier of the entry. */
  id: Scalars['ID']['output'];
  /** The service that recorded it: `members`, `rewards` or `settlement`. */
  service: Scalars['String']['output'];
  /** What it was done to, such as a partner, key, member, transfer, reward or period id. */
  target: Maybe<Scalars['String']['output']>;
};

/** A page of audit entries, the newest first. */
export type AuditEntryConnection = {
  __typename?: 'AuditEntryConnection';
  /** The entries of this page. */
  edges: Array<AuditEntryEdge>;
  /** Whether more follow and where to continue. */
  pageInfo: PageInfo;
};

/** An audit entry in a page. */
export type AuditEntryEdge = {
  __typename?: 'AuditEntryEdge';
  /** Opaque position, for `after`. */
  cursor: Scalars['String']['output'];
  /** The entry. */
  node: AuditEntry;
};

/** Activity at the partners of one category in one closed settlement period. */
export type CategoryAnalytics = {
  __typename?: 'CategoryAnalytics';
  /** Distinct members active at partners of the category. */
  activeMembers: SuppressibleMemberCount;
  /** The partner category. */
  category: PartnerCategory;
  /** Points earned at partners of the category, less refunds. */
  pointsEarned: SuppressiblePoints;
  /** Points redeemed at partners of the category, less cancellations. */
  pointsRedeemed: SuppressiblePoints;
};

/**
 * Anonymised coalition-wide analytics for one closed settlement period, by fixed partner category.
 * Every figure counts at least `minimumGroupSize` distinct members or is suppressed; totals and
 * cross-shopping counts are also suppressed where subtracting visible figures would reveal a smaller
 * group.
 */
export type CoalitionAnalytics = {
  __typename?: 'CoalitionAnalytics';
  /** One entry per partner category, every category always listed. */
  categories: Array<CategoryAnalytics>;
  /** One cell per pair of categories, every pair always listed. */
  crossShopping: Array<CrossShoppingCell>;
  /** The fewest distinct members a figure may describe (ANALYTICS_MIN_GROUP_SIZE, 10 by default). */
  minimumGroupSize: Scalars['Int']['output'];
  /** The period (always a closed one: its figures never change). */
  period: SettlementPeriod;
  /** The whole coalition. */
  total: AnalyticsMeasures;
};

/**
 * The coalition's books for the points float (the points members hold) in one period, checked against
 * the ledger. Settlement's count of every movement carries the float from the period's start to its
 * end; the ledger's accounts, read as of the same event position, must hold exactly that. Counts
 * events by when they happened (a late event counts for its own period), published up to
 * `asOfEventPosition`.
 */
export type CoalitionBooks = {
  __typename?: 'CoalitionBooks';
  /** Position of the last ledger event both sides count: events published later are left out of both. */
  asOfEventPosition: Scalars['Long']['output'];
  /** Whether differencePoints is zero. */
  balanced: Scalars['Boolean']['output'];
  /** Campaigns' bonus points granted to members, funded by partners. */
  bonusPoints: Scalars['Long']['output'];
  /** Bonus points taken back by refunds, clawbacks included. */
  bonusReversedPoints: Scalars['Long']['output'];
  /** Points that expired (breakage). */
  breakagePoints: Scalars['Long']['output'];
  /** From the ledger at the period's end: what members owe from clawbacks of points they had already spent (already subtracted in ledgerFloatPoints). */
  clawbackDebtPoints: Scalars['Long']['output'];
  /** openingFloatPoints + issuedPoints - reversedPoints + bonusPoints - bonusReversedPoints - redeemedPoints - breakagePoints + grantedPoints - debitedPoints. */
  closingFloatPoints: Scalars['Long']['output'];
  /** Points the operator took from members (adjustments removing points). */
  debitedPoints: Scalars['Long']['output'];
  /** closingFloatPoints less ledgerFloatPoints: zero when the books close. */
  differencePoints: Scalars['Long']['output'];
  /** Points the operator granted to members (adjustments adding points). */
  grantedPoints: Scalars['Long']['output'];
  /** Points granted by the operator that members redeemed at partners in the period: no partner issued them (the flows with no issuer). */
  grantedPointsRedeemed: Scalars['Long']['output'];
  /** Points issued to members at partners (immediate earns and posted pending earns). */
  issuedPoints: Scalars['Long']['output'];
  /** From the ledger's accounts at the period's end: members' available and reserved points, available being net of clawback debt. */
  ledgerFloatPoints: Scalars['Long']['output'];
  /** Points members held when the period began: every movement before it, summed. */
  openingFloatPoints: Scalars['Long']['output'];
  /** The period. */
  period: SettlementPeriod;
  /** Points redeemed or burnt at partners, less what cancelled redemptions gave back. */
  redeemedPoints: Scalars['Long']['output'];
  /** Points taken back by refunds, clawbacks included, bonus points aside. */
  reversedPoints: Scalars['Long']['output'];
};

/** A new webhook endpoint. */
export type CreateWebhookEndpointInput = {
  /** What the endpoint is for, at most 200 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The events to receive; at least one. */
  eventTypes: Array<WebhookEventType>;
  /**
   * Key that makes a retry safe: the same key with the same input answers the endpoint it
   * registered (with its signing secret as it is now) instead of registering another; the same key
   * with other input fails with IDEMPOTENCY_CONFLICT. 1 to 128 printable ASCII characters. Without
   * one, every call registers an endpoint.
   */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** The partner; a partner may omit it (itself). The operator omits it for a coalition endpoint. */
  partnerId?: InputMaybe<Scalars['ID']['input']>;
  /** An absolute http(s) URL of at most 2048 characters; in production https, resolving to public addresses only. */
  url: Scalars['String']['input'];
};

/** A new key and its secret, which is never shown again. */
export type CreatedPartnerApiKey = {
  __typename?: 'CreatedPartnerApiKey';
  /** The key. */
  key: PartnerApiKey;
  /** The credential to send as `Authorization: Bearer <secret>`. */
  secret: Scalars['String']['output'];
};

/** An endpoint and its signing secret, which is never shown again. */
export type CreatedWebhookEndpoint = {
  __typename?: 'CreatedWebhookEndpoint';
  /** The endpoint. */
  endpoint: WebhookEndpoint;
  /** The signing secret (`whsec_…`), for the receiver's verification library. */
  secret: Scalars['String']['output'];
};

/** Members who earned points in both of two categories in the same period. */
export type CrossShoppingCell = {
  __typename?: 'CrossShoppingCell';
  /** The two categories. */
  categories: Array<PartnerCategory>;
  /** Distinct members who earned in both. */
  members: SuppressibleMemberCount;
};

/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Close a settlement period: first every ledger event published so far is counted, then one
   * statement per partner is frozen. Events that happened before `closeAt` and arrive afterwards are
   * booked, marked late, in the next period, which opens at `closeAt`. Operator only; PERIOD_CLOSED
   * for a closed period.
   */
  closeSettlementPeriod: SettlementPeriod;
  /**
   * Create an API key for a partner; rotate by creating a new key, then revoking the old. Callable by
   * the partner itself and the operator.
   */
  createPartnerApiKey: CreatedPartnerApiKey;
  /**
   * Register a webhook endpoint; the answer holds its signing secret, shown only in this answer (and
   * to a retry under its idempotency key). A partner
   * registers its own (at most 10 by default, LIMIT_EXCEEDED beyond), the operator one for a partner
   * or a coalition endpoint.
   */
  createWebhookEndpoint: CreatedWebhookEndpoint;
  /** Add a partner to the coalition (ACTIVE; it needs a contract before its customers earn). Operator only. */
  registerPartner: Partner;
  /**
   * Send again, in their original order, an endpoint's deliveries queued in [from, to) that are not
   * pending. At most 31 days and 1000 deliveries at once (LIMIT_EXCEEDED: narrow the range). Returns how
   * many were queued again.
   */
  replayWebhookDeliveries: Scalars['Int']['output'];
  /** Send one delivery again, with the same event id. A delivery still pending is left as it is. */
  replayWebhookDelivery: WebhookDelivery;
  /** Revoke a key at once. Callable by its partner and the operator. */
  revokePartnerApiKey: PartnerApiKey;
  /**
   * Give an endpoint a new signing secret, shown only in this answer. For `overlapSeconds` deliveries
   * carry a signature by the old secret too, so the receiver can switch over without refusing any.
   */
  rotateWebhookSecret: CreatedWebhookEndpoint;
  /** Queue a `webhook.test` event for an enabled endpoint, whatever events it chose. Returns the delivery. */
  sendTestWebhook: WebhookDelivery;
  /** Give a partner a new contract from its effective date; earlier contracts stay in its history. Operator only. */
  setPartnerContract: PartnerContract;
  /** Suspend or reactivate a partner. Operator only. */
  setPartnerStatus: Partner;
  /** Change an endpoint's URL, events or description, or enable or disable it. Callable by its partner and the operator. */
  updateWebhookEndpoint: WebhookEndpoint;
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationCloseSettlementPeriodArgs = {
  closeAt?: InputMaybe<Scalars['DateTime']['input']>;
  periodId: Scalars['ID']['input'];
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationCreatePartnerApiKeyArgs = {
  label: Scalars['String']['input'];
  partnerId: Scalars['ID']['input'];
  scopes: Array<ApiKeyScope>;
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationCreateWebhookEndpointArgs = {
  input: CreateWebhookEndpointInput;
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationRegisterPartnerArgs = {
  input: RegisterPartnerInput;
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationReplayWebhookDeliveriesArgs = {
  endpointId: Scalars['ID']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationReplayWebhookDeliveryArgs = {
  id: Scalars['ID']['input'];
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationRevokePartnerApiKeyArgs = {
  keyId: Scalars['ID']['input'];
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationRotateWebhookSecretArgs = {
  id: Scalars['ID']['input'];
  overlapSeconds?: InputMaybe<Scalars['Int']['input']>;
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationSendTestWebhookArgs = {
  endpointId: Scalars['ID']['input'];
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationSetPartnerContractArgs = {
  input: SetPartnerContractInput;
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationSetPartnerStatusArgs = {
  partnerId: Scalars['ID']['input'];
  status: PartnerStatus;
};


/** Operator writes: partners, contracts and periods. Each is kept with who made it. */
export type MutationUpdateWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWebhookEndpointInput;
};

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item on this page, or null when the page is empty. */
  endCursor: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** A partner brand of the coalition. Owned by the settlement subgraph. */
export type Partner = {
  __typename?: 'Partner';
  /** The partner's API keys, revoked ones included. Readable by the partner itself and the operator. */
  apiKeys: Array<PartnerApiKey>;
  /** The partner's line of business. */
  category: PartnerCategory;
  /** Short unique code of the partner, such as `city-bonus-cinema`. */
  code: Scalars['String']['output'];
  /** The contract in force now. Readable by the partner itself and the operator; FORBIDDEN to others. */
  contract: PartnerContract;
  /** Every contract, the latest first (future ones included). Readable by the partner itself and the operator. */
  contracts: Array<PartnerContract>;
  /** Stable identifier of the partner. */
  id: Scalars['ID']['output'];
  /** Display name of the partner. */
  name: Scalars['String']['output'];
  /**
   * Money owed either way in the open settlement period so far, kept current from ledger events.
   * Readable by the partner itself and the operator; FORBIDDEN to others.
   */
  position: PartnerPosition;
  /** The coalition programme the partner belongs to, such as `City Bonus`. */
  programName: Scalars['String']['output'];
  /** The partner's frozen statements of closed periods, the latest first. Readable by the partner itself and the operator. */
  statements: Array<SettlementStatement>;
  /** Whether the partner takes part now. */
  status: PartnerStatus;
  /** The partner's webhook endpoints, the oldest first. Readable by the partner itself and the operator. */
  webhookEndpoints: Array<WebhookEndpoint>;
};


/** A partner brand of the coalition. Owned by the settlement subgraph. */
export type PartnerStatementsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A partner API key (its secret is shown once, when it is created). */
export type PartnerApiKey = {
  __typename?: 'PartnerApiKey';
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Stable identifier of the key; part of the key itself. */
  id: Scalars['ID']['output'];
  /** What the key is for, such as `checkout tills`. */
  label: Scalars['String']['output'];
  /** When it was last accepted by the gateway, if ever (updated at most once a minute). */
  lastUsedAt: Maybe<Scalars['DateTime']['output']>;
  /** When it was revoked; a revoked key is refused at once. */
  revokedAt: Maybe<Scalars['DateTime']['output']>;
  /** What the key may do. */
  scopes: Array<ApiKeyScope>;
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
  /** When the contract takes or took effect; it applies to ledger events from then on. */
  effectiveFrom: Scalars['DateTime']['output'];
  /** Stable identifier of the contract. */
  id: Scalars['ID']['output'];
  /** What the partner pays the coalition for each point its customers earn, in micro-units. */
  issuePriceMicrosPerPoint: Scalars['Int']['output'];
  /** What the coalition pays the partner for each point members redeem there, in micro-units. */
  redemptionValueMicrosPerPoint: Scalars['Int']['output'];
  /**
   * The contract's number among its partner's contracts by `effectiveFrom`: 1 for the first. A
   * contract that has taken effect keeps its number (a new contract never starts in the past); only
   * one still to come may move up if another is scheduled before it.
   */
  version: Scalars['Int']['output'];
};

/**
 * What a partner and the coalition owe each other for the ledger events of the open period counted
 * so far. Amounts are in minor units of `currency`; each is rounded once, half to even, from exact
 * micro-unit products.
 */
export type PartnerPosition = {
  __typename?: 'PartnerPosition';
  /** What the partner owes for those bonus points at its issue price, in minor units. */
  bonusAmountMinor: Scalars['Long']['output'];
  /** What the partner is credited for the bonus points taken back, in minor units. */
  bonusReversedAmountMinor: Scalars['Long']['output'];
  /** ISO 4217 code of the amounts. */
  currency: Scalars['String']['output'];
  /** Which way the net amount flows. */
  direction: SettlementDirection;
  /** What the partner owes for the points issued, in minor units. */
  issuedAmountMinor: Scalars['Long']['output'];
  /** Position of the last ledger event counted. */
  lastEventPosition: Scalars['Long']['output'];
  /** Events counted here that happened in an earlier period but arrived after it closed (booked late, as on the statement). */
  lateEvents: Scalars['Int']['output'];
  /** The absolute value of issued - reversed + bonus - bonus reversed - redeemed amounts, in minor units. */
  netAmountMinor: Scalars['Long']['output'];
  /** The open period. */
  period: SettlementPeriod;
  /** Bonus points of the partner's campaigns granted so far, at whichever partner the purchase was. */
  pointsBonus: Scalars['Long']['output'];
  /** Bonus points of the partner's campaigns taken back by refunds. */
  pointsBonusReversed: Scalars['Long']['output'];
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
  /** What the partner pays per point issued (and per bonus point it funds), in micro-units; null with no contract in force. */
  issuePriceMicrosPerPoint: Maybe<Scalars['Int']['output']>;
  /** The partner. */
  partnerId: Scalars['ID']['output'];
  /** What the coalition pays the partner per point redeemed there, in micro-units. */
  redemptionValueMicrosPerPoint: Scalars['Int']['output'];
  /** When these terms stop being in force: the start of the partner's next contract; null with none scheduled. */
  termsUntil: Maybe<Scalars['DateTime']['output']>;
};

/** Whether a settlement period still takes events. */
export type PeriodStatus =
  /** Its statements are frozen; events that happened in it but arrive now are booked, marked late, in the open period. */
  | 'CLOSED'
  /** Ledger events are booked into it. */
  | 'OPEN';

/** Points issued by one partner and redeemed at another (or the same), from the lots redemptions consumed. */
export type PointsFlow = {
  __typename?: 'PointsFlow';
  /** The partner whose customers earned the points; null for points the operator granted. */
  issuer: Maybe<Partner>;
  /** Points. */
  points: Scalars['Long']['output'];
  /** The partner where they were redeemed. */
  redeemer: Partner;
};

/** Reads of partners and their settlement. */
export type Query = {
  __typename?: 'Query';
  /**
   * The audit log of every subgraph, the newest first: writes the operator made, partner API keys
   * created and revoked, and their use. Operator only.
   */
  auditLog: AuditEntryConnection;
  /**
   * Anonymised coalition-wide analytics for a closed period: active members and points earned and
   * redeemed by partner category, and cross-shopping between categories. Small groups are suppressed.
   * Readable by partners and the operator; members are FORBIDDEN. BAD_USER_INPUT for an open period.
   */
  coalitionAnalytics: CoalitionAnalytics;
  /** The coalition's books for the points float in one period, checked against the ledger's accounts. Operator only. */
  coalitionBooks: CoalitionBooks;
  /** The coalition webhook endpoints (no partner), which receive every partner's events. Operator only. */
  coalitionWebhookEndpoints: Array<WebhookEndpoint>;
  /** A partner by id. Fails with NOT_FOUND when there is no such partner. */
  partner: Partner;
  /** The terms in force for a partner. Internal: callable by subgraphs only. */
  partnerTerms: PartnerTerms;
  /** Every partner of the coalition, by programme and name. Readable without credentials. */
  partners: Array<Partner>;
  /**
   * Points issued by one partner and redeemed at another in a period. The operator sees every flow; a
   * partner sees the flows it is part of.
   */
  pointsFlows: Array<PointsFlow>;
  /** Settlement checked against the ledger for one period. Operator only. */
  reconciliation: Reconciliation;
  /** Settlement periods, the latest first. Readable by partners and the operator. */
  settlementPeriods: Array<SettlementPeriod>;
  /** A statement by id: for its partner and the operator. */
  settlementStatement: SettlementStatement;
  /** Checks a partner API key. Internal: callable by the gateway only. */
  verifyPartnerApiKey: Maybe<VerifiedPartnerKey>;
  /** A webhook endpoint by id, for its partner and the operator; NOT_FOUND otherwise. */
  webhookEndpoint: WebhookEndpoint;
};


/** Reads of partners and their settlement. */
export type QueryAuditLogArgs = {
  action?: InputMaybe<Scalars['String']['input']>;
  actor?: InputMaybe<Scalars['String']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** Reads of partners and their settlement. */
export type QueryCoalitionAnalyticsArgs = {
  periodId: Scalars['ID']['input'];
};


/** Reads of partners and their settlement. */
export type QueryCoalitionBooksArgs = {
  periodId: Scalars['ID']['input'];
};


/** Reads of partners and their settlement. */
export type QueryPartnerArgs = {
  id: Scalars['ID']['input'];
};


/** Reads of partners and their settlement. */
export type QueryPartnerTermsArgs = {
  partnerId: Scalars['ID']['input'];
};


/** Reads of partners and their settlement. */
export type QueryPointsFlowsArgs = {
  periodId: Scalars['ID']['input'];
};


/** Reads of partners and their settlement. */
export type QueryReconciliationArgs = {
  periodId: Scalars['ID']['input'];
};


/** Reads of partners and their settlement. */
export type QuerySettlementPeriodsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Reads of partners and their settlement. */
export type QuerySettlementStatementArgs = {
  id: Scalars['ID']['input'];
};


/** Reads of partners and their settlement. */
export type QueryVerifyPartnerApiKeyArgs = {
  secret: Scalars['String']['input'];
};


/** Reads of partners and their settlement. */
export type QueryWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};

/** The settlement of one period checked against the ledger, and the coalition's view of its money. */
export type Reconciliation = {
  __typename?: 'Reconciliation';
  /** Position of the last ledger event both sides count: events published later are left out of both. */
  asOfEventPosition: Scalars['Long']['output'];
  /** Whether every line's difference is zero. */
  balanced: Scalars['Boolean']['output'];
  /** Points that expired in the period: the coalition keeps what was paid for them. */
  breakagePoints: Scalars['Long']['output'];
  /**
   * The single currency's coalitionMarginMinor (0 without money); BAD_USER_INPUT when the period has several currencies.
   * @deprecated Partners may settle in several currencies: read money.
   */
  coalitionMarginMinor: Scalars['Long']['output'];
  /**
   * The single currency's issuedLessReversedMinor (0 without money); BAD_USER_INPUT when the period has several currencies.
   * @deprecated Partners may settle in several currencies: read money.
   */
  issuedLessReversedMinor: Scalars['Long']['output'];
  /** One line per kind of movement. */
  lines: Array<ReconciliationLine>;
  /** The period's money, one entry per currency partners settled anything in (by currency code); empty for a period without money. Amounts in different currencies are never added up. */
  money: Array<ReconciliationMoney>;
  /**
   * The single currency's partnerNetsMinor (0 without money); BAD_USER_INPUT when the period has several currencies.
   * @deprecated Partners may settle in several currencies: read money.
   */
  partnerNetsMinor: Scalars['Long']['output'];
  /** The period. */
  period: SettlementPeriod;
  /**
   * The single currency's redeemedMinor (0 without money); BAD_USER_INPUT when the period has several currencies.
   * @deprecated Partners may settle in several currencies: read money.
   */
  redeemedMinor: Scalars['Long']['output'];
};

/** Settlement totals beside ledger totals for one kind of ledger movement. */
export type ReconciliationLine = {
  __typename?: 'ReconciliationLine';
  /** settlementPoints less ledgerPoints: zero when the books agree. */
  differencePoints: Scalars['Long']['output'];
  /** What is counted: ISSUANCE, BONUS (campaigns' bonus points), REVERSAL (of earns and of bonuses alike), REDEMPTION, BREAKAGE or ADJUSTMENT (the operator's grants less its debits). */
  kind: Scalars['String']['output'];
  /** Points the ledger recorded for events that happened in the period. */
  ledgerPoints: Scalars['Long']['output'];
  /** Points settlement counted for the same events. */
  settlementPoints: Scalars['Long']['output'];
};

/** The coalition's money in one currency for one reconciled period, in that currency's minor units. */
export type ReconciliationMoney = {
  __typename?: 'ReconciliationMoney';
  /** Money funders owe for their campaigns' bonus points, less what refunds took back, summed like issuedLessReversedMinor. */
  bonusLessReversedMinor: Scalars['Long']['output'];
  /** The coalition's margin: what partners paid (issued and bonus, less reversals) less what it paid out; equal to partnerNetsMinor when the books balance. */
  coalitionMarginMinor: Scalars['Long']['output'];
  /** ISO 4217 code of the amounts. */
  currency: Scalars['String']['output'];
  /** Money partners owe for points issued, less reversals, summed over partner statements (or positions while the period is open). */
  issuedLessReversedMinor: Scalars['Long']['output'];
  /** Sum of the partners' signed nets (positive: owed to the coalition). */
  partnerNetsMinor: Scalars['Long']['output'];
  /** Money the coalition owes partners for redemptions. */
  redeemedMinor: Scalars['Long']['output'];
};

/** A new partner of the coalition. */
export type RegisterPartnerInput = {
  /** Line of business. */
  category: PartnerCategory;
  /** Unique code: 3 to 60 lowercase letters, digits and dashes. */
  code: Scalars['String']['input'];
  /** Key that makes a retry safe; see setPartnerContract. */
  idempotencyKey: Scalars['String']['input'];
  /** Display name: 1 to 120 characters. */
  name: Scalars['String']['input'];
  /** Programme name: 1 to 120 characters. */
  programName: Scalars['String']['input'];
};

/** A contract for a partner, taking effect at a future instant (or now). */
export type SetPartnerContractInput = {
  /** ISO 4217 code of a currency with a minor unit (not XXX, XAU and the like); a partner keeps one currency. */
  currency: Scalars['String']['input'];
  /** Points per major currency unit, in thousandths: 0 to 100000. */
  earnRateMilliPointsPerUnit: Scalars['Int']['input'];
  /** When it takes effect: now or later, and after the latest event already counted for the partner (a past date would reprice events already counted); no two contracts of a partner share it. Now when omitted. */
  effectiveFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /**
   * Key that makes a retry safe: the same key with the same input returns the first result; the
   * same key with other input fails with IDEMPOTENCY_CONFLICT. 1 to 128 printable ASCII characters.
   */
  idempotencyKey: Scalars['String']['input'];
  /** What the partner pays per point issued, in micro-units: 0 to 1000000. */
  issuePriceMicrosPerPoint: Scalars['Int']['input'];
  /** The partner. */
  partnerId: Scalars['ID']['input'];
  /** What the coalition pays per point redeemed, in micro-units: 0 to 1000000. */
  redemptionValueMicrosPerPoint: Scalars['Int']['input'];
};

/** Which way money flows between a partner and the coalition. */
export type SettlementDirection =
  /** Nothing is owed either way. */
  | 'EVEN'
  /** The partner owes the coalition. */
  | 'PARTNER_PAYS'
  /** The coalition owes the partner. */
  | 'PARTNER_RECEIVES';

/** A settlement period: ledger events that happened from `startsAt` until `endsAt` are counted in it. */
export type SettlementPeriod = {
  __typename?: 'SettlementPeriod';
  /** When it was closed, once closed. */
  closedAt: Maybe<Scalars['DateTime']['output']>;
  /** When it ends (exclusive): its nominal end while open, the closing instant once closed. */
  endsAt: Scalars['DateTime']['output'];
  /** Stable identifier of the period. */
  id: Scalars['ID']['output'];
  /** When the period starts (inclusive). */
  startsAt: Scalars['DateTime']['output'];
  /** Whether it still takes events. */
  status: PeriodStatus;
};

/**
 * A partner's frozen account of one closed period. Amounts are in minor units, each line rounded
 * once, half to even.
 */
export type SettlementStatement = {
  __typename?: 'SettlementStatement';
  /** What the partner owes for those bonus points at its issue price, in minor units. */
  bonusAmountMinor: Scalars['Long']['output'];
  /** What the partner is credited for the bonus points taken back, in minor units. */
  bonusReversedAmountMinor: Scalars['Long']['output'];
  /**
   * The contract versions the statement's line items were priced with, the oldest first (by
   * `effectiveFrom`). A reversal is priced like the event it reverses, so a contract may appear
   * that took effect before the period. Empty when `lines` is.
   */
  contracts: Array<PartnerContract>;
  /**
   * The statement as CSV, for download: a `field,value` header, then one line per figure, then the
   * line items as `line_<n>_<field>` rows. Amounts in minor units (line items: micro-units). Text
   * values are quoted per RFC 4180 where needed, and one beginning with `=`, `+`, `-`, `@`, a tab or a
   * carriage return is prefixed with `'` and quoted, so a spreadsheet shows it as text; numbers are
   * written bare.
   */
  csv: Scalars['String']['output'];
  /** ISO 4217 code of the amounts. */
  currency: Scalars['String']['output'];
  /** Which way the net amount flows. */
  direction: SettlementDirection;
  /** Stable identifier of the statement. */
  id: Scalars['ID']['output'];
  /** What the partner owes for them, in minor units. */
  issuedAmountMinor: Scalars['Long']['output'];
  /**
   * The statement as a JSON document, for download: its figures, `lines` and `contracts` as in the
   * graph, 64-bit figures as strings.
   */
  json: Scalars['String']['output'];
  /** Ledger events booked here late: they happened in an earlier period that had already closed. */
  lateEvents: Scalars['Int']['output'];
  /**
   * What the statement's figures are made of: one line per kind of entry and contract version that
   * had entries, by kind (ISSUANCE, REVERSAL, BONUS, BONUS_REVERSAL, REDEMPTION, REDEMPTION_REVERSAL),
   * then contract, oldest first. Each figure is the sum of its lines' `amountMicros` rounded once to
   * minor units, half to even: issued from ISSUANCE, reversed from REVERSAL, bonus from BONUS, bonus
   * reversed from BONUS_REVERSAL, redeemed from REDEMPTION less REDEMPTION_REVERSAL (and the points
   * likewise). Frozen with the statement. Empty for a statement
   * without entries, and for every statement frozen before line items were kept (their figures stand,
   * without a breakdown).
   */
  lines: Array<SettlementStatementLine>;
  /** The absolute value of issued - reversed + bonus - bonus reversed - redeemed amounts, in minor units. */
  netAmountMinor: Scalars['Long']['output'];
  /** The partner. */
  partner: Partner;
  /** The period. */
  period: SettlementPeriod;
  /** Bonus points of the partner's campaigns granted in the period, at whichever partner the purchase was (0 on statements frozen before bonuses had a line of their own). */
  pointsBonus: Scalars['Long']['output'];
  /** Bonus points of the partner's campaigns taken back by refunds. */
  pointsBonusReversed: Scalars['Long']['output'];
  /** Points the partner's customers earned. */
  pointsIssued: Scalars['Long']['output'];
  /** Points redeemed at the partner, less cancellations. */
  pointsRedeemed: Scalars['Long']['output'];
  /** Points taken back by refunds. */
  pointsReversed: Scalars['Long']['output'];
  /** What the coalition owes for them, in minor units. */
  redeemedAmountMinor: Scalars['Long']['output'];
  /** What the partner is credited for them, in minor units. */
  reversedAmountMinor: Scalars['Long']['output'];
};

/**
 * One line item of a frozen statement: the entries of one kind priced with one contract version.
 * `amountMicros` is exact (unrounded); a statement rounds only its figures.
 */
export type SettlementStatementLine = {
  __typename?: 'SettlementStatementLine';
  /** points x priceMicrosPerPoint, in micro-units (millionths of a major unit), not rounded. */
  amountMicros: Scalars['Long']['output'];
  /** The contract version that priced them. */
  contract: PartnerContract;
  /** Number of ledger events counted in the line. */
  eventCount: Scalars['Int']['output'];
  /** The kind of entries. */
  kind: StatementLineKind;
  /** Their points. */
  points: Scalars['Long']['output'];
  /** The contract's price for this kind (issue price or redemption value), in micro-units per point. */
  priceMicrosPerPoint: Scalars['Int']['output'];
};

/** What kind of entries a statement line item adds up. */
export type StatementLineKind =
  /** Bonus points of the partner's campaigns, wherever the purchase was: the partner, their funder, owes its issue price. */
  | 'BONUS'
  /** Bonus points of the partner's campaigns taken back by refunds: the partner is credited its issue price. */
  | 'BONUS_REVERSAL'
  /** Points the partner's customers earned: the partner owes their issue price. */
  | 'ISSUANCE'
  /** Points redeemed at the partner: the coalition owes their redemption value. */
  | 'REDEMPTION'
  /** Points given back by cancelled redemptions: subtracted from the redemptions. */
  | 'REDEMPTION_REVERSAL'
  /** Points taken back by refunds: the partner is credited their issue price. */
  | 'REVERSAL';

/** Live updates, over graphql-ws (the graphql-transport-ws protocol) on the gateway's /graphql. */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * A partner's position in the open period, each time ledger events change it (and once at the
   * start). Readable by the partner itself and the operator.
   */
  partnerPositionChanged: PartnerPosition;
};


/** Live updates, over graphql-ws (the graphql-transport-ws protocol) on the gateway's /graphql. */
export type SubscriptionPartnerPositionChangedArgs = {
  partnerId: Scalars['ID']['input'];
};

/**
 * A count of distinct members, shown only when at least `CoalitionAnalytics.minimumGroupSize` members
 * stand behind it and no other figure would let a smaller group be worked out from it.
 */
export type SuppressibleMemberCount = {
  __typename?: 'SuppressibleMemberCount';
  /** The exact number of distinct members; null when suppressed. */
  members: Maybe<Scalars['Int']['output']>;
  /** Whether the figure is withheld to keep members anonymous. */
  suppressed: Scalars['Boolean']['output'];
};

/**
 * A sum of points, shown only when at least `CoalitionAnalytics.minimumGroupSize` distinct members
 * contributed to it and no other figure would let a smaller group's points be worked out from it.
 */
export type SuppressiblePoints = {
  __typename?: 'SuppressiblePoints';
  /** The exact sum of points; null when suppressed. */
  points: Maybe<Scalars['Long']['output']>;
  /** Whether the figure is withheld to keep members anonymous. */
  suppressed: Scalars['Boolean']['output'];
};

/** Changes to a webhook endpoint; fields left out stay as they are. */
export type UpdateWebhookEndpointInput = {
  /** A new description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Enable (which also clears the failure count) or disable it. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** New event types; at least one. */
  eventTypes?: InputMaybe<Array<WebhookEventType>>;
  /** A new URL (same rules as at creation). */
  url?: InputMaybe<Scalars['String']['input']>;
};

/** A key the gateway verified. Not part of the public graph. */
export type VerifiedPartnerKey = {
  __typename?: 'VerifiedPartnerKey';
  /** The partner the key acts for. */
  partnerId: Scalars['ID']['output'];
  /** What the key may do. */
  scopes: Array<ApiKeyScope>;
};

/** One event sent (or to be sent) to one endpoint. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** Attempts so far. */
  attempts: Scalars['Int']['output'];
  /** When it was queued. */
  createdAt: Scalars['DateTime']['output'];
  /** When it was delivered. */
  deliveredAt: Maybe<Scalars['DateTime']['output']>;
  /** The event's id: the `webhook-id` header, the same on every attempt and replay. */
  eventId: Scalars['ID']['output'];
  /** The payload's `type`, such as `redemption.issued` or `webhook.test`. */
  eventType: Scalars['String']['output'];
  /** Stable identifier of the delivery. */
  id: Scalars['ID']['output'];
  /** When the last attempt started. */
  lastAttemptAt: Maybe<Scalars['DateTime']['output']>;
  /** What went wrong on the last attempt, if it failed. */
  lastError: Maybe<Scalars['String']['output']>;
  /** How long the last attempt took, in milliseconds. */
  lastLatencyMs: Maybe<Scalars['Int']['output']>;
  /** The HTTP status of the last attempt's answer; null when there was none (timeout, refused connection). */
  lastStatusCode: Maybe<Scalars['Int']['output']>;
  /** The member the event concerns, if any. */
  memberId: Maybe<Scalars['ID']['output']>;
  /** When the next attempt is due, while pending. */
  nextAttemptAt: Maybe<Scalars['DateTime']['output']>;
  /** When the event happened. */
  occurredAt: Scalars['DateTime']['output'];
  /** Where the delivery stands. */
  status: WebhookDeliveryStatus;
};

/** A page of deliveries, the newest first. */
export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  /** The deliveries of this page. */
  edges: Array<WebhookDeliveryEdge>;
  /** Whether more follow and where to continue. */
  pageInfo: PageInfo;
};

/** A delivery in a page. */
export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  /** Opaque position, for `after`. */
  cursor: Scalars['String']['output'];
  /** The delivery. */
  node: WebhookDelivery;
};

/** Where a delivery stands. */
export type WebhookDeliveryStatus =
  /** Not delivered within the retry window (24 hours by default): given up. It may be replayed. */
  | 'DEAD'
  /** The endpoint answered 2xx. */
  | 'DELIVERED'
  /** Queued or being retried. */
  | 'PENDING';

/**
 * An HTTP endpoint of a partner's system that receives signed event callbacks (Standard Webhooks:
 * `webhook-id`, `webhook-timestamp`, `webhook-signature`). Its signing secret is shown once, when it is
 * created or rotated.
 */
export type WebhookEndpoint = {
  __typename?: 'WebhookEndpoint';
  /** Failed delivery attempts in a row since the last success. */
  consecutiveFailures: Scalars['Int']['output'];
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Its deliveries, the newest first. */
  deliveries: WebhookDeliveryConnection;
  /** What the endpoint is for. */
  description: Scalars['String']['output'];
  /** Why it is disabled (by whom, or after how many failed attempts in a row), when it is. */
  disabledReason: Maybe<Scalars['String']['output']>;
  /** The events it receives. */
  eventTypes: Array<WebhookEventType>;
  /** Stable identifier of the endpoint. */
  id: Scalars['ID']['output'];
  /** The partner it belongs to; null for a coalition endpoint of the operator, which receives every partner's events. */
  partner: Maybe<Partner>;
  /** Until when deliveries are also signed with the secret before the last rotation. */
  previousSecretExpiresAt: Maybe<Scalars['DateTime']['output']>;
  /** When the secret was last rotated, if ever. */
  secretRotatedAt: Maybe<Scalars['DateTime']['output']>;
  /** Whether it receives events. */
  status: WebhookEndpointStatus;
  /** Where events are POSTed. */
  url: Scalars['String']['output'];
};


/**
 * An HTTP endpoint of a partner's system that receives signed event callbacks (Standard Webhooks:
 * `webhook-id`, `webhook-timestamp`, `webhook-signature`). Its signing secret is shown once, when it is
 * created or rotated.
 */
export type WebhookEndpointDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<WebhookDeliveryStatus>;
};

/** Whether an endpoint receives events. */
export type WebhookEndpointStatus =
  /** Nothing is queued or sent; deliveries already queued wait until it is enabled again. */
  | 'DISABLED'
  /** New events are queued for it and delivered. */
  | 'ENABLED';

/**
 * What a webhook reports. The payload's `type` is the name in brackets. A partner receives events
 * about itself only: transfers at it, redemptions of its rewards, its members' tiers, its statements
 * and keys.
 */
export type WebhookEventType =
  /** (`api_key.revoked`) One of the partner's API keys was revoked. */
  | 'API_KEY_REVOKED'
  /** (`bonus.granted`) A campaign the partner funds granted bonus points on a purchase, at whichever partner it was; the partner is billed for them. */
  | 'BONUS_GRANTED'
  /** (`campaign.activated`) A campaign the partner funds became ACTIVE (from DRAFT, or again after a pause). */
  | 'CAMPAIGN_ACTIVATED'
  /** (`campaign.budget_low`) Less than 10% of the budget of a campaign the partner funds is left; once per campaign. */
  | 'CAMPAIGN_BUDGET_LOW'
  /** (`earn.pending`) Points were earned at the partner but are held until a date (a stay before checkout). */
  | 'EARN_PENDING'
  /** (`earn.posted`) Pending points of an earn at the partner became spendable. */
  | 'EARN_POSTED'
  /** (`earn.reversed`) A refund at the partner took back points of an earn (reversal or clawback). */
  | 'EARN_REVERSED'
  /** (`earn.voided`) Pending points of an earn at the partner were voided. */
  | 'EARN_VOIDED'
  /** (`points.earned`) A member earned points at the partner. */
  | 'POINTS_EARNED'
  /** (`points.expiring`) Points of a member who enrolled through the partner expire within 30 days (by default); once per lot. */
  | 'POINTS_EXPIRING'
  /** (`redemption.cancelled`) A redemption was cancelled and its points given back. */
  | 'REDEMPTION_CANCELLED'
  /** (`redemption.expired`) A voucher expired unused. */
  | 'REDEMPTION_EXPIRED'
  /** (`redemption.issued`) A member redeemed one of the partner's rewards: a voucher was issued. */
  | 'REDEMPTION_ISSUED'
  /** (`redemption.used`) The partner accepted a voucher. */
  | 'REDEMPTION_USED'
  /** (`statement.frozen`) A settlement period closed and the partner's statement was frozen. */
  | 'STATEMENT_FROZEN'
  /** (`tier.changed`) A member who enrolled through the partner moved to another tier. */
  | 'TIER_CHANGED';



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
  AnalyticsMeasures: ResolverTypeWrapper<AnalyticsMeasures>;
  ApiKeyScope: ApiKeyScope;
  AuditEntry: ResolverTypeWrapper<AuditRecord>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AuditEntryConnection: ResolverTypeWrapper<Omit<AuditEntryConnection, 'edges'> & { edges: Array<ResolversTypes['AuditEntryEdge']> }>;
  AuditEntryEdge: ResolverTypeWrapper<Omit<AuditEntryEdge, 'node'> & { node: ResolversTypes['AuditEntry'] }>;
  CategoryAnalytics: ResolverTypeWrapper<CategoryAnalytics>;
  CoalitionAnalytics: ResolverTypeWrapper<CoalitionAnalyticsView>;
  CoalitionBooks: ResolverTypeWrapper<BooksView>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CreateWebhookEndpointInput: CreateWebhookEndpointInput;
  CreatedPartnerApiKey: ResolverTypeWrapper<Omit<CreatedPartnerApiKey, 'key'> & { key: ResolversTypes['PartnerApiKey'] }>;
  CreatedWebhookEndpoint: ResolverTypeWrapper<Omit<CreatedWebhookEndpoint, 'endpoint'> & { endpoint: ResolversTypes['WebhookEndpoint'] }>;
  CrossShoppingCell: ResolverTypeWrapper<CrossShoppingCell>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Long: ResolverTypeWrapper<Scalars['Long']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Partner: ResolverTypeWrapper<PartnerRow>;
  PartnerApiKey: ResolverTypeWrapper<ApiKeyRow>;
  PartnerCategory: PartnerCategory;
  PartnerContract: ResolverTypeWrapper<ContractRow>;
  PartnerPosition: ResolverTypeWrapper<PartnerPositionView>;
  PartnerStatus: PartnerStatus;
  PartnerTerms: ResolverTypeWrapper<PartnerTerms>;
  PeriodStatus: PeriodStatus;
  PointsFlow: ResolverTypeWrapper<PointsFlowRow>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Reconciliation: ResolverTypeWrapper<ReconciliationView>;
  ReconciliationLine: ResolverTypeWrapper<ReconciliationLine>;
  ReconciliationMoney: ResolverTypeWrapper<ReconciliationMoney>;
  RegisterPartnerInput: RegisterPartnerInput;
  SetPartnerContractInput: SetPartnerContractInput;
  SettlementDirection: SettlementDirection;
  SettlementPeriod: ResolverTypeWrapper<PeriodRow>;
  SettlementStatement: ResolverTypeWrapper<StatementRow>;
  SettlementStatementLine: ResolverTypeWrapper<StatementLineRow>;
  StatementLineKind: StatementLineKind;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SuppressibleMemberCount: ResolverTypeWrapper<SuppressibleMemberCount>;
  SuppressiblePoints: ResolverTypeWrapper<SuppressiblePoints>;
  UpdateWebhookEndpointInput: UpdateWebhookEndpointInput;
  VerifiedPartnerKey: ResolverTypeWrapper<VerifiedPartnerKey>;
  WebhookDelivery: ResolverTypeWrapper<DeliveryRow>;
  WebhookDeliveryConnection: ResolverTypeWrapper<Omit<WebhookDeliveryConnection, 'edges'> & { edges: Array<ResolversTypes['WebhookDeliveryEdge']> }>;
  WebhookDeliveryEdge: ResolverTypeWrapper<Omit<WebhookDeliveryEdge, 'node'> & { node: ResolversTypes['WebhookDelivery'] }>;
  WebhookDeliveryStatus: WebhookDeliveryStatus;
  WebhookEndpoint: ResolverTypeWrapper<WebhookEndpointRow>;
  WebhookEndpointStatus: WebhookEndpointStatus;
  WebhookEventType: WebhookEventType;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AnalyticsMeasures: AnalyticsMeasures;
  AuditEntry: AuditRecord;
  ID: Scalars['ID']['output'];
  AuditEntryConnection: Omit<AuditEntryConnection, 'edges'> & { edges: Array<ResolversParentTypes['AuditEntryEdge']> };
  AuditEntryEdge: Omit<AuditEntryEdge, 'node'> & { node: ResolversParentTypes['AuditEntry'] };
  CategoryAnalytics: CategoryAnalytics;
  CoalitionAnalytics: CoalitionAnalyticsView;
  CoalitionBooks: BooksView;
  Boolean: Scalars['Boolean']['output'];
  CreateWebhookEndpointInput: CreateWebhookEndpointInput;
  CreatedPartnerApiKey: Omit<CreatedPartnerApiKey, 'key'> & { key: ResolversParentTypes['PartnerApiKey'] };
  CreatedWebhookEndpoint: Omit<CreatedWebhookEndpoint, 'endpoint'> & { endpoint: ResolversParentTypes['WebhookEndpoint'] };
  CrossShoppingCell: CrossShoppingCell;
  DateTime: Scalars['DateTime']['output'];
  Long: Scalars['Long']['output'];
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Partner: PartnerRow;
  PartnerApiKey: ApiKeyRow;
  PartnerContract: ContractRow;
  PartnerPosition: PartnerPositionView;
  PartnerTerms: PartnerTerms;
  PointsFlow: PointsFlowRow;
  Query: Record<PropertyKey, never>;
  Reconciliation: ReconciliationView;
  ReconciliationLine: ReconciliationLine;
  ReconciliationMoney: ReconciliationMoney;
  RegisterPartnerInput: RegisterPartnerInput;
  SetPartnerContractInput: SetPartnerContractInput;
  SettlementPeriod: PeriodRow;
  SettlementStatement: StatementRow;
  SettlementStatementLine: StatementLineRow;
  Subscription: Record<PropertyKey, never>;
  SuppressibleMemberCount: SuppressibleMemberCount;
  SuppressiblePoints: SuppressiblePoints;
  UpdateWebhookEndpointInput: UpdateWebhookEndpointInput;
  VerifiedPartnerKey: VerifiedPartnerKey;
  WebhookDelivery: DeliveryRow;
  WebhookDeliveryConnection: Omit<WebhookDeliveryConnection, 'edges'> & { edges: Array<ResolversParentTypes['WebhookDeliveryEdge']> };
  WebhookDeliveryEdge: Omit<WebhookDeliveryEdge, 'node'> & { node: ResolversParentTypes['WebhookDelivery'] };
  WebhookEndpoint: WebhookEndpointRow;
  Int: Scalars['Int']['output'];
  String: Scalars['String']['output'];
};

export type CacheControlDirectiveArgs = {
  maxAge?: Maybe<Scalars['Int']['input']>;
};

export type CacheControlDirectiveResolver<Result, Parent, ContextType = SettlementContext, Args = CacheControlDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type ScopesDirectiveArgs = {
  anyOf: Array<Scalars['String']['input']>;
};

export type ScopesDirectiveResolver<Result, Parent, ContextType = SettlementContext, Args = ScopesDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AnalyticsMeasuresResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['AnalyticsMeasures'] = ResolversParentTypes['AnalyticsMeasures']> = {
  activeMembers?: Resolver<ResolversTypes['SuppressibleMemberCount'], ParentType, ContextType>;
  pointsEarned?: Resolver<ResolversTypes['SuppressiblePoints'], ParentType, ContextType>;
  pointsRedeemed?: Resolver<ResolversTypes['SuppressiblePoints'], ParentType, ContextType>;
};

export type AuditEntryResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['AuditEntry'] = ResolversParentTypes['AuditEntry']> = {
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  details?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  service?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  target?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type AuditEntryConnectionResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['AuditEntryConnection'] = ResolversParentTypes['AuditEntryConnection']> = {
  edges?: Resolver<Array<ResolversTypes['AuditEntryEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type AuditEntryEdgeResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['AuditEntryEdge'] = ResolversParentTypes['AuditEntryEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['AuditEntry'], ParentType, ContextType>;
};

export type CategoryAnalyticsResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['CategoryAnalytics'] = ResolversParentTypes['CategoryAnalytics']> = {
  activeMembers?: Resolver<ResolversTypes['SuppressibleMemberCount'], ParentType, ContextType>;
  category?: Resolver<ResolversTypes['PartnerCategory'], ParentType, ContextType>;
  pointsEarned?: Resolver<ResolversTypes['SuppressiblePoints'], ParentType, ContextType>;
  pointsRedeemed?: Resolver<ResolversTypes['SuppressiblePoints'], ParentType, ContextType>;
};

export type CoalitionAnalyticsResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['CoalitionAnalytics'] = ResolversParentTypes['CoalitionAnalytics']> = {
  categories?: Resolver<Array<ResolversTypes['CategoryAnalytics']>, ParentType, ContextType>;
  crossShopping?: Resolver<Array<ResolversTypes['CrossShoppingCell']>, ParentType, ContextType>;
  minimumGroupSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  period?: Resolver<ResolversTypes['SettlementPeriod'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['AnalyticsMeasures'], ParentType, ContextType>;
};

export type CoalitionBooksResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['CoalitionBooks'] = ResolversParentTypes['CoalitionBooks']> = {
  asOfEventPosition?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  balanced?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  bonusPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  bonusReversedPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  breakagePoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  clawbackDebtPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  closingFloatPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  debitedPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  differencePoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  grantedPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  grantedPointsRedeemed?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  issuedPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  ledgerFloatPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  openingFloatPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  period?: Resolver<ResolversTypes['SettlementPeriod'], ParentType, ContextType>;
  redeemedPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  reversedPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
};

export type CreatedPartnerApiKeyResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['CreatedPartnerApiKey'] = ResolversParentTypes['CreatedPartnerApiKey']> = {
  key?: Resolver<ResolversTypes['PartnerApiKey'], ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CreatedWebhookEndpointResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['CreatedWebhookEndpoint'] = ResolversParentTypes['CreatedWebhookEndpoint']> = {
  endpoint?: Resolver<ResolversTypes['WebhookEndpoint'], ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CrossShoppingCellResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['CrossShoppingCell'] = ResolversParentTypes['CrossShoppingCell']> = {
  categories?: Resolver<Array<ResolversTypes['PartnerCategory']>, ParentType, ContextType>;
  members?: Resolver<ResolversTypes['SuppressibleMemberCount'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface LongScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Long'], any> {
  name: 'Long';
}

export type MutationResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  closeSettlementPeriod?: Resolver<ResolversTypes['SettlementPeriod'], ParentType, ContextType, RequireFields<MutationCloseSettlementPeriodArgs, 'periodId'>>;
  createPartnerApiKey?: Resolver<ResolversTypes['CreatedPartnerApiKey'], ParentType, ContextType, RequireFields<MutationCreatePartnerApiKeyArgs, 'label' | 'partnerId' | 'scopes'>>;
  createWebhookEndpoint?: Resolver<ResolversTypes['CreatedWebhookEndpoint'], ParentType, ContextType, RequireFields<MutationCreateWebhookEndpointArgs, 'input'>>;
  registerPartner?: Resolver<ResolversTypes['Partner'], ParentType, ContextType, RequireFields<MutationRegisterPartnerArgs, 'input'>>;
  replayWebhookDeliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType, RequireFields<MutationReplayWebhookDeliveriesArgs, 'endpointId' | 'from' | 'to'>>;
  replayWebhookDelivery?: Resolver<ResolversTypes['WebhookDelivery'], ParentType, ContextType, RequireFields<MutationReplayWebhookDeliveryArgs, 'id'>>;
  revokePartnerApiKey?: Resolver<ResolversTypes['PartnerApiKey'], ParentType, ContextType, RequireFields<MutationRevokePartnerApiKeyArgs, 'keyId'>>;
  rotateWebhookSecret?: Resolver<ResolversTypes['CreatedWebhookEndpoint'], ParentType, ContextType, RequireFields<MutationRotateWebhookSecretArgs, 'id'>>;
  sendTestWebhook?: Resolver<ResolversTypes['WebhookDelivery'], ParentType, ContextType, RequireFields<MutationSendTestWebhookArgs, 'endpointId'>>;
  setPartnerContract?: Resolver<ResolversTypes['PartnerContract'], ParentType, ContextType, RequireFields<MutationSetPartnerContractArgs, 'input'>>;
  setPartnerStatus?: Resolver<ResolversTypes['Partner'], ParentType, ContextType, RequireFields<MutationSetPartnerStatusArgs, 'partnerId' | 'status'>>;
  updateWebhookEndpoint?: Resolver<ResolversTypes['WebhookEndpoint'], ParentType, ContextType, RequireFields<MutationUpdateWebhookEndpointArgs, 'id' | 'input'>>;
};

export type PageInfoResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PartnerResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['Partner'] = ResolversParentTypes['Partner'], FederationReferenceType extends FederationReferenceTypes['Partner'] = FederationReferenceTypes['Partner']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Partner']> | FederationReferenceType, FederationReferenceType, ContextType>;
  apiKeys?: Resolver<Array<ResolversTypes['PartnerApiKey']>, ParentType, ContextType>;
  category?: Resolver<ResolversTypes['PartnerCategory'], ParentType, ContextType>;
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  contract?: Resolver<ResolversTypes['PartnerContract'], ParentType, ContextType>;
  contracts?: Resolver<Array<ResolversTypes['PartnerContract']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['PartnerPosition'], ParentType, ContextType>;
  programName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  statements?: Resolver<Array<ResolversTypes['SettlementStatement']>, ParentType, ContextType, RequireFields<PartnerStatementsArgs, 'first'>>;
  status?: Resolver<ResolversTypes['PartnerStatus'], ParentType, ContextType>;
  webhookEndpoints?: Resolver<Array<ResolversTypes['WebhookEndpoint']>, ParentType, ContextType>;
};

export type PartnerApiKeyResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['PartnerApiKey'] = ResolversParentTypes['PartnerApiKey']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['ApiKeyScope']>, ParentType, ContextType>;
};

export type PartnerContractResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['PartnerContract'] = ResolversParentTypes['PartnerContract']> = {
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  earnRateMilliPointsPerUnit?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  effectiveFrom?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  issuePriceMicrosPerPoint?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  redemptionValueMicrosPerPoint?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PartnerPositionResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['PartnerPosition'] = ResolversParentTypes['PartnerPosition']> = {
  bonusAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  bonusReversedAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  direction?: Resolver<ResolversTypes['SettlementDirection'], ParentType, ContextType>;
  issuedAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  lastEventPosition?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  lateEvents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  netAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  period?: Resolver<ResolversTypes['SettlementPeriod'], ParentType, ContextType>;
  pointsBonus?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  pointsBonusReversed?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
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
  issuePriceMicrosPerPoint?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  partnerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  redemptionValueMicrosPerPoint?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  termsUntil?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type PointsFlowResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['PointsFlow'] = ResolversParentTypes['PointsFlow']> = {
  issuer?: Resolver<Maybe<ResolversTypes['Partner']>, ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  redeemer?: Resolver<ResolversTypes['Partner'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  auditLog?: Resolver<ResolversTypes['AuditEntryConnection'], ParentType, ContextType, RequireFields<QueryAuditLogArgs, 'first'>>;
  coalitionAnalytics?: Resolver<ResolversTypes['CoalitionAnalytics'], ParentType, ContextType, RequireFields<QueryCoalitionAnalyticsArgs, 'periodId'>>;
  coalitionBooks?: Resolver<ResolversTypes['CoalitionBooks'], ParentType, ContextType, RequireFields<QueryCoalitionBooksArgs, 'periodId'>>;
  coalitionWebhookEndpoints?: Resolver<Array<ResolversTypes['WebhookEndpoint']>, ParentType, ContextType>;
  partner?: Resolver<ResolversTypes['Partner'], ParentType, ContextType, RequireFields<QueryPartnerArgs, 'id'>>;
  partnerTerms?: Resolver<ResolversTypes['PartnerTerms'], ParentType, ContextType, RequireFields<QueryPartnerTermsArgs, 'partnerId'>>;
  partners?: Resolver<Array<ResolversTypes['Partner']>, ParentType, ContextType>;
  pointsFlows?: Resolver<Array<ResolversTypes['PointsFlow']>, ParentType, ContextType, RequireFields<QueryPointsFlowsArgs, 'periodId'>>;
  reconciliation?: Resolver<ResolversTypes['Reconciliation'], ParentType, ContextType, RequireFields<QueryReconciliationArgs, 'periodId'>>;
  settlementPeriods?: Resolver<Array<ResolversTypes['SettlementPeriod']>, ParentType, ContextType, RequireFields<QuerySettlementPeriodsArgs, 'first'>>;
  settlementStatement?: Resolver<ResolversTypes['SettlementStatement'], ParentType, ContextType, RequireFields<QuerySettlementStatementArgs, 'id'>>;
  verifyPartnerApiKey?: Resolver<Maybe<ResolversTypes['VerifiedPartnerKey']>, ParentType, ContextType, RequireFields<QueryVerifyPartnerApiKeyArgs, 'secret'>>;
  webhookEndpoint?: Resolver<ResolversTypes['WebhookEndpoint'], ParentType, ContextType, RequireFields<QueryWebhookEndpointArgs, 'id'>>;
};

export type ReconciliationResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['Reconciliation'] = ResolversParentTypes['Reconciliation']> = {
  asOfEventPosition?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  balanced?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  breakagePoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  coalitionMarginMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  issuedLessReversedMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['ReconciliationLine']>, ParentType, ContextType>;
  money?: Resolver<Array<ResolversTypes['ReconciliationMoney']>, ParentType, ContextType>;
  partnerNetsMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  period?: Resolver<ResolversTypes['SettlementPeriod'], ParentType, ContextType>;
  redeemedMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
};

export type ReconciliationLineResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['ReconciliationLine'] = ResolversParentTypes['ReconciliationLine']> = {
  differencePoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ledgerPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  settlementPoints?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
};

export type ReconciliationMoneyResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['ReconciliationMoney'] = ResolversParentTypes['ReconciliationMoney']> = {
  bonusLessReversedMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  coalitionMarginMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  issuedLessReversedMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  partnerNetsMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  redeemedMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
};

export type SettlementPeriodResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['SettlementPeriod'] = ResolversParentTypes['SettlementPeriod']> = {
  closedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  endsAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  startsAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PeriodStatus'], ParentType, ContextType>;
};

export type SettlementStatementResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['SettlementStatement'] = ResolversParentTypes['SettlementStatement']> = {
  bonusAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  bonusReversedAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  contracts?: Resolver<Array<ResolversTypes['PartnerContract']>, ParentType, ContextType>;
  csv?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  direction?: Resolver<ResolversTypes['SettlementDirection'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  issuedAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  json?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lateEvents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lines?: Resolver<Array<ResolversTypes['SettlementStatementLine']>, ParentType, ContextType>;
  netAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  partner?: Resolver<ResolversTypes['Partner'], ParentType, ContextType>;
  period?: Resolver<ResolversTypes['SettlementPeriod'], ParentType, ContextType>;
  pointsBonus?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  pointsBonusReversed?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  pointsIssued?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  pointsRedeemed?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  pointsReversed?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  redeemedAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  reversedAmountMinor?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
};

export type SettlementStatementLineResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['SettlementStatementLine'] = ResolversParentTypes['SettlementStatementLine']> = {
  amountMicros?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  contract?: Resolver<ResolversTypes['PartnerContract'], ParentType, ContextType>;
  eventCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['StatementLineKind'], ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Long'], ParentType, ContextType>;
  priceMicrosPerPoint?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  partnerPositionChanged?: SubscriptionResolver<ResolversTypes['PartnerPosition'], "partnerPositionChanged", ParentType, ContextType, RequireFields<SubscriptionPartnerPositionChangedArgs, 'partnerId'>>;
};

export type SuppressibleMemberCountResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['SuppressibleMemberCount'] = ResolversParentTypes['SuppressibleMemberCount']> = {
  members?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  suppressed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type SuppressiblePointsResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['SuppressiblePoints'] = ResolversParentTypes['SuppressiblePoints']> = {
  points?: Resolver<Maybe<ResolversTypes['Long']>, ParentType, ContextType>;
  suppressed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type VerifiedPartnerKeyResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['VerifiedPartnerKey'] = ResolversParentTypes['VerifiedPartnerKey']> = {
  partnerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['ApiKeyScope']>, ParentType, ContextType>;
};

export type WebhookDeliveryResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['WebhookDelivery'] = ResolversParentTypes['WebhookDelivery']> = {
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  deliveredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  eventType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastAttemptAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastLatencyMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  lastStatusCode?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  memberId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  nextAttemptAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WebhookDeliveryStatus'], ParentType, ContextType>;
};

export type WebhookDeliveryConnectionResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['WebhookDeliveryConnection'] = ResolversParentTypes['WebhookDeliveryConnection']> = {
  edges?: Resolver<Array<ResolversTypes['WebhookDeliveryEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type WebhookDeliveryEdgeResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['WebhookDeliveryEdge'] = ResolversParentTypes['WebhookDeliveryEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['WebhookDelivery'], ParentType, ContextType>;
};

export type WebhookEndpointResolvers<ContextType = SettlementContext, ParentType extends ResolversParentTypes['WebhookEndpoint'] = ResolversParentTypes['WebhookEndpoint']> = {
  consecutiveFailures?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  deliveries?: Resolver<ResolversTypes['WebhookDeliveryConnection'], ParentType, ContextType, RequireFields<WebhookEndpointDeliveriesArgs, 'first'>>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  disabledReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  eventTypes?: Resolver<Array<ResolversTypes['WebhookEventType']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  partner?: Resolver<Maybe<ResolversTypes['Partner']>, ParentType, ContextType>;
  previousSecretExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  secretRotatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WebhookEndpointStatus'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = SettlementContext> = {
  AnalyticsMeasures?: AnalyticsMeasuresResolvers<ContextType>;
  AuditEntry?: AuditEntryResolvers<ContextType>;
  AuditEntryConnection?: AuditEntryConnectionResolvers<ContextType>;
  AuditEntryEdge?: AuditEntryEdgeResolvers<ContextType>;
  CategoryAnalytics?: CategoryAnalyticsResolvers<ContextType>;
  CoalitionAnalytics?: CoalitionAnalyticsResolvers<ContextType>;
  CoalitionBooks?: CoalitionBooksResolvers<ContextType>;
  CreatedPartnerApiKey?: CreatedPartnerApiKeyResolvers<ContextType>;
  CreatedWebhookEndpoint?: CreatedWebhookEndpointResolvers<ContextType>;
  CrossShoppingCell?: CrossShoppingCellResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Long?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Partner?: PartnerResolvers<ContextType>;
  PartnerApiKey?: PartnerApiKeyResolvers<ContextType>;
  PartnerContract?: PartnerContractResolvers<ContextType>;
  PartnerPosition?: PartnerPositionResolvers<ContextType>;
  PartnerTerms?: PartnerTermsResolvers<ContextType>;
  PointsFlow?: PointsFlowResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Reconciliation?: ReconciliationResolvers<ContextType>;
  ReconciliationLine?: ReconciliationLineResolvers<ContextType>;
  ReconciliationMoney?: ReconciliationMoneyResolvers<ContextType>;
  SettlementPeriod?: SettlementPeriodResolvers<ContextType>;
  SettlementStatement?: SettlementStatementResolvers<ContextType>;
  SettlementStatementLine?: SettlementStatementLineResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  SuppressibleMemberCount?: SuppressibleMemberCountResolvers<ContextType>;
  SuppressiblePoints?: SuppressiblePointsResolvers<ContextType>;
  VerifiedPartnerKey?: VerifiedPartnerKeyResolvers<ContextType>;
  WebhookDelivery?: WebhookDeliveryResolvers<ContextType>;
  WebhookDeliveryConnection?: WebhookDeliveryConnectionResolvers<ContextType>;
  WebhookDeliveryEdge?: WebhookDeliveryEdgeResolvers<ContextType>;
  WebhookEndpoint?: WebhookEndpointResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = SettlementContext> = {
  cacheControl?: CacheControlDirectiveResolver<any, any, ContextType>;
  scopes?: ScopesDirectiveResolver<any, any, ContextType>;
};
