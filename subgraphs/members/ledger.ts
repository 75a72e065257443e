import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { assertInvariant, badInput, DomainError, forbidden, notFound, unauthenticated } from '../../shared/errors';
import { idempotent } from '../../shared/idempotency';
import type { Caller } from '../../shared/identity';
import { currencyExponent } from '../../shared/money';
import { appendEvent, eventsAfter, type PublishedEvent } from '../../shared/outbox';
import { checkId, checkText } from '../../shared/validation';
import { MemberRow, type AccountKind, type TransferKind } from './entities';
import { tierFor } from './tiers';

/**
 * The members domain core: enrollment and the points ledger. Plain functions over a transaction,
 * with no GraphQL in sight. Every rule of LEDGER.md lives here and nowhere else.
 */

/** The coalition's own id, owner of the breakage account. */
export const COALITION_ID = '00000000-0000-0000-0000-000000000000';

export const MAX_PURCHASE_AMOUNT_MINOR = 100_000_000;
export const MAX_REFERENCE_LENGTH = 200;
export const MAX_DISPLAY_NAME_LENGTH = 100;
export const MAX_EMAIL_LENGTH = 254;
/** No single debit may move more than this; it also keeps balances inside GraphQL's Int. */
export const MAX_POINTS_PER_TRANSFER = 100_000_000;

export interface EarnTerms {
  partnerId: string;
  active: boolean;
  earnRateMilliPointsPerUnit: number;
  currency: string;
}

/** What the ledger needs to know about partners; settlement owns them and answers over an internal call. */
export interface PartnerDirectory {
  earnTerms(partnerId: string): Promise<EarnTerms>;
}

export interface LedgerDeps {
  dataSource: DataSource;
  partners: PartnerDirectory;
  /** Called after a commit that appended outbox events. */
  onEventsAppended(): void;
}

// ---------------------------------------------------------------------------------------------
// Access

/** Members read only themselves; partners and the operator read any member; subgraphs read all. */
export function checkCanReadMember(caller: Caller, memberId: string): void {
  switch (caller.kind) {
    case 'anonymous':
      throw unauthenticated('Sign in to read members');
    case 'member':
      if (caller.memberId !== memberId) throw forbidden('A member may read only its own account');
      return;
    case 'partner':
    case 'operator':
    case 'service':
      return;
  }
}

/**
 * The partner a partner-or-operator write acts for: a partner acts only as itself, the operator
 * names the partner explicitly.
 */
function actingPartner(caller: Caller, partnerId: string | null | undefined, action: string): string {
  switch (caller.kind) {
    case 'partner':
      if (partnerId && partnerId !== caller.partnerId) throw forbidden(`A partner may ${action} only as itself`);
      return caller.partnerId;
    case 'operator':
      if (!partnerId) throw badInput(`partnerId is required when the operator ${action}`);
      return partnerId;
    case 'anonymous':
      throw unauthenticated(`Sign in as a partner to ${action}`);
    default:
      throw forbidden(`Only partners and the operator may ${action}`);
  }
}

function requireService(caller: Caller, operation: string): string {
  if (caller.kind !== 'service') throw forbidden(`${operation} is internal to the coalition services`);
  return caller.service;
}

// ---------------------------------------------------------------------------------------------
// Input checks: bad input fails before anything is written.

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
function checkPoints(points: number): void {
  if (!Number.isSafeInteger(points) || points < 1 || points > MAX_POINTS_PER_TRANSFER) {
    throw badInput(`points must be a whole number from 1 to ${MAX_POINTS_PER_TRANSFER}`);
  }
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
  const partnerId = checkId(actingPartner(caller, input.partnerId, 'enroll members'), 'partnerId');
  const displayName = checkText(input.displayName, 'displayName', MAX_DISPLAY_NAME_LENGTH);
  const email = checkText(input.email, 'email', MAX_EMAIL_LENGTH);
  if (!EMAIL_PATTERN.test(email)) throw badInput(`"${email}" is not an email address`);
  const terms = await deps.partners.earnTerms(partnerId);
  if (!terms.active) throw forbidden('The partner is suspended and cannot enroll members');

  const { memberId } = await deps.dataSource.transaction(async (manager) =>
    idempotent(
      manager,
      { scope: `enrollMember:${partnerId}`, key: input.idempotencyKey, request: { displayName, email, partnerId } },
      async () => {
        const memberId = randomUUID();
        const inserted: unknown[] = await manager.query(
          `INSERT INTO members (id, display_name, email, enrolled_via_partner_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING id`,
          [memberId, displayName, email, partnerId],
        );
        if (inserted.length === 0) throw badInput(`A member with email ${email} is already enrolled`);
        await openAccount(manager, 'MEMBER', memberId);
        return { memberId };
      },
    ),
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
    (BigInt(purchaseAmountMinor) * BigInt(earnRateMilliPointsPerUnit) * BigInt(earnMultiplierPermille)) /
    (1000n * 1000n * minorPerUnit);
  return Number(points);
}

export async function earnPoints(deps: LedgerDeps, caller: Caller, input: EarnInput): Promise<string> {
  const partnerId = checkId(actingPartner(caller, input.partnerId, 'post purchases'), 'partnerId');
  const memberId = checkId(input.memberId, 'memberId');
  if (!Number.isSafeInteger(input.purchaseAmountMinor) || input.purchaseAmountMinor < 1 || input.purchaseAmountMinor > MAX_PURCHASE_AMOUNT_MINOR) {
    throw badInput(`purchaseAmountMinor must be a whole number from 1 to ${MAX_PURCHASE_AMOUNT_MINOR}`);
  }
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE_LENGTH);
  const terms = await deps.partners.earnTerms(partnerId);
  if (!terms.active) throw forbidden('The partner is suspended and cannot post purchases');
  if (input.currency !== terms.currency) {
    throw badInput(`The partner's contract is in ${terms.currency}; the purchase is in ${input.currency}`);
  }

  const request = { memberId, partnerId, purchaseAmountMinor: input.purchaseAmountMinor, currency: input.currency, reference };
  const { transferId } = await deps.dataSource.transaction(async (manager) =>
    idempotent(manager, { scope: `earnPoints:${partnerId}`, key: input.idempotencyKey, request }, async () => {
      const member = await lockMember(manager, memberId);
      const tierBefore = tierFor(Number(member.qualifyingPoints));
      const points = pointsForPurchase(
        input.purchaseAmountMinor,
        terms.earnRateMilliPointsPerUnit,
        tierBefore.earnMultiplierPermille,
        terms.currency,
      );
      if (points < 1) throw badInput('The purchase is too small to earn a whole point');
      const moved = await transfer(manager, {
        kind: 'EARN',
        from: await openAccount(manager, 'PARTNER_ISSUANCE', partnerId),
        to: await openAccount(manager, 'MEMBER', memberId),
        points,
        memberId,
        partnerId,
        reference,
      });
      const qualifyingPoints = Number(member.qualifyingPoints) + points;
      const tierAfter = tierFor(qualifyingPoints);
      await manager.query(
        `UPDATE members SET qualifying_points = $2, lifetime_earned_points = lifetime_earned_points + $3 WHERE id = $1`,
        [memberId, qualifyingPoints, points],
      );
      let sequence = member.lastEventSequence;
      await appendEvent(manager, {
        type: 'points.earned',
        memberId,
        memberSequence: ++sequence,
        payload: {
          transferId: moved.id,
          partnerId,
          points,
          purchaseAmountMinor: input.purchaseAmountMinor,
          currency: terms.currency,
          availablePointsAfter: moved.memberBalanceAfter,
        },
      });
      if (tierAfter.level !== tierBefore.level) {
        await appendEvent(manager, {
          type: 'tier.changed',
          memberId,
          memberSequence: ++sequence,
          payload: { from: tierBefore.level, to: tierAfter.level },
        });
      }
      await manager.query('UPDATE members SET last_event_sequence = $2 WHERE id = $1', [memberId, sequence]);
      return { transferId: moved.id };
    }),
  );
  deps.onEventsAppended();
  return transferId;
}

// ---------------------------------------------------------------------------------------------
// Spending (internal: the rewards subgraph debits for redemptions)

export interface DebitInput {
  memberId: string;
  partnerId: string;
  points: number;
  reference: string;
  idempotencyKey: string;
}

export async function debitPoints(deps: LedgerDeps, caller: Caller, input: DebitInput): Promise<string> {
  const service = requireService(caller, 'debitPoints');
  const memberId = checkId(input.memberId, 'memberId');
  const partnerId = checkId(input.partnerId, 'partnerId');
  checkPoints(input.points);
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE_LENGTH);
  const request = { memberId, partnerId, points: input.points, reference };
  const { transferId } = await deps.dataSource.transaction(async (manager) =>
    idempotent(manager, { scope: `debitPoints:${service}`, key: input.idempotencyKey, request }, async () => {
      const member = await lockMember(manager, memberId);
      const moved = await transfer(manager, {
        kind: 'REDEEM',
        from: await openAccount(manager, 'MEMBER', memberId),
        to: await openAccount(manager, 'PARTNER_REDEMPTION', partnerId),
        points: input.points,
        memberId,
        partnerId,
        reference,
      });
      const sequence = member.lastEventSequence + 1;
      await appendEvent(manager, {
        type: 'points.redeemed',
        memberId,
        memberSequence: sequence,
        payload: { transferId: moved.id, partnerId, points: input.points, availablePointsAfter: moved.memberBalanceAfter },
      });
      await manager.query('UPDATE members SET last_event_sequence = $2 WHERE id = $1', [memberId, sequence]);
      return { transferId: moved.id };
    }),
  );
  deps.onEventsAppended();
  return transferId;
}

// ---------------------------------------------------------------------------------------------
// The event feed (internal: settlement reads it after its checkpoint; see LEDGER.md)

export const MAX_EVENTS_PER_READ = 1000;

export async function ledgerEventsAfter(dataSource: DataSource, caller: Caller, afterPosition: bigint, first: number): Promise<PublishedEvent[]> {
  requireService(caller, 'ledgerEvents');
  if (!Number.isInteger(first) || first < 1 || first > MAX_EVENTS_PER_READ) {
    throw badInput(`first must be between 1 and ${MAX_EVENTS_PER_READ}`);
  }
  if (afterPosition < 0n) throw badInput('afterPosition must not be negative');
  return eventsAfter(dataSource.manager, afterPosition, first);
}

// ---------------------------------------------------------------------------------------------
// The double-entry core: the only code that changes a balance.

interface TransferRequest {
  kind: TransferKind;
  from: string;
  to: string;
  points: number;
  memberId: string;
  partnerId: string;
  reference: string;
}

/**
 * Moves points between two accounts and records the transfer, in the caller's transaction. The
 * debit and the credit are equal, so the sum of all balances stays zero (invariant 1). A member
 * account never goes below zero (invariant 2): the debit is conditional, and the table's CHECK
 * backs it up.
 */
async function transfer(manager: EntityManager, request: TransferRequest): Promise<{ id: string; memberBalanceAfter: number }> {
  assertInvariant(Number.isSafeInteger(request.points) && request.points > 0, 'transfers move a positive whole number of points');
  const debited = (await manager.query(
    `UPDATE accounts SET balance_points = balance_points - $2
      WHERE id = $1 AND (kind <> 'MEMBER' OR balance_points >= $2)
      RETURNING kind, balance_points::text AS balance`,
    [request.from, request.points],
  )) as [{ kind: AccountKind; balance: string }[], number];
  const [from] = debited[0];
  if (!from) throw new DomainError('INSUFFICIENT_POINTS', `The member's available points do not cover ${request.points} points`);
  const credited = (await manager.query(
    `UPDATE accounts SET balance_points = balance_points + $2 WHERE id = $1 RETURNING kind, balance_points::text AS balance`,
    [request.to, request.points],
  )) as [{ kind: AccountKind; balance: string }[], number];
  const [to] = credited[0];
  assertInvariant(to, `account ${request.to} exists`);
  const id = randomUUID();
  await manager.query(
    `INSERT INTO transfers (id, kind, from_account_id, to_account_id, points, member_id, partner_id, reference)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, request.kind, request.from, request.to, request.points, request.memberId, request.partnerId, request.reference],
  );
  const memberSide = from.kind === 'MEMBER' ? from : to;
  assertInvariant(memberSide.kind === 'MEMBER', 'every transfer has a member side');
  return { id, memberBalanceAfter: Number(memberSide.balance) };
}

/** The account's id, opening it at zero on first use. */
async function openAccount(manager: EntityManager, kind: AccountKind, ownerId: string): Promise<string> {
  const [row] = (await manager.query(
    `WITH opened AS (
       INSERT INTO accounts (id, kind, owner_id) VALUES ($1, $2, $3) ON CONFLICT (kind, owner_id) DO NOTHING RETURNING id
     )
     SELECT id FROM opened UNION ALL SELECT id FROM accounts WHERE kind = $2 AND owner_id = $3`,
    [randomUUID(), kind, ownerId],
  )) as { id: string }[];
  assertInvariant(row, `account ${kind} ${ownerId} is open`);
  return row.id;
}

/**
 * Locks the member's row for the rest of the transaction. Every ledger write for a member takes
 * this lock first, so a member's writes run one at a time, in the order their events are numbered,
 * and always lock member before partner accounts (no deadlock between two writes).
 */
async function lockMember(manager: EntityManager, memberId: string): Promise<MemberRow> {
  const member = await manager
    .getRepository(MemberRow)
    .createQueryBuilder('member')
    .setLock('pessimistic_write')
    .where('member.id = :memberId', { memberId })
    .getOne();
  if (!member) throw notFound(`No member with id ${memberId}`);
  return member;
}

// ---------------------------------------------------------------------------------------------
// Reads

export interface BalanceView {
  availablePoints: number;
  lifetimeEarnedPoints: number;
}

/** Members who enrolled through a partner, newest first: for that partner and the operator only. */
export async function membersEnrolledVia(
  dataSource: DataSource,
  caller: Caller,
  partnerId: string,
  limit: number,
  after: (string | number)[] | null,
): Promise<MemberRow[]> {
  const ownPartner = caller.kind === 'partner' && caller.partnerId === partnerId;
  if (!ownPartner && caller.kind !== 'operator') {
    if (caller.kind === 'anonymous') throw unauthenticated('Sign in to list a partner\'s members');
    throw forbidden('Only the partner itself and the operator may list its members');
  }
  const query = dataSource
    .getRepository(MemberRow)
    .createQueryBuilder('m')
    .where('m.enrolledViaPartnerId = :partnerId', { partnerId })
    .orderBy('m.enrolledAt', 'DESC')
    .addOrderBy('m.id', 'DESC')
    .limit(limit + 1);
  if (after) {
    query.andWhere('(m.enrolledAt, m.id) < (:afterAt, :afterId)', { afterAt: after[0], afterId: after[1] });
  }
  return query.getMany();
}
