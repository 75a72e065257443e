import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { assertInvariant, DomainError, notFound } from '../../shared/errors';
import { appendEvent } from '../../shared/outbox';
import { MemberRow, type AccountKind, type TransferKind } from './entities';
import { tierFor, type TierLevel } from './tiers';

/**
 * The double-entry core: the only code that changes a balance, a lot or a member's debt, and that
 * writes the ledger's events. Every function runs inside the caller's transaction, after the
 * caller locked the member(s) concerned (lockMembers). LEDGER.md states the invariants kept here.
 */

/** The coalition's own id: owner of the BREAKAGE and ADJUSTMENT accounts. */
export const COALITION_ID = '00000000-0000-0000-0000-000000000000';

export interface AccountRef {
  kind: AccountKind;
  ownerId: string;
}

export const memberAccount = (memberId: string): AccountRef => ({ kind: 'MEMBER', ownerId: memberId });
export const pendingAccount = (memberId: string): AccountRef => ({ kind: 'MEMBER_PENDING', ownerId: memberId });
export const reservedAccount = (memberId: string): AccountRef => ({ kind: 'MEMBER_RESERVED', ownerId: memberId });
export const issuanceAccount = (partnerId: string): AccountRef => ({ kind: 'PARTNER_ISSUANCE', ownerId: partnerId });
export const redemptionAccount = (partnerId: string): AccountRef => ({ kind: 'PARTNER_REDEMPTION', ownerId: partnerId });
export const breakageAccount: AccountRef = { kind: 'BREAKAGE', ownerId: COALITION_ID };
export const adjustmentAccount: AccountRef = { kind: 'ADJUSTMENT', ownerId: COALITION_ID };

const MEMBER_OWNED: readonly AccountKind[] = ['MEMBER', 'MEMBER_PENDING', 'MEMBER_RESERVED'];

export interface Move {
  kind: TransferKind;
  from: AccountRef;
  to: AccountRef;
  points: number;
  /** The member the transfer is about (for TRANSFER, the giver). */
  memberId: string;
  counterpartyMemberId?: string;
  partnerId?: string | null;
  reference?: string | null;
  reason?: string | null;
  createdBy: string;
  /** Only a CLAWBACK may take a member's available points below zero. */
  allowNegative?: boolean;
}

/**
 * Records one transfer: debits `from` and credits `to` by the same positive amount, so the sum of
 * all accounts stays zero (invariant 1), and writes the immutable transfer row. A member account
 * is debited only as far as it holds points (invariant 2) unless the move is a clawback; a refused
 * debit is INSUFFICIENT_POINTS and, the transaction being rolled back, changes nothing.
 */
export async function move(manager: EntityManager, m: Move): Promise<string> {
  assertInvariant(Number.isSafeInteger(m.points) && m.points > 0, `transfers move a positive whole number of points, got ${m.points}`);
  assertInvariant(!m.allowNegative || (m.kind === 'CLAWBACK' && m.from.kind === 'MEMBER'), 'only a clawback overdraws a member');
  const fromId = await openAccount(manager, m.from);
  const toId = await openAccount(manager, m.to);
  const guarded = MEMBER_OWNED.includes(m.from.kind) && !m.allowNegative;
  const [debited] = (
    (await manager.query(
      `UPDATE accounts SET balance_points = balance_points - $2 WHERE id = $1 ${guarded ? 'AND balance_points >= $2' : ''}
       RETURNING id`,
      [fromId, m.points],
    )) as [unknown[], number]
  )[0];
  if (!debited) {
    throw new DomainError('INSUFFICIENT_POINTS', `The member's ${describe(m.from.kind)} points do not cover ${m.points} points`);
  }
  await manager.query('UPDATE accounts SET balance_points = balance_points + $2 WHERE id = $1', [toId, m.points]);
  const id = randomUUID();
  await manager.query(
    `INSERT INTO transfers (id, kind, from_account_id, to_account_id, points, member_id, counterparty_member_id,
                            partner_id, reference, reason, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      id,
      m.kind,
      fromId,
      toId,
      m.points,
      m.memberId,
      m.counterpartyMemberId ?? null,
      m.partnerId ?? null,
      m.reference ?? null,
      m.reason ?? null,
      m.createdBy,
    ],
  );
  return id;
}

function describe(kind: AccountKind): string {
  return kind === 'MEMBER_PENDING' ? 'pending' : kind === 'MEMBER_RESERVED' ? 'reserved' : 'available';
}

/**
 * The account's id, opening it at zero on first use. Separate statements on purpose: when two
 * transactions open the same account at once, the loser's INSERT waits and does nothing, and only a
 * later statement (a fresh snapshot) sees the winner's row.
 */
async function openAccount(manager: EntityManager, account: AccountRef): Promise<string> {
  const find = async () =>
    (
      (await manager.query('SELECT id FROM accounts WHERE kind = $1 AND owner_id = $2', [account.kind, account.ownerId])) as {
        id: string;
      }[]
    )[0];
  const existing = await find();
  if (existing) return existing.id;
  await manager.query('INSERT INTO accounts (id, kind, owner_id) VALUES ($1, $2, $3) ON CONFLICT (kind, owner_id) DO NOTHING', [
    randomUUID(),
    account.kind,
    account.ownerId,
  ]);
  const opened = await find();
  assertInvariant(opened, `account ${account.kind} ${account.ownerId} is open`);
  return opened.id;
}

// ---------------------------------------------------------------------------------------------
// Member locks

/**
 * Locks members' rows for the rest of the transaction, in id order (so two writes that touch the
 * same two members cannot deadlock). Every ledger write takes its members' locks before anything
 * else: a member's writes run one at a time, in the order their events are numbered.
 */
export async function lockMembers(manager: EntityManager, memberIds: string[]): Promise<Map<string, MemberRow>> {
  const ids = [...new Set(memberIds)].sort();
  const rows = await manager
    .getRepository(MemberRow)
    .createQueryBuilder('member')
    .setLock('pessimistic_write')
    .where('member.id IN (:...ids)', { ids })
    .orderBy('member.id')
    .getMany();
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const id of ids) if (!byId.has(id)) throw notFound(`No member with id ${id}`);
  return byId;
}

export async function lockMember(manager: EntityManager, memberId: string): Promise<MemberRow> {
  return (await lockMembers(manager, [memberId])).get(memberId)!;
}

// ---------------------------------------------------------------------------------------------
// Lots (invariant 4). A member's available points = the lots' remaining points - clawback debt.

export interface LotTake {
  lotId: string;
  points: number;
  expiresAt: Date;
  /** The partner whose customer earned the points; null for granted points. */
  originPartnerId: string | null;
}

/** Points taken per originating partner: what settlement's flow matrix counts. */
export function originsOf(
  takes: readonly { points: number; originPartnerId: string | null }[],
): { partnerId: string | null; points: number }[] {
  const byPartner = new Map<string | null, number>();
  for (const take of takes) byPartner.set(take.originPartnerId, (byPartner.get(take.originPartnerId) ?? 0) + take.points);
  return [...byPartner].map(([partnerId, points]) => ({ partnerId, points }));
}

/** Adds a lot of points to a member (after a credit to MEMBER), then repays clawback debt from it. */
export async function addLot(
  manager: EntityManager,
  memberId: string,
  sourceTransferId: string,
  points: number,
  expiresAt: Date,
  originPartnerId: string | null,
): Promise<string> {
  const id = randomUUID();
  await manager.query(
    `INSERT INTO lots (id, member_id, source_transfer_id, origin_partner_id, points_original, points_remaining, expires_at)
     VALUES ($1, $2, $3, $4, $5, $5, $6)`,
    [id, memberId, sourceTransferId, originPartnerId, points, expiresAt],
  );
  await repayDebt(manager, memberId);
  return id;
}

/**
 * Takes points from a member's lots (after a debit of MEMBER): a preferred lot first (a refund
 * takes from its own purchase's lot), then the lots that expire soonest, oldest first.
 */
export async function takeFromLots(
  manager: EntityManager,
  memberId: string,
  points: number,
  preferredLotId?: string | null,
): Promise<LotTake[]> {
  const lots = (await manager.query(
    `SELECT id, points_remaining::int AS remaining, expires_at, origin_partner_id FROM lots
      WHERE member_id = $1 AND points_remaining > 0
      ORDER BY (id = $2) DESC, expires_at, created_at, id FOR UPDATE`,
    [memberId, preferredLotId ?? '00000000-0000-0000-0000-000000000000'],
  )) as { id: string; remaining: number; expires_at: Date; origin_partner_id: string | null }[];
  const taken: LotTake[] = [];
  let left = points;
  for (const lot of lots) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining);
    await manager.query('UPDATE lots SET points_remaining = points_remaining - $2 WHERE id = $1', [lot.id, take]);
    taken.push({ lotId: lot.id, points: take, expiresAt: lot.expires_at, originPartnerId: lot.origin_partner_id });
    left -= take;
  }
  assertInvariant(left === 0, `member ${memberId}'s lots cover the ${points} points debited from the account`);
  return taken;
}

/** Gives points back to the lots they were taken from (a voided reservation), then repays debt. */
export async function returnToLots(
  manager: EntityManager,
  memberId: string,
  takes: readonly { lotId: string; points: number }[],
): Promise<void> {
  for (const take of takes) {
    await manager.query('UPDATE lots SET points_remaining = points_remaining + $2 WHERE id = $1', [take.lotId, take.points]);
  }
  await repayDebt(manager, memberId);
}

/** Clawback debt is repaid from the member's lots as soon as there are any. */
async function repayDebt(manager: EntityManager, memberId: string): Promise<void> {
  const [row] = (await manager.query(
    `SELECT m.clawback_debt_points::int AS debt, coalesce(sum(l.points_remaining), 0)::int AS lots
       FROM members m LEFT JOIN lots l ON l.member_id = m.id AND l.points_remaining > 0
      WHERE m.id = $1 GROUP BY m.id`,
    [memberId],
  )) as { debt: number; lots: number }[];
  const repay = Math.min(row?.debt ?? 0, row?.lots ?? 0);
  if (repay === 0) return;
  await takeFromLots(manager, memberId, repay);
  await manager.query('UPDATE members SET clawback_debt_points = clawback_debt_points - $2 WHERE id = $1', [memberId, repay]);
}

export async function addDebt(manager: EntityManager, memberId: string, points: number): Promise<void> {
  await manager.query('UPDATE members SET clawback_debt_points = clawback_debt_points + $2 WHERE id = $1', [memberId, points]);
}

// ---------------------------------------------------------------------------------------------
// Events (invariant 6): appended in the transaction of the transfer they report.

export interface MemberBalances {
  availablePoints: number;
  pendingPoints: number;
  reservedPoints: number;
}

export async function balancesOf(manager: EntityManager, memberId: string): Promise<MemberBalances> {
  const rows = (await manager.query(`SELECT kind, balance_points::int AS points FROM accounts WHERE owner_id = $1 AND kind = ANY($2)`, [
    memberId,
    MEMBER_OWNED,
  ])) as { kind: AccountKind; points: number }[];
  const of = (kind: AccountKind) => rows.find((r) => r.kind === kind)?.points ?? 0;
  return { availablePoints: of('MEMBER'), pendingPoints: of('MEMBER_PENDING'), reservedPoints: of('MEMBER_RESERVED') };
}

async function nextSequence(manager: EntityManager, memberId: string): Promise<number> {
  const [[row]] = (await manager.query(
    'UPDATE members SET last_event_sequence = last_event_sequence + 1 WHERE id = $1 RETURNING last_event_sequence',
    [memberId],
  )) as [{ last_event_sequence: number }[], number];
  assertInvariant(row, `member ${memberId} exists`);
  return row.last_event_sequence;
}

/**
 * Writes the `balance.changed` event of a transfer for one member it touched, with the member's
 * next sequence number and its balances after the transfer. A transfer between two members gets
 * one event for each.
 */
export async function recordBalanceChange(
  manager: EntityManager,
  memberId: string,
  transfer: {
    id: string;
    kind: TransferKind;
    points: number;
    partnerId?: string | null;
    availableDelta: number;
    pendingDelta: number;
    reservedDelta: number;
    /** For points spent at a partner: which partners' customers earned them. */
    origins?: { partnerId: string | null; points: number }[];
  },
): Promise<void> {
  const balance = await balancesOf(manager, memberId);
  await appendEvent(manager, {
    type: 'balance.changed',
    memberId,
    memberSequence: await nextSequence(manager, memberId),
    transferId: transfer.id,
    payload: {
      transferId: transfer.id,
      kind: transfer.kind,
      partnerId: transfer.partnerId ?? null,
      points: transfer.points,
      availableDelta: transfer.availableDelta,
      pendingDelta: transfer.pendingDelta,
      reservedDelta: transfer.reservedDelta,
      ...(transfer.origins ? { origins: transfer.origins } : {}),
      balance,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Tiers

/** Months of posted earns that count towards the tier. */
export const TIER_WINDOW_MONTHS = 12;

export async function qualifyingPoints(manager: EntityManager, memberId: string): Promise<number> {
  const [row] = (await manager.query(
    `SELECT coalesce(sum(points - reversed_points), 0)::int AS points FROM earns
      WHERE member_id = $1 AND status = 'POSTED' AND posted_at > now() - make_interval(months => $2)`,
    [memberId, TIER_WINDOW_MONTHS],
  )) as { points: number }[];
  return row?.points ?? 0;
}

/**
 * Recomputes the member's tier from its qualifying points; a change is stored and becomes a
 * `tier.changed` event. Returns the tier now held.
 */
export async function refreshTier(manager: EntityManager, member: MemberRow): Promise<TierLevel> {
  const standing = tierFor(await qualifyingPoints(manager, member.id));
  if (standing.level !== member.tier) {
    await manager.query('UPDATE members SET tier = $2 WHERE id = $1', [member.id, standing.level]);
    await appendEvent(manager, {
      type: 'tier.changed',
      memberId: member.id,
      memberSequence: await nextSequence(manager, member.id),
      payload: { from: member.tier, to: standing.level, qualifyingPoints: standing.qualifyingPoints },
    });
    member.tier = standing.level;
  }
  return standing.level;
}
