import type { DataSource, EntityManager } from 'typeorm';
import { badInput } from '../../shared/errors';
import { idempotentTransaction, type IdempotentRequest } from '../../shared/idempotency';
import type { CampaignReach } from './campaignReach';
import type { CheckoutConfig } from './checkout';
import type { LookupConfig } from './identifiers';
import type { PinConfig } from './pins';

/**
 * The members domain core, common part: what every ledger operation shares (its dependencies,
 * settings, limits, input checks and transaction wrappers). The operations live by topic beside
 * it: enrollment.ts, earning.ts, reservations.ts, spending.ts, maintenance.ts and feed.ts, each
 * over the posting kernel (postings.ts). Plain functions over a transaction, no GraphQL: each
 * operation checks its caller (shared/access.ts) and input, then runs in one transaction under an
 * idempotency key, members locked first, then the postings, events and tier in the same commit.
 * LEDGER.md is the reader's guide.
 */

export const MAX_PURCHASE_AMOUNT_MINOR = 100_000_000;
/** A day in milliseconds, for windows and lifetimes counted in days. */
export const DAY_MS = 24 * 3600 * 1000;
export const MAX_REFERENCE_LENGTH = 200;
export const MAX_REASON_LENGTH = 500;
/**
 * Most points one request may move (an earn, a gift, a burn, a hold, an adjustment). It does not
 * bound a member's figures, which add up over many transfers: MAX_MEMBER_POINTS does.
 */
export const MAX_POINTS_PER_TRANSFER = 10_000_000;
/**
 * Most points a member's figures may reach, each: the points it holds (its lots, pending and
 * reserved points together), its clawback debt, and the points it has earned (posted or pending,
 * less refunds). The graph answers balances, lifetime earned and qualifying points as GraphQL
 * `Int` (32 bits), and every posting answers with them, so the posting kernel (postings.ts)
 * refuses, before its transaction commits, a posting that would take a figure past this
 * (LIMIT_EXCEEDED): no write may commit and then fail to answer. LEDGER.md, "Limits and settings".
 */
export const MAX_MEMBER_POINTS = 2_147_483_647;

export interface LedgerConfig {
  /** How long earned points live before expiring into breakage. */
  pointsLifetimeMonths: number;
  /** Points a member may give other members per UTC day. */
  transferDailyLimitPoints: number;
  /** A reservation not posted or voided within this time is released by maintenance. */
  reservationTimeoutMs: number;
  /** How old a purchase may be when its missing points are claimed (claims.ts). */
  claimWindowDays: number;
}

export const DEFAULT_LEDGER_CONFIG: LedgerConfig = {
  pointsLifetimeMonths: 36,
  transferDailyLimitPoints: 10_000,
  reservationTimeoutMs: 15 * 60 * 1000,
  claimWindowDays: 14,
};

export interface PartnerTerms {
  partnerId: string;
  active: boolean;
  earnRateMilliPointsPerUnit: number;
  redemptionValueMicrosPerPoint: number;
  /** What the partner pays per point it issues or funds as a bonus; null with no contract in force. */
  issuePriceMicrosPerPoint: number | null;
  currency: string;
}

/** What the ledger needs to know about partners; settlement owns them and answers over an internal call. */
export interface PartnerDirectory {
  partnerTerms(partnerId: string): Promise<PartnerTerms>;
}

export interface LedgerDeps {
  dataSource: DataSource;
  partners: PartnerDirectory;
  config: LedgerConfig;
  /** Checkout tokens' lifetime and the failed-attempt limit (checkout.ts). */
  checkout: CheckoutConfig;
  /** The wrong-PIN limit per member (pins.ts). */
  pins: PinConfig;
  /** Each partner's budget of member lookups (identifiers.ts). */
  lookups: LookupConfig;
  /** Called after a commit that appended outbox events. */
  onEventsAppended(): void;
  /** Resolves once every event committed before the call is published (numbered in the feed). */
  publishEvents(): Promise<void>;
  /** Which partners' purchases campaigns may reach (campaignReach.ts): an earn elsewhere skips their read. */
  campaignReach: CampaignReach;
}

// ---------------------------------------------------------------------------------------------
// Input checks: bad input fails before anything is written.

export function checkPoints(points: number, field = 'points'): void {
  if (!Number.isSafeInteger(points) || points < 1 || points > MAX_POINTS_PER_TRANSFER) {
    throw badInput(`${field} must be a whole number from 1 to ${MAX_POINTS_PER_TRANSFER}`);
  }
}

/** A purchase's amount in minor units: a whole number from 1 to MAX_PURCHASE_AMOUNT_MINOR (earns, claims, recorded purchases). */
export function checkPurchaseAmount(amountMinor: number): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 1 || amountMinor > MAX_PURCHASE_AMOUNT_MINOR) {
    throw badInput(`purchaseAmountMinor must be a whole number from 1 to ${MAX_PURCHASE_AMOUNT_MINOR}`);
  }
  return amountMinor;
}

export function checkInstant(value: Date | string, field: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw badInput(`${field} is not a valid instant`);
  return at;
}

/**
 * Checked inside the idempotent work, not before it: a retry of a request that was applied must
 * get its first result even when the instant has passed since.
 */
export function checkFuture(at: Date, field: string, maxAheadMs: number): void {
  const now = Date.now();
  if (at.getTime() <= now) throw badInput(`${field} must be in the future`);
  if (at.getTime() > now + maxAheadMs) throw badInput(`${field} is too far ahead`);
}

/** When points credited now expire: the coalition's points lifetime from now. */
export function lotExpiry(config: LedgerConfig, from = new Date()): Date {
  const result = new Date(from);
  result.setUTCMonth(result.getUTCMonth() + config.pointsLifetimeMonths);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Transactions

/** Runs `work` in a transaction and tells the relay afterwards: every write appends events. */
export async function write<T>(deps: LedgerDeps, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const result = await deps.dataSource.transaction(work);
  deps.onEventsAppended();
  return result;
}

/** `write` under an idempotency key (shared/idempotency.ts). */
export async function writeIdempotent<T>(
  deps: LedgerDeps,
  request: IdempotentRequest,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const result = await idempotentTransaction(deps.dataSource, request, work);
  deps.onEventsAppended();
  return result;
}
