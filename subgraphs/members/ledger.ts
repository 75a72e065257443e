import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { assertInvariant, badInput, DomainError, forbidden, notFound, unauthenticated } from '../../shared/errors';
import { actingPartner } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { idempotentTransaction, type IdempotentRequest } from '../../shared/idempotency';
import { callerActor, type Caller } from '../../shared/identity';
import { currencyExponent, pointsToMinor } from '../../shared/money';
import { eventsAfter, type PublishedEvent } from '../../shared/outbox';
import { checkId, checkText } from '../../shared/validation';
import { ReservationRow, type MemberRow } from './entities';
import {
  addDebt,
  addLot,
  adjustmentAccount,
  breakageAccount,
  issuanceAccount,
  lockMember,
  lockMembers,
  memberAccount,
  move,
  originsOf,
  pendingAccount,
  qualifyingPoints,
  recordBalanceChange,
  redemptionAccount,
  refreshTier,
  reservedAccount,
  returnToLots,
  takeFromLots,
} from './postings';
import { TIERS, tierFor, tierRule, type TierLevel } from './tiers';

/**
 * The members domain core: enrollment and the points ledger's operations. Plain functions over a
 * transaction, no GraphQL. Each operation checks its caller and input, then runs in one
 * transaction under an idempotency key: members locked first, then the postings (postings.ts),
 * events and tier in the same commit. LEDGER.md is the reader's guide.
 */

export const MAX_PURCHASE_AMOUNT_MINOR = 100_000_000;
export const MAX_REFERENCE_LENGTH = 200;
export const MAX_REASON_LENGTH = 500;
export const MAX_DISPLAY_NAME_LENGTH = 100;
export const MAX_EMAIL_LENGTH = 254;
/** No single transfer moves more than this; it also keeps balances inside GraphQL's Int. */
export const MAX_POINTS_PER_TRANSFER = 10_000_000;
export const MAX_PENDING_HOLD_MS = 366 * 24 * 3600 * 1000;
export const MAX_ADJUSTMENT_LIFETIME_MS = 10 * 366 * 24 * 3600 * 1000;
export const MAX_EVENTS_PER_READ = 1000;
/** Work done per maintenance pass of each kind; the timer comes back for the rest. */
export const MAINTENANCE_BATCH_SIZE = 200;

export interface LedgerConfig {
  /** How long earned points live before expiring into breakage. */
  pointsLifetimeMonths: number;
  /** Points a member may give other members per UTC day. */
  transferDailyLimitPoints: number;
  /** A reservation not posted or voided within this time is released by maintenance. */
  reservationTimeoutMs: number;
}

export const DEFAULT_LEDGER_CONFIG: LedgerConfig = {
  pointsLifetimeMonths: 36,
  transferDailyLimitPoints: 10_000,
  reservationTimeoutMs: 15 * 60 * 1000,
};

export interface PartnerTerms {
  partnerId: string;
  active: boolean;
  earnRateMilliPointsPerUnit: number;
  redemptionValueMicrosPerPoint: number;
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
  /** Called after a commit that appended outbox events. */
  onEventsAppended(): void;
}

// ---------------------------------------------------------------------------------------------
// Access: who may do what (DESIGN.md, "Callers").

/** Writes on an existing earn: by the partner where it was earned, or the operator. */
function checkCanSettleEarn(caller: Caller, earnPartnerId: string, action: string): void {
  if (caller.kind === 'operator' || (caller.kind === 'partner' && caller.partnerId === earnPartnerId)) return;
  if (caller.kind === 'anonymous') throw unauthenticated(`Sign in as the partner to ${action}`);
  throw forbidden(`Only the partner where the points were earned and the operator may ${action}`);
}

function requireOperator(caller: Caller, action: string): void {
  if (caller.kind === 'operator') return;
  if (caller.kind === 'anonymous') throw unauthenticated(`Sign in as the operator to ${action}`);
  throw forbidden(`Only the operator may ${action}`);
}

function requireService(caller: Caller, operation: string): string {
  if (caller.kind !== 'service') throw forbidden(`${operation} is internal to the coalition services`);
  return caller.service;
}

// ---------------------------------------------------------------------------------------------
// Input checks: bad input fails before anything is written.

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkPoints(points: number, field = 'points'): void {
  if (!Number.isSafeInteger(points) || points < 1 || points > MAX_POINTS_PER_TRANSFER) {
    throw badInput(`${field} must be a whole number from 1 to ${MAX_POINTS_PER_TRANSFER}`);
  }
}

function checkInstant(value: Date | string, field: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw badInput(`${field} is not a valid instant`);
  return at;
}

/**
 * Checked inside the idempotent work, not before it: a retry of a request that was applied must
 * get its first result even when the instant has passed since.
 */
function checkFuture(at: Date, field: string, maxAheadMs: number): void {
  const now = Date.now();
  if (at.getTime() <= now) throw badInput(`${field} must be in the future`);
  if (at.getTime() > now + maxAheadMs) throw badInput(`${field} is too far ahead`);
}

function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** Runs `work` in a transaction and tells the relay afterwards: every write appends events. */
async function write<T>(deps: LedgerDeps, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const result = await deps.dataSource.transaction(work);
  deps.onEventsAppended();
  return result;
}

/** `write` under an idempotency key (shared/idempotency.ts). */
async function writeIdempotent<T>(deps: LedgerDeps, request: IdempotentRequest, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const result = await idempotentTransaction(deps.dataSource, request, work);
  deps.onEventsAppended();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Enrollment

export interface EnrollInput {
  displayName: string;
  email: string;
  partnerId?: string | null;
  idempotencyKey: string;
}

export async function enrollMember(deps: LedgerDeps, caller: Caller, input: EnrollInput): Promise<string> {
  const partnerId = actingPartner(caller, input.partnerId, 'enroll members');
  const displayName = checkText(input.displayName, 'displayName', MAX_DISPLAY_NAME_LENGTH);
  const email = checkText(input.email, 'email', MAX_EMAIL_LENGTH);
  if (!EMAIL_PATTERN.test(email)) throw badInput(`"${email}" is not an email address`);
  const terms = await deps.partners.partnerTerms(partnerId);
  if (!terms.active) throw forbidden('The partner is suspended and cannot enroll members');

  const { memberId } = await idempotentTransaction(
    deps.dataSource,
    { scope: `enrollMember:${partnerId}`, key: input.idempotencyKey, request: { displayName, email, partnerId } },
    async (manager) => {
      const memberId = randomUUID();
      const inserted: unknown[] = await manager.query(
        `INSERT INTO members (id, display_name, email, enrolled_via_partner_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [memberId, displayName, email, partnerId],
      );
      if (inserted.length === 0) throw badInput(`A member with email ${email} is already enrolled`);
      await auditOperatorAction(manager, caller, 'enrollMember', memberId, { partnerId });
      return { memberId };
    },
  );
  return memberId;
}

// ---------------------------------------------------------------------------------------------
// Earning

export interface EarnInput {
  memberId: string;
  partnerId?: string | null;
  purchaseAmountMinor: number;
  currency: string;
  reference: string;
  pendingUntil?: Date | string | null;
  idempotencyKey: string;
}

/**
 * Points for a purchase: amount x earn rate x tier multiplier, rounded down to a whole point
 * (a member never gets a point the partner did not pay for). Pure integer arithmetic.
 */
export function pointsForPurchase(
  purchaseAmountMinor: number,
  earnRateMilliPointsPerUnit: number,
  earnMultiplierPermille: number,
  currency: string,
): number {
  const minorPerUnit = 10n ** BigInt(currencyExponent(currency));
  const points =
    (BigInt(purchaseAmountMinor) * BigInt(earnRateMilliPointsPerUnit) * BigInt(earnMultiplierPermille)) / (1000n * 1000n * minorPerUnit);
  return Number(points);
}

interface EarnRow {
  transfer_id: string;
  member_id: string;
  partner_id: string;
  points: number;
  purchase_amount_minor: number;
  refunded_amount_minor: number;
  reversed_points: number;
  status: 'PENDING' | 'POSTED' | 'VOIDED';
  lot_id: string | null;
  settle_transfer_id: string | null;
}

export async function earnPoints(deps: LedgerDeps, caller: Caller, input: EarnInput): Promise<string> {
  const partnerId = actingPartner(caller, input.partnerId, 'post purchases');
  const memberId = checkId(input.memberId, 'memberId');
  if (
    !Number.isSafeInteger(input.purchaseAmountMinor) ||
    input.purchaseAmountMinor < 1 ||
    input.purchaseAmountMinor > MAX_PURCHASE_AMOUNT_MINOR
  ) {
    throw badInput(`purchaseAmountMinor must be a whole number from 1 to ${MAX_PURCHASE_AMOUNT_MINOR}`);
  }
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE_LENGTH);
  const pendingUntil = input.pendingUntil ? checkInstant(input.pendingUntil, 'pendingUntil') : null;
  const terms = await deps.partners.partnerTerms(partnerId);
  if (!terms.active) throw forbidden('The partner is suspended and cannot post purchases');
  if (input.currency !== terms.currency) {
    throw badInput(`The partner's contract is in ${terms.currency}; the purchase is in ${input.currency}`);
  }

  const request = {
    memberId,
    partnerId,
    purchaseAmountMinor: input.purchaseAmountMinor,
    currency: input.currency,
    reference,
    pendingUntil: pendingUntil?.toISOString() ?? null,
  };
  const { transferId } = await writeIdempotent(
    deps,
    { scope: `earnPoints:${partnerId}`, key: input.idempotencyKey, request },
    async (manager) => {
      if (pendingUntil) checkFuture(pendingUntil, 'pendingUntil', MAX_PENDING_HOLD_MS);
      const member = await lockMember(manager, memberId);
      // The tier held before this purchase sets its multiplier.
      const { earnMultiplierPermille } = tierRule(await refreshTier(manager, member));
      const points = pointsForPurchase(input.purchaseAmountMinor, terms.earnRateMilliPointsPerUnit, earnMultiplierPermille, terms.currency);
      if (points < 1) throw badInput('The purchase is too small to earn a whole point');
      if (points > MAX_POINTS_PER_TRANSFER) throw badInput(`The purchase would earn more than ${MAX_POINTS_PER_TRANSFER} points`);
      const pending = pendingUntil !== null;
      const id = await move(manager, {
        kind: pending ? 'EARN_PENDING' : 'EARN',
        from: issuanceAccount(partnerId),
        to: pending ? pendingAccount(memberId) : memberAccount(memberId),
        points,
        memberId,
        partnerId,
        reference,
        createdBy: callerActor(caller),
      });
      await manager.query(
        `INSERT INTO earns (transfer_id, member_id, partner_id, points, purchase_amount_minor, currency, status, release_at, posted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $7 = 'POSTED' THEN now() END)`,
        [id, memberId, partnerId, points, input.purchaseAmountMinor, terms.currency, pending ? 'PENDING' : 'POSTED', pendingUntil],
      );
      if (pending) {
        await recordBalanceChange(manager, memberId, {
          id,
          kind: 'EARN_PENDING',
          points,
          partnerId,
          availableDelta: 0,
          pendingDelta: points,
          reservedDelta: 0,
        });
      } else {
        await postEarnLot(deps, manager, member, id, id, points);
        await recordBalanceChange(manager, memberId, {
          id,
          kind: 'EARN',
          points,
          partnerId,
          availableDelta: points,
          pendingDelta: 0,
          reservedDelta: 0,
        });
        await refreshTier(manager, member);
      }
      await auditOperatorAction(manager, caller, 'earnPoints', id, { memberId, partnerId, points, pending });
      return { transferId: id };
    },
  );
  return transferId;
}

/** Marks an earn posted and gives it its lot (with the coalition's points lifetime). */
async function postEarnLot(
  deps: LedgerDeps,
  manager: EntityManager,
  member: MemberRow,
  earnId: string,
  creditTransferId: string,
  points: number,
): Promise<void> {
  const [{ partner_id: partnerId }] = (await manager.query('SELECT partner_id FROM earns WHERE transfer_id = $1', [earnId])) as [
    { partner_id: string },
  ];
  const lotId = await addLot(
    manager,
    member.id,
    creditTransferId,
    points,
    addMonths(new Date(), deps.config.pointsLifetimeMonths),
    partnerId,
  );
  await manager.query(`UPDATE earns SET status = 'POSTED', posted_at = now(), lot_id = $2 WHERE transfer_id = $1`, [earnId, lotId]);
}

async function lockEarn(manager: EntityManager, earnId: string): Promise<{ earn: EarnRow; member: MemberRow }> {
  const [found] = (await manager.query('SELECT member_id FROM earns WHERE transfer_id = $1', [earnId])) as { member_id: string }[];
  if (!found) throw notFound(`No earn with id ${earnId}`);
  const member = await lockMember(manager, found.member_id);
  const [earn] = (await manager.query(
    `SELECT transfer_id, member_id, partner_id, points::int AS points, purchase_amount_minor::int AS purchase_amount_minor,
            refunded_amount_minor::int AS refunded_amount_minor, reversed_points::int AS reversed_points, status, lot_id, settle_transfer_id
       FROM earns WHERE transfer_id = $1`,
    [earnId],
  )) as EarnRow[];
  assertInvariant(earn, `earn ${earnId} still exists`);
  return { earn, member };
}

/** Posts a pending earn (confirmation, or its hold ended). The member is locked. */
async function postPending(deps: LedgerDeps, manager: EntityManager, member: MemberRow, earn: EarnRow, createdBy: string): Promise<string> {
  assertInvariant(earn.status === 'PENDING', `earn ${earn.transfer_id} is pending`);
  const id = await move(manager, {
    kind: 'EARN_POST',
    from: pendingAccount(member.id),
    to: memberAccount(member.id),
    points: earn.points,
    memberId: member.id,
    partnerId: earn.partner_id,
    createdBy,
  });
  await manager.query('UPDATE earns SET settle_transfer_id = $2 WHERE transfer_id = $1', [earn.transfer_id, id]);
  await postEarnLot(deps, manager, member, earn.transfer_id, id, earn.points);
  await recordBalanceChange(manager, member.id, {
    id,
    kind: 'EARN_POST',
    points: earn.points,
    partnerId: earn.partner_id,
    availableDelta: earn.points,
    pendingDelta: -earn.points,
    reservedDelta: 0,
  });
  await refreshTier(manager, member);
  return id;
}

export interface SettlePendingInput {
  earnId: string;
  idempotencyKey: string;
}

/** Posts a pending earn now. Confirming a posted earn returns its posting; a voided one is refused. */
export async function confirmPendingEarn(deps: LedgerDeps, caller: Caller, input: SettlePendingInput): Promise<string> {
  const earnId = checkId(input.earnId, 'earnId');
  const { transferId } = await writeIdempotent(
    deps,
    { scope: `confirmPendingEarn:${callerActor(caller)}`, key: input.idempotencyKey, request: { earnId } },
    async (manager) => {
      const { earn, member } = await lockEarn(manager, earnId);
      checkCanSettleEarn(caller, earn.partner_id, 'confirm pending points');
      if (earn.status === 'VOIDED') throw badInput('The pending earn was voided; it cannot be posted');
      if (earn.status === 'POSTED') return { transferId: earn.settle_transfer_id ?? earn.transfer_id };
      const transferId = await postPending(deps, manager, member, earn, callerActor(caller));
      await auditOperatorAction(manager, caller, 'confirmPendingEarn', earnId, { transferId, memberId: member.id, points: earn.points });
      return { transferId };
    },
  );
  return transferId;
}

/** Cancels a pending earn: its points go back to the partner's issuance account. */
export async function voidPendingEarn(deps: LedgerDeps, caller: Caller, input: SettlePendingInput): Promise<string> {
  const earnId = checkId(input.earnId, 'earnId');
  const { transferId } = await writeIdempotent(
    deps,
    { scope: `voidPendingEarn:${callerActor(caller)}`, key: input.idempotencyKey, request: { earnId } },
    async (manager) => {
      const { earn, member } = await lockEarn(manager, earnId);
      checkCanSettleEarn(caller, earn.partner_id, 'void pending points');
      if (earn.status === 'POSTED') throw badInput('The earn was already posted; refund it with reverseEarn instead');
      if (earn.status === 'VOIDED') return { transferId: earn.settle_transfer_id! };
      const id = await move(manager, {
        kind: 'EARN_VOID',
        from: pendingAccount(member.id),
        to: issuanceAccount(earn.partner_id),
        points: earn.points,
        memberId: member.id,
        partnerId: earn.partner_id,
        createdBy: callerActor(caller),
      });
      await manager.query(`UPDATE earns SET status = 'VOIDED', settle_transfer_id = $2 WHERE transfer_id = $1`, [earnId, id]);
      await recordBalanceChange(manager, member.id, {
        id,
        kind: 'EARN_VOID',
        points: earn.points,
        partnerId: earn.partner_id,
        availableDelta: 0,
        pendingDelta: -earn.points,
        reservedDelta: 0,
      });
      await auditOperatorAction(manager, caller, 'voidPendingEarn', earnId, { transferId: id, memberId: member.id, points: earn.points });
      return { transferId: id };
    },
  );
  return transferId;
}

// ---------------------------------------------------------------------------------------------
// Refunds

export interface ReverseInput {
  earnId: string;
  refundAmountMinor?: number | null;
  reference: string;
  idempotencyKey: string;
}

export interface ReversalResult {
  memberId: string;
  pointsReversed: number;
  pointsClawedBack: number;
  transferIds: string[];
}

/**
 * Takes back the points of a refund, in proportion: after refunds totalling R of a purchase P that
 * earned E points, floor(E x R / P) points have been taken back in all (so partial refunds never
 * drift from the whole, and a full refund takes back exactly E). What the member still has is
 * reversed (its own lot first); what it already spent is clawed back, leaving a recorded debt.
 */
export async function reverseEarn(deps: LedgerDeps, caller: Caller, input: ReverseInput): Promise<ReversalResult> {
  const earnId = checkId(input.earnId, 'earnId');
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE_LENGTH);
  if (input.refundAmountMinor !== undefined && input.refundAmountMinor !== null) {
    if (!Number.isSafeInteger(input.refundAmountMinor) || input.refundAmountMinor < 1)
      throw badInput('refundAmountMinor must be a positive whole number');
  }
  const request = { earnId, refundAmountMinor: input.refundAmountMinor ?? null, reference };
  return writeIdempotent(deps, { scope: `reverseEarn:${callerActor(caller)}`, key: input.idempotencyKey, request }, async (manager) => {
    const { earn, member } = await lockEarn(manager, earnId);
    checkCanSettleEarn(caller, earn.partner_id, 'refund purchases');
    if (earn.status === 'PENDING') throw badInput('The earn is still pending; cancel it with voidPendingEarn instead');
    if (earn.status === 'VOIDED') throw badInput('The earn was voided; there is nothing to refund');
    const refundable = earn.purchase_amount_minor - earn.refunded_amount_minor;
    const refund = input.refundAmountMinor ?? refundable;
    if (refund < 1 || refund > refundable)
      throw badInput(`The refund must be between 1 and ${refundable} minor units (what remains of the purchase)`);
    const refundedTotal = earn.refunded_amount_minor + refund;
    const reversedTotal = Number((BigInt(earn.points) * BigInt(refundedTotal)) / BigInt(earn.purchase_amount_minor));
    const toTakeBack = reversedTotal - earn.reversed_points;
    await manager.query('UPDATE earns SET refunded_amount_minor = $2, reversed_points = $3 WHERE transfer_id = $1', [
      earnId,
      refundedTotal,
      reversedTotal,
    ]);

    const [{ available }] = (await manager.query(
      `SELECT balance_points::int AS available FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1`,
      [member.id],
    )) as [{ available: number }];
    const reversed = Math.min(toTakeBack, Math.max(available, 0));
    const clawedBack = toTakeBack - reversed;
    const transferIds: string[] = [];
    const common = { memberId: member.id, partnerId: earn.partner_id, reference, createdBy: callerActor(caller) };
    if (reversed > 0) {
      const id = await move(manager, {
        ...common,
        kind: 'REVERSAL',
        from: memberAccount(member.id),
        to: issuanceAccount(earn.partner_id),
        points: reversed,
      });
      await takeFromLots(manager, member.id, reversed, earn.lot_id);
      await recordBalanceChange(manager, member.id, {
        id,
        kind: 'REVERSAL',
        points: reversed,
        partnerId: earn.partner_id,
        availableDelta: -reversed,
        pendingDelta: 0,
        reservedDelta: 0,
      });
      transferIds.push(id);
    }
    if (clawedBack > 0) {
      const id = await move(manager, {
        ...common,
        kind: 'CLAWBACK',
        from: memberAccount(member.id),
        to: issuanceAccount(earn.partner_id),
        points: clawedBack,
        allowNegative: true,
      });
      await addDebt(manager, member.id, clawedBack);
      await recordBalanceChange(manager, member.id, {
        id,
        kind: 'CLAWBACK',
        points: clawedBack,
        partnerId: earn.partner_id,
        availableDelta: -clawedBack,
        pendingDelta: 0,
        reservedDelta: 0,
      });
      transferIds.push(id);
    }
    await refreshTier(manager, member);
    await auditOperatorAction(manager, caller, 'reverseEarn', earnId, {
      memberId: member.id,
      refundAmountMinor: refund,
      pointsReversed: reversed,
      pointsClawedBack: clawedBack,
      transferIds,
    });
    return { memberId: member.id, pointsReversed: reversed, pointsClawedBack: clawedBack, transferIds };
  });
}

// ---------------------------------------------------------------------------------------------
// Two-phase debits (internal: the rewards subgraph reserves for a redemption, then posts or voids)

export interface ReserveInput {
  memberId: string;
  partnerId: string;
  points: number;
  reference: string;
  timeoutSeconds?: number | null;
  minTier?: TierLevel | null;
  idempotencyKey: string;
}

export const MAX_RESERVATION_TIMEOUT_SECONDS = 3600;

export async function reservePoints(deps: LedgerDeps, caller: Caller, input: ReserveInput): Promise<string> {
  const service = requireService(caller, 'reservePoints');
  const memberId = checkId(input.memberId, 'memberId');
  const partnerId = checkId(input.partnerId, 'partnerId');
  checkPoints(input.points);
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE_LENGTH);
  const timeoutSeconds = input.timeoutSeconds ?? null;
  if (
    timeoutSeconds !== null &&
    (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > MAX_RESERVATION_TIMEOUT_SECONDS)
  ) {
    throw badInput(`timeoutSeconds must be between 1 and ${MAX_RESERVATION_TIMEOUT_SECONDS}`);
  }
  const timeoutMs = timeoutSeconds === null ? deps.config.reservationTimeoutMs : timeoutSeconds * 1000;
  const minTier = input.minTier ?? null;
  const request = { memberId, partnerId, points: input.points, reference, timeoutSeconds, minTier };
  const { reservationId } = await writeIdempotent(
    deps,
    { scope: `reservePoints:${service}`, key: input.idempotencyKey, request },
    async (manager) => {
      const member = await lockMember(manager, memberId);
      if (minTier) {
        const held = await refreshTier(manager, member);
        if (TIERS.findIndex((t) => t.level === held) < TIERS.findIndex((t) => t.level === minTier)) {
          throw forbidden(`This needs tier ${minTier}; the member holds ${held}`);
        }
      }
      const transferId = await move(manager, {
        kind: 'RESERVE',
        from: memberAccount(memberId),
        to: reservedAccount(memberId),
        points: input.points,
        memberId,
        partnerId,
        reference,
        createdBy: callerActor(caller),
      });
      const reservationId = randomUUID();
      await manager.query(
        `INSERT INTO reservations (id, member_id, partner_id, points, reference, status, reserve_transfer_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'RESERVED', $6, $7)`,
        [reservationId, memberId, partnerId, input.points, reference, transferId, new Date(Date.now() + timeoutMs)],
      );
      for (const take of await takeFromLots(manager, memberId, input.points)) {
        await manager.query('INSERT INTO reservation_lots (reservation_id, lot_id, points) VALUES ($1, $2, $3)', [
          reservationId,
          take.lotId,
          take.points,
        ]);
      }
      await recordBalanceChange(manager, memberId, {
        id: transferId,
        kind: 'RESERVE',
        points: input.points,
        partnerId,
        availableDelta: -input.points,
        pendingDelta: 0,
        reservedDelta: input.points,
      });
      return { reservationId };
    },
  );
  return reservationId;
}

async function lockReservation(manager: EntityManager, reservationId: string): Promise<ReservationRow> {
  const found = await manager.getRepository(ReservationRow).findOneBy({ id: reservationId });
  if (!found) throw notFound(`No reservation with id ${reservationId}`);
  await lockMember(manager, found.memberId);
  // Re-read under the member's lock: a concurrent post or void may have settled it meanwhile.
  return manager.getRepository(ReservationRow).findOneByOrFail({ id: reservationId });
}

/** The lots a reservation took its points from, with the partners that issued them. */
async function reservationTakes(
  manager: EntityManager,
  reservationId: string,
): Promise<{ lotId: string; points: number; originPartnerId: string | null }[]> {
  return (await manager.query(
    `SELECT r.lot_id AS "lotId", r.points::int AS points, l.origin_partner_id AS "originPartnerId"
       FROM reservation_lots r JOIN lots l ON l.id = r.lot_id WHERE r.reservation_id = $1`,
    [reservationId],
  )) as { lotId: string; points: number; originPartnerId: string | null }[];
}

/** Spends reserved points. Posting twice is a no-op; a voided reservation is never posted (invariant 5). */
export async function postReservation(deps: LedgerDeps, caller: Caller, reservationIdInput: string): Promise<string> {
  requireService(caller, 'postReservation');
  const reservationId = checkId(reservationIdInput, 'reservationId');
  return write(deps, async (manager) => {
    const reservation = await lockReservation(manager, reservationId);
    if (reservation.status === 'POSTED') return reservation.id;
    if (reservation.status === 'VOIDED') throw badInput('The reservation was voided (released or timed out); it cannot be posted');
    const points = Number(reservation.points);
    const id = await move(manager, {
      kind: 'REDEEM',
      from: reservedAccount(reservation.memberId),
      to: redemptionAccount(reservation.partnerId),
      points,
      memberId: reservation.memberId,
      partnerId: reservation.partnerId,
      reference: reservation.reference,
      createdBy: callerActor(caller),
    });
    await manager.query(`UPDATE reservations SET status = 'POSTED', settle_transfer_id = $2 WHERE id = $1`, [reservation.id, id]);
    const origins = originsOf(await reservationTakes(manager, reservation.id));
    await recordBalanceChange(manager, reservation.memberId, {
      id,
      kind: 'REDEEM',
      points,
      partnerId: reservation.partnerId,
      availableDelta: 0,
      pendingDelta: 0,
      reservedDelta: -points,
      origins,
    });
    return reservation.id;
  });
}

/** Returns reserved points to the member (to the lots they came from). Voiding twice is a no-op. */
export async function voidReservation(deps: LedgerDeps, caller: Caller, reservationIdInput: string): Promise<string> {
  requireService(caller, 'voidReservation');
  const reservationId = checkId(reservationIdInput, 'reservationId');
  return write(deps, (manager) => releaseReservation(manager, reservationId, callerActor(caller)));
}

async function releaseReservation(manager: EntityManager, reservationId: string, createdBy: string): Promise<string> {
  const reservation = await lockReservation(manager, reservationId);
  if (reservation.status === 'VOIDED') return reservation.id;
  if (reservation.status === 'POSTED') throw badInput('The reservation was posted; its points are spent');
  const points = Number(reservation.points);
  const id = await move(manager, {
    kind: 'RELEASE',
    from: reservedAccount(reservation.memberId),
    to: memberAccount(reservation.memberId),
    points,
    memberId: reservation.memberId,
    partnerId: reservation.partnerId,
    reference: reservation.reference,
    createdBy,
  });
  await returnToLots(manager, reservation.memberId, await reservationTakes(manager, reservation.id));
  await manager.query(`UPDATE reservations SET status = 'VOIDED', settle_transfer_id = $2 WHERE id = $1`, [reservation.id, id]);
  await recordBalanceChange(manager, reservation.memberId, {
    id,
    kind: 'RELEASE',
    points,
    partnerId: reservation.partnerId,
    availableDelta: points,
    pendingDelta: 0,
    reservedDelta: -points,
  });
  return reservation.id;
}

/**
 * Gives back the points of a posted reservation (a cancelled redemption): the partner's redemption
 * account returns them to the member, into the lots they were taken from, so they keep their
 * expiry dates. Refunding twice is a no-op; only a posted reservation can be refunded.
 */
export async function refundReservation(deps: LedgerDeps, caller: Caller, reservationIdInput: string): Promise<string> {
  requireService(caller, 'refundReservation');
  const reservationId = checkId(reservationIdInput, 'reservationId');
  return write(deps, async (manager) => {
    const reservation = await lockReservation(manager, reservationId);
    if (reservation.status === 'REFUNDED') return reservation.id;
    if (reservation.status !== 'POSTED') throw badInput(`The reservation is ${reservation.status}; only spent points can be given back`);
    const points = Number(reservation.points);
    const id = await move(manager, {
      kind: 'REDEEM_REFUND',
      from: redemptionAccount(reservation.partnerId),
      to: memberAccount(reservation.memberId),
      points,
      memberId: reservation.memberId,
      partnerId: reservation.partnerId,
      reference: reservation.reference,
      createdBy: callerActor(caller),
    });
    const takes = await reservationTakes(manager, reservation.id);
    await returnToLots(manager, reservation.memberId, takes);
    await manager.query(`UPDATE reservations SET status = 'REFUNDED', refund_transfer_id = $2 WHERE id = $1`, [reservation.id, id]);
    await recordBalanceChange(manager, reservation.memberId, {
      id,
      kind: 'REDEEM_REFUND',
      points,
      partnerId: reservation.partnerId,
      availableDelta: points,
      pendingDelta: 0,
      reservedDelta: 0,
      origins: originsOf(takes),
    });
    return reservation.id;
  });
}

// ---------------------------------------------------------------------------------------------
// Paying with points at a point of sale

export interface BurnInput {
  memberId: string;
  partnerId?: string | null;
  points: number;
  reference: string;
  idempotencyKey: string;
}

/** Spends points at a partner without a catalog reward; resolves with the transfer and its money value. */
export async function burnPoints(
  deps: LedgerDeps,
  caller: Caller,
  input: BurnInput,
): Promise<{ transferId: string; valueMinor: number; currency: string }> {
  const memberId = checkId(input.memberId, 'memberId');
  const partnerId =
    caller.kind === 'member'
      ? (() => {
          if (caller.memberId !== memberId) throw forbidden('A member may spend only its own points');
          if (!input.partnerId) throw badInput('partnerId is required when a member pays with points');
          return checkId(input.partnerId, 'partnerId');
        })()
      : actingPartner(caller, input.partnerId, 'take points at a point of sale');
  checkPoints(input.points);
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE_LENGTH);
  const terms = await deps.partners.partnerTerms(partnerId);
  if (!terms.active) throw forbidden('The partner is suspended and cannot take points');
  const request = { memberId, partnerId, points: input.points, reference };
  return writeIdempotent(deps, { scope: `burnPoints:${callerActor(caller)}`, key: input.idempotencyKey, request }, async (manager) => {
    await lockMember(manager, memberId);
    const id = await move(manager, {
      kind: 'BURN',
      from: memberAccount(memberId),
      to: redemptionAccount(partnerId),
      points: input.points,
      memberId,
      partnerId,
      reference,
      createdBy: callerActor(caller),
    });
    const origins = originsOf(await takeFromLots(manager, memberId, input.points));
    await recordBalanceChange(manager, memberId, {
      id,
      kind: 'BURN',
      points: input.points,
      partnerId,
      availableDelta: -input.points,
      pendingDelta: 0,
      reservedDelta: 0,
      origins,
    });
    const valueMinor = pointsToMinor(BigInt(input.points), BigInt(terms.redemptionValueMicrosPerPoint), terms.currency);
    await auditOperatorAction(manager, caller, 'burnPoints', id, { memberId, partnerId, points: input.points });
    return { transferId: id, valueMinor: Number(valueMinor), currency: terms.currency };
  });
}

// ---------------------------------------------------------------------------------------------
// Member to member

export interface TransferInput {
  fromMemberId: string;
  toMemberId: string;
  points: number;
  idempotencyKey: string;
}

/**
 * Gives points to another member, within the giver's daily limit. The points keep their expiry
 * dates: a gift never extends the life of points.
 */
export async function transferPoints(deps: LedgerDeps, caller: Caller, input: TransferInput): Promise<string> {
  const fromMemberId = checkId(input.fromMemberId, 'fromMemberId');
  const toMemberId = checkId(input.toMemberId, 'toMemberId');
  if (caller.kind === 'anonymous') throw unauthenticated('Sign in as the member to give points');
  if (!(caller.kind === 'operator' || (caller.kind === 'member' && caller.memberId === fromMemberId))) {
    throw forbidden('Only the giving member and the operator may transfer its points');
  }
  if (fromMemberId === toMemberId) throw badInput('A member cannot transfer points to itself');
  checkPoints(input.points);
  const request = { fromMemberId, toMemberId, points: input.points };
  const { transferId } = await writeIdempotent(
    deps,
    { scope: `transferPoints:${fromMemberId}`, key: input.idempotencyKey, request },
    async (manager) => {
      await lockMembers(manager, [fromMemberId, toMemberId]);
      const [{ given }] = (await manager.query(
        `SELECT coalesce(sum(points), 0)::int AS given FROM transfers
          WHERE member_id = $1 AND kind = 'TRANSFER' AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
        [fromMemberId],
      )) as [{ given: number }];
      const limit = deps.config.transferDailyLimitPoints;
      if (given + input.points > limit) {
        throw new DomainError(
          'LIMIT_EXCEEDED',
          `A member may give at most ${limit} points a day; ${Math.max(limit - given, 0)} remain today`,
        );
      }
      const id = await move(manager, {
        kind: 'TRANSFER',
        from: memberAccount(fromMemberId),
        to: memberAccount(toMemberId),
        points: input.points,
        memberId: fromMemberId,
        counterpartyMemberId: toMemberId,
        createdBy: callerActor(caller),
      });
      for (const take of await takeFromLots(manager, fromMemberId, input.points)) {
        await addLot(manager, toMemberId, id, take.points, take.expiresAt, take.originPartnerId);
      }
      await recordBalanceChange(manager, fromMemberId, {
        id,
        kind: 'TRANSFER',
        points: input.points,
        availableDelta: -input.points,
        pendingDelta: 0,
        reservedDelta: 0,
      });
      await recordBalanceChange(manager, toMemberId, {
        id,
        kind: 'TRANSFER',
        points: input.points,
        availableDelta: input.points,
        pendingDelta: 0,
        reservedDelta: 0,
      });
      await auditOperatorAction(manager, caller, 'transferPoints', id, { fromMemberId, toMemberId, points: input.points });
      return { transferId: id };
    },
  );
  return transferId;
}

// ---------------------------------------------------------------------------------------------
// Operator adjustments

export interface AdjustInput {
  memberId: string;
  points: number;
  reason: string;
  expiresAt?: Date | string | null;
  idempotencyKey: string;
}

/** Adds or removes points with a reason; the transfer row records who and why (the audit trail). */
export async function adjustPoints(deps: LedgerDeps, caller: Caller, input: AdjustInput): Promise<string> {
  requireOperator(caller, 'adjust points');
  const memberId = checkId(input.memberId, 'memberId');
  if (!Number.isSafeInteger(input.points) || input.points === 0 || Math.abs(input.points) > MAX_POINTS_PER_TRANSFER) {
    throw badInput(`points must be a non-zero whole number between -${MAX_POINTS_PER_TRANSFER} and ${MAX_POINTS_PER_TRANSFER}`);
  }
  const reason = checkText(input.reason, 'reason', MAX_REASON_LENGTH);
  if (input.expiresAt && input.points < 0) throw badInput('expiresAt applies only to added points');
  const expiresAt = input.expiresAt ? checkInstant(input.expiresAt, 'expiresAt') : null;
  const request = { memberId, points: input.points, reason, expiresAt: expiresAt?.toISOString() ?? null };
  const { transferId } = await writeIdempotent(
    deps,
    { scope: `adjustPoints:${callerActor(caller)}`, key: input.idempotencyKey, request },
    async (manager) => {
      if (expiresAt) checkFuture(expiresAt, 'expiresAt', MAX_ADJUSTMENT_LIFETIME_MS);
      await lockMember(manager, memberId);
      const points = Math.abs(input.points);
      const adding = input.points > 0;
      const id = await move(manager, {
        kind: 'ADJUSTMENT',
        from: adding ? adjustmentAccount : memberAccount(memberId),
        to: adding ? memberAccount(memberId) : adjustmentAccount,
        points,
        memberId,
        reason,
        createdBy: callerActor(caller),
      });
      if (adding) await addLot(manager, memberId, id, points, expiresAt ?? addMonths(new Date(), deps.config.pointsLifetimeMonths), null);
      else await takeFromLots(manager, memberId, points);
      await recordBalanceChange(manager, memberId, {
        id,
        kind: 'ADJUSTMENT',
        points,
        availableDelta: input.points,
        pendingDelta: 0,
        reservedDelta: 0,
      });
      await auditOperatorAction(manager, caller, 'adjustPoints', id, { memberId, points: input.points, reason });
      return { transferId: id };
    },
  );
  return transferId;
}

// ---------------------------------------------------------------------------------------------
// Maintenance: expiry, holds that ended, reservations that timed out

export interface MaintenanceRun {
  lotsExpired: number;
  pointsExpired: number;
  pendingEarnsPosted: number;
  reservationsReleased: number;
}

/**
 * One pass of the ledger's time-driven work. Each item is re-checked under its member's lock, so
 * two passes at once (two replicas, or the timer and the operator) never apply anything twice.
 */
export async function runMaintenance(deps: LedgerDeps, caller: Caller): Promise<MaintenanceRun> {
  if (caller.kind !== 'service') requireOperator(caller, 'run ledger maintenance');
  const run: MaintenanceRun = { lotsExpired: 0, pointsExpired: 0, pendingEarnsPosted: 0, reservationsReleased: 0 };
  const by = caller.kind === 'service' ? 'ledger' : callerActor(caller);

  const due = (await deps.dataSource.query(
    `SELECT DISTINCT member_id FROM lots WHERE points_remaining > 0 AND expires_at <= now() LIMIT $1`,
    [MAINTENANCE_BATCH_SIZE],
  )) as { member_id: string }[];
  for (const { member_id: memberId } of due) {
    const expired = await write(deps, async (manager) => {
      const done = await expireDueLots(manager, memberId, by);
      // An operator's run is audited item by item, each in the transaction that applied it.
      if (done.lots > 0) await auditOperatorAction(manager, caller, 'runLedgerMaintenance', memberId, { step: 'expiry', ...done });
      return done;
    });
    run.lotsExpired += expired.lots;
    run.pointsExpired += expired.points;
  }

  const pending = (await deps.dataSource.query(
    `SELECT transfer_id FROM earns WHERE status = 'PENDING' AND release_at <= now() ORDER BY release_at LIMIT $1`,
    [MAINTENANCE_BATCH_SIZE],
  )) as { transfer_id: string }[];
  for (const { transfer_id: earnId } of pending) {
    const posted = await write(deps, async (manager) => {
      const { earn, member } = await lockEarn(manager, earnId);
      if (earn.status !== 'PENDING') return false;
      const transferId = await postPending(deps, manager, member, earn, by);
      await auditOperatorAction(manager, caller, 'runLedgerMaintenance', earnId, { step: 'postPendingEarn', transferId });
      return true;
    });
    if (posted) run.pendingEarnsPosted += 1;
  }

  const stale = (await deps.dataSource.query(
    `SELECT id FROM reservations WHERE status = 'RESERVED' AND expires_at <= now() ORDER BY expires_at LIMIT $1`,
    [MAINTENANCE_BATCH_SIZE],
  )) as { id: string }[];
  for (const { id } of stale) {
    const released = await write(deps, async (manager) => {
      const reservation = await lockReservation(manager, id);
      if (reservation.status !== 'RESERVED') return false;
      await releaseReservation(manager, id, by);
      await auditOperatorAction(manager, caller, 'runLedgerMaintenance', id, { step: 'releaseReservation' });
      return true;
    });
    if (released) run.reservationsReleased += 1;
  }
  return run;
}

/** Moves what is left of a member's due lots to breakage, as one EXPIRY transfer. */
async function expireDueLots(manager: EntityManager, memberId: string, createdBy: string): Promise<{ lots: number; points: number }> {
  const member = await lockMember(manager, memberId);
  const due = (await manager.query(
    `SELECT id, points_remaining::int AS remaining FROM lots
      WHERE member_id = $1 AND points_remaining > 0 AND expires_at <= now() FOR UPDATE`,
    [memberId],
  )) as { id: string; remaining: number }[];
  const points = due.reduce((sum, lot) => sum + lot.remaining, 0);
  if (points === 0) return { lots: 0, points: 0 }; // another pass expired them first
  const id = await move(manager, { kind: 'EXPIRY', from: memberAccount(memberId), to: breakageAccount, points, memberId, createdBy });
  await manager.query('UPDATE lots SET points_remaining = 0 WHERE id = ANY($1::uuid[])', [due.map((lot) => lot.id)]);
  await recordBalanceChange(manager, memberId, { id, kind: 'EXPIRY', points, availableDelta: -points, pendingDelta: 0, reservedDelta: 0 });
  await refreshTier(manager, member);
  return { lots: due.length, points };
}

// ---------------------------------------------------------------------------------------------
// Internal reads

/** A member's spendable points and tier, for another subgraph (the catalog's affordability filter). */
export async function memberStanding(
  deps: LedgerDeps,
  caller: Caller,
  memberIdInput: string,
): Promise<{ memberId: string; availablePoints: number; tier: TierLevel }> {
  requireService(caller, 'memberStanding');
  const memberId = checkId(memberIdInput, 'memberId');
  const [row] = (await deps.dataSource.query(
    `SELECT coalesce(a.balance_points, 0)::int AS available FROM members m
       LEFT JOIN accounts a ON a.kind = 'MEMBER' AND a.owner_id = m.id WHERE m.id = $1`,
    [memberId],
  )) as { available: number }[];
  if (!row) throw notFound(`No member with id ${memberId}`);
  const tier = tierFor(await qualifyingPoints(deps.dataSource.manager, memberId)).level;
  return { memberId, availablePoints: row.available, tier };
}

/**
 * Points moved per transfer kind by transfers whose events happened in [from, to) and were
 * published up to `uptoPosition`: the same clock and the same events settlement has read, so the
 * two can be compared exactly. One event per transfer is counted (a gift has two, one per member).
 */
export async function ledgerTotals(
  dataSource: DataSource,
  caller: Caller,
  from: Date | string,
  to: Date | string,
  uptoPosition: bigint,
): Promise<{ kind: string; points: string }[]> {
  requireService(caller, 'ledgerTotals');
  return dataSource.query(
    `SELECT kind, sum(points)::text AS points FROM (
       SELECT DISTINCT ON (transfer_id) payload->>'kind' AS kind, (payload->>'points')::bigint AS points
         FROM outbox_events WHERE type = 'balance.changed' AND occurred_at >= $1 AND occurred_at < $2 AND position <= $3
        ORDER BY transfer_id
     ) events GROUP BY kind ORDER BY kind`,
    [new Date(from), new Date(to), uptoPosition.toString()],
  );
}

// ---------------------------------------------------------------------------------------------
// The event feed (internal: settlement reads it after its checkpoint; see LEDGER.md)

/** The last published event's position (0 before the first): where a new consumer starts. */
export async function ledgerHead(dataSource: DataSource, caller: Caller): Promise<string> {
  requireService(caller, 'ledgerHead');
  const [row] = (await dataSource.query('SELECT coalesce(max(position), 0)::text AS head FROM outbox_events')) as { head: string }[];
  return row!.head;
}

export async function ledgerEventsAfter(
  dataSource: DataSource,
  caller: Caller,
  afterPosition: bigint,
  first: number,
): Promise<PublishedEvent[]> {
  requireService(caller, 'ledgerEvents');
  if (!Number.isInteger(first) || first < 1 || first > MAX_EVENTS_PER_READ) {
    throw badInput(`first must be between 1 and ${MAX_EVENTS_PER_READ}`);
  }
  if (afterPosition < 0n) throw badInput('afterPosition must not be negative');
  return eventsAfter(dataSource.manager, afterPosition, first);
}
