import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { assertInvariant, DomainError, notFound } from '../../shared/errors';
import {
  LEDGER_EVENT_VERSION,
  type AccountKind,
  type LedgerEvent,
  type MemberBalances,
  type PointsOrigin,
  type TransferKind,
} from '../../shared/ledgerEvents';
import { appendEvent } from '../../shared/outbox';
import { MemberRow } from './entities';
import { MAX_MEMBER_POINTS } from './ledger';

/**
 * The posting kernel: the only code that changes a balance, a lot or a member's debt, and the only
 * writer of the ledger's events. One `post()` is one whole posting: points move between two
 * accounts, the lots follow from the accounts' kinds, the deltas of each member touched are derived
 * from the same kinds and asserted, and one `balance.changed` event per member is written, all in
 * the caller's transaction, after the caller locked the members concerned (lockMembers).
 * LEDGER.md states the invariants kept here.
 */

/** The coalition's own id: owner of the BREAKAGE and ADJUSTMENT accounts. */
export const COALITION_ID = '00000000-0000-0000-0000-000000000000';

export interface AccountRef {
  kind: AccountKind;
  ownerId: string;
}

/**
 * How many rows a partner's issuance account is spread over. Every earn debits its partner's
 * issuance and holds that row's lock until it commits: on one row, a partner's earns would run one
 * at a time however many members earn there. A posting uses the shard of the member it touches
 * (issuanceShardOf), so one member's postings stay on one shard (they run one at a time anyway)
 * and different members' mostly do not meet. The partner's issuance is the sum of its shards.
 */
export const ISSUANCE_SHARDS = 32;

/** The issuance shard a member's postings use: from its id (random), so members spread evenly. */
export function issuanceShardOf(memberId: string): number {
  return Number.parseInt(memberId.slice(0, 8), 16) % ISSUANCE_SHARDS;
}

/** The row an account lives in: its shard, 0 for every kind but PARTNER_ISSUANCE. */
const shardOf = (account: AccountRef, memberId: string) => (account.kind === 'PARTNER_ISSUANCE' ? issuanceShardOf(memberId) : 0);

export const memberAccount = (memberId: string): AccountRef => ({ kind: 'MEMBER', ownerId: memberId });
export const pendingAccount = (memberId: string): AccountRef => ({ kind: 'MEMBER_PENDING', ownerId: memberId });
export const reservedAccount = (memberId: string): AccountRef => ({ kind: 'MEMBER_RESERVED', ownerId: memberId });
export const issuanceAccount = (partnerId: string): AccountRef => ({ kind: 'PARTNER_ISSUANCE', ownerId: partnerId });
export const redemptionAccount = (partnerId: string): AccountRef => ({ kind: 'PARTNER_REDEMPTION', ownerId: partnerId });
export const breakageAccount: AccountRef = { kind: 'BREAKAGE', ownerId: COALITION_ID };
export const adjustmentAccount: AccountRef = { kind: 'ADJUSTMENT', ownerId: COALITION_ID };

const MEMBER_OWNED: readonly AccountKind[] = ['MEMBER', 'MEMBER_PENDING', 'MEMBER_RESERVED'];
const isMemberOwned = (account: AccountRef) => MEMBER_OWNED.includes(account.kind);

/** Points taken from one lot. */
export interface LotTake {
  lotId: string;
  points: number;
  expiresAt: Date;
  /** The partner whose customer earned the points; null for granted points. */
  originPartnerId: string | null;
}

export interface Posting {
  kind: TransferKind;
  from: AccountRef;
  to: AccountRef;
  points: number;
  /** The partner the transfer is at, where there is one (also the origin of a lot it creates). */
  partnerId?: string | null;
  reference?: string | null;
  reason?: string | null;
  createdBy: string;
  /** A credit to MEMBER of new points: when its lot expires. */
  lotExpiresAt?: Date;
  /**
   * A debit of MEMBER: the lots to take first (a refund takes from its own purchase's lot, expiry
   * takes the lots that are due), then the soonest to expire.
   */
  preferredLotIds?: readonly string[];
  /**
   * Points that left the member's lots when they were reserved: a release or a refund gives them
   * back to those lots (so they keep their expiry dates), and a redemption reports their origins.
   */
  reservedLots?: readonly Omit<LotTake, 'expiresAt'>[];
  /** A transfer that undoes an earlier one: the earlier transfer, whose event settlement prices this one like. */
  reverses?: string;
  /** A BONUS: the campaign that granted it, named in its event. */
  campaignId?: string;
  /**
   * When what the transfer records happened, if before now: the purchase of a confirmed claim.
   * Settlement counts the event in that instant's period while it is open (shared/ledgerEvents.ts).
   */
  effectiveAt?: Date;
}

export interface Posted {
  transferId: string;
  /** The lots a debit of MEMBER took from. */
  takes: LotTake[];
  /** The lot a credit of new points to MEMBER created. */
  lotId: string | null;
}

/**
 * Posts one transfer. The lot rule follows from the accounts:
 * - a debit of MEMBER takes the points from the member's lots, except a CLAWBACK, which takes the
 *   member below zero by what it already spent and records that as debt (invariant 2);
 * - a credit to MEMBER from another member (a gift) gives the receiver lots with the giver's expiry
 *   dates and origins; from MEMBER_RESERVED or PARTNER_REDEMPTION (a release, a refunded
 *   redemption) it returns the points to the lots they were reserved from; from anywhere else it
 *   is a new lot. Any credit then repays clawback debt first;
 * - pending and reserved points have no lots: they are not spendable.
 * A member-owned account is debited only as far as it holds points: INSUFFICIENT_POINTS otherwise,
 * and the caller's transaction, rolled back, changes nothing. Likewise a posting that would take a
 * member's figure past MAX_MEMBER_POINTS is refused with LIMIT_EXCEEDED (see checkMemberLimits).
 */
export async function post(manager: EntityManager, posting: Posting): Promise<Posted> {
  const { kind, from, to, points } = posting;
  assertInvariant(Number.isSafeInteger(points) && points > 0, `transfers move a positive whole number of points, got ${points}`);
  assertInvariant(from.kind !== to.kind || from.ownerId !== to.ownerId, `a ${kind} transfer moves points between two accounts`);
  const overdraws = kind === 'CLAWBACK';
  assertInvariant(!overdraws || from.kind === 'MEMBER', 'only a clawback overdraws, and only a member account');
  const memberIds = [...new Set([from, to].filter(isMemberOwned).map((account) => account.ownerId))];
  assertInvariant(memberIds.length > 0, `a ${kind} transfer touches a member`);

  const transferId = await moveBalance(manager, posting, isMemberOwned(from) && !overdraws);

  let takes: LotTake[] = [];
  let lotId: string | null = null;
  let debtRepaid = 0;
  if (from.kind === 'MEMBER') {
    if (overdraws) await addDebt(manager, from.ownerId, points);
    else takes = await takeFromLots(manager, from.ownerId, points, posting.preferredLotIds ?? []);
  }
  if (to.kind === 'MEMBER') {
    if (from.kind === 'MEMBER') {
      for (const take of takes) await addLot(manager, to.ownerId, transferId, take.points, take.expiresAt, take.originPartnerId);
    } else if (from.kind === 'MEMBER_RESERVED' || from.kind === 'PARTNER_REDEMPTION') {
      const reserved = posting.reservedLots;
      assertInvariant(reserved && sumOf(reserved) === points, `a ${kind} returns its ${points} points to the lots they came from`);
      await returnToLots(manager, reserved);
    } else {
      assertInvariant(posting.lotExpiresAt, `a ${kind} credit of new points says when its lot expires`);
      lotId = await addLot(manager, to.ownerId, transferId, points, posting.lotExpiresAt, posting.partnerId ?? null);
    }
    debtRepaid = await repayDebt(manager, to.ownerId);
  }

  // Points spent at a partner (or given back to it) carry the partners whose customers earned them.
  const spentAt = from.kind === 'PARTNER_REDEMPTION' || to.kind === 'PARTNER_REDEMPTION';
  const origins = spentAt ? originsOf(takes.length > 0 ? takes : (posting.reservedLots ?? [])) : undefined;
  if (spentAt) assertInvariant(sumOf(origins!) === points, `the origins of a ${kind} add up to its ${points} points`);

  const reversed = posting.reverses ? await reversedEventOf(manager, posting.reverses) : undefined;
  for (const memberId of memberIds) {
    const delta = (account: AccountKind) =>
      (to.kind === account && to.ownerId === memberId ? points : 0) - (from.kind === account && from.ownerId === memberId ? points : 0);
    // A clawback's overdraft is debt; a credit repays debt first. The books read it per event.
    const debtDelta =
      (overdraws && from.ownerId === memberId ? points : 0) - (to.kind === 'MEMBER' && to.ownerId === memberId ? debtRepaid : 0);
    const balance = await checkedBalances(manager, memberId, posting);
    await appendLedgerEvent(
      manager,
      memberId,
      {
        type: 'balance.changed',
        payload: {
          version: LEDGER_EVENT_VERSION,
          transferId,
          kind,
          partnerId: posting.partnerId ?? null,
          points,
          availableDelta: delta('MEMBER'),
          pendingDelta: delta('MEMBER_PENDING'),
          reservedDelta: delta('MEMBER_RESERVED'),
          clawbackDebtDelta: debtDelta,
          ...(origins ? { origins } : {}),
          ...(reversed ? { reversesEventAt: reversed.occurredAt, reversesKind: reversed.kind } : {}),
          ...(posting.campaignId ? { campaignId: posting.campaignId } : {}),
          ...(posting.effectiveAt ? { effectiveAt: posting.effectiveAt.toISOString() } : {}),
          balance,
        },
      },
      transferId,
    );
  }
  return { transferId, takes, lotId };
}

/**
 * Debits `from` and credits `to` by the same amount and records the immutable transfer row, so
 * every transfer sums to zero and all accounts together stay at zero (invariant 1). One statement
 * for the three writes (an earn's round trips are its cost under load): the credit and the row
 * happen only if the debit did, so a refused debit writes nothing.
 */
async function moveBalance(manager: EntityManager, posting: Posting, guarded: boolean): Promise<string> {
  const { from, to, points } = posting;
  const memberId = isMemberOwned(from) ? from.ownerId : to.ownerId;
  const [fromId, toId] = await openAccounts(manager, [from, to], memberId);
  const transferId = randomUUID();
  const counterpartyMemberId = isMemberOwned(from) && isMemberOwned(to) && to.ownerId !== memberId ? to.ownerId : null;
  const [moved] = (await manager.query(
    `WITH debited AS (
       UPDATE accounts SET balance_points = balance_points - $5 WHERE id = $3 ${guarded ? 'AND balance_points >= $5' : ''} RETURNING id
     ), credited AS (
       UPDATE accounts SET balance_points = balance_points + $5 WHERE id = $4 AND EXISTS (SELECT 1 FROM debited) RETURNING id
     ), recorded AS (
       INSERT INTO transfers (id, kind, from_account_id, to_account_id, points, member_id, counterparty_member_id,
                              partner_id, reference, reason, created_by)
       SELECT $1::uuid, $2::text, $3::uuid, $4::uuid, $5::bigint, $6::uuid, $7::uuid, $8::uuid, $9::text, $10::text, $11::text
        WHERE EXISTS (SELECT 1 FROM credited) RETURNING id
     )
     SELECT (SELECT count(*) FROM debited)::int AS debited, (SELECT count(*) FROM credited)::int AS credited,
            (SELECT count(*) FROM recorded)::int AS recorded`,
    [
      transferId,
      posting.kind,
      fromId,
      toId,
      points,
      memberId,
      counterpartyMemberId,
      posting.partnerId ?? null,
      posting.reference ?? null,
      posting.reason ?? null,
      posting.createdBy,
    ],
  )) as { debited: number; credited: number; recorded: number }[];
  if (moved!.debited !== 1) {
    assertInvariant(guarded, `account ${from.kind} ${from.ownerId} was debited`);
    throw new DomainError('INSUFFICIENT_POINTS', `The member's ${describe(from.kind)} points do not cover ${points} points`);
  }
  assertInvariant(moved!.credited === 1, `account ${to.kind} ${to.ownerId} was credited what ${from.kind} was debited`);
  assertInvariant(moved!.recorded === 1, `the ${posting.kind} transfer was recorded`);
  return transferId;
}

function describe(kind: AccountKind): string {
  return kind === 'MEMBER_PENDING' ? 'pending' : kind === 'MEMBER_RESERVED' ? 'reserved' : 'available';
}

/**
 * The accounts' ids, in the order given, opening any at zero on first use. Accounts that exist
 * (nearly always) are found in one statement. Opening is separate statements on purpose: when two
 * transactions open the same account at once, the loser's INSERT waits and does nothing, and only
 * a later statement (a fresh snapshot) sees the winner's row.
 */
async function openAccounts(manager: EntityManager, accounts: readonly AccountRef[], memberId: string): Promise<string[]> {
  const shards = accounts.map((account) => shardOf(account, memberId));
  const found = (await manager.query(
    `SELECT a.id, a.kind, a.owner_id, a.shard FROM accounts a
       JOIN unnest($1::text[], $2::uuid[], $3::smallint[]) AS wanted(kind, owner_id, shard)
         ON a.kind = wanted.kind AND a.owner_id = wanted.owner_id AND a.shard = wanted.shard`,
    [accounts.map((a) => a.kind), accounts.map((a) => a.ownerId), shards],
  )) as { id: string; kind: string; owner_id: string; shard: number }[];
  const idOf = new Map(found.map((row) => [`${row.kind}:${row.owner_id}:${row.shard}`, row.id]));
  const ids: string[] = [];
  for (const [i, account] of accounts.entries()) {
    ids.push(idOf.get(`${account.kind}:${account.ownerId}:${shards[i]}`) ?? (await openAccount(manager, account, shards[i]!)));
  }
  return ids;
}

async function openAccount(manager: EntityManager, account: AccountRef, shard: number): Promise<string> {
  await manager.query(
    'INSERT INTO accounts (id, kind, owner_id, shard) VALUES ($1, $2, $3, $4) ON CONFLICT (kind, owner_id, shard) DO NOTHING',
    [randomUUID(), account.kind, account.ownerId, shard],
  );
  const [opened] = (await manager.query('SELECT id FROM accounts WHERE kind = $1 AND owner_id = $2 AND shard = $3', [
    account.kind,
    account.ownerId,
    shard,
  ])) as { id: string }[];
  assertInvariant(opened, `account ${account.kind} ${account.ownerId} (shard ${shard}) is open`);
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

const sumOf = (items: readonly { points: number }[]) => items.reduce((sum, item) => sum + item.points, 0);

/** Points taken per originating partner: what settlement's flow matrix counts. */
function originsOf(takes: readonly { points: number; originPartnerId: string | null }[]): PointsOrigin[] {
  const byPartner = new Map<string | null, number>();
  for (const take of takes) byPartner.set(take.originPartnerId, (byPartner.get(take.originPartnerId) ?? 0) + take.points);
  return [...byPartner].map(([partnerId, points]) => ({ partnerId, points }));
}

async function addLot(
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
  return id;
}

/** Takes points from a member's lots: the preferred lots first, then those that expire soonest, oldest first. */
async function takeFromLots(
  manager: EntityManager,
  memberId: string,
  points: number,
  preferredLotIds: readonly string[],
): Promise<LotTake[]> {
  const lots = (await manager.query(
    `SELECT id, points_remaining::int AS remaining, expires_at, origin_partner_id FROM lots
      WHERE member_id = $1 AND points_remaining > 0
      ORDER BY (id = ANY($2::uuid[])) DESC, expires_at, created_at, id FOR UPDATE`,
    [memberId, preferredLotIds],
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

async function returnToLots(manager: EntityManager, takes: readonly { lotId: string; points: number }[]): Promise<void> {
  for (const take of takes) {
    await manager.query('UPDATE lots SET points_remaining = points_remaining + $2 WHERE id = $1', [take.lotId, take.points]);
  }
}

/** Clawback debt is repaid from the member's lots as soon as there are any; returns the points repaid. */
async function repayDebt(manager: EntityManager, memberId: string): Promise<number> {
  const [row] = (await manager.query(
    // bigint, not int: a credit may just have taken the lots past MAX_MEMBER_POINTS, which the
    // posting refuses afterwards with LIMIT_EXCEEDED rather than failing here on an int overflow.
    `SELECT m.clawback_debt_points AS debt, coalesce(sum(l.points_remaining), 0)::bigint AS lots
       FROM members m LEFT JOIN lots l ON l.member_id = m.id AND l.points_remaining > 0
      WHERE m.id = $1 GROUP BY m.id`,
    [memberId],
  )) as { debt: string; lots: string }[];
  const repay = Math.min(Number(row?.debt ?? 0), Number(row?.lots ?? 0));
  if (repay === 0) return 0;
  await takeFromLots(manager, memberId, repay, []);
  await manager.query('UPDATE members SET clawback_debt_points = clawback_debt_points - $2 WHERE id = $1', [memberId, repay]);
  return repay;
}

async function addDebt(manager: EntityManager, memberId: string, points: number): Promise<void> {
  await manager.query('UPDATE members SET clawback_debt_points = clawback_debt_points + $2 WHERE id = $1', [memberId, points]);
}

// ---------------------------------------------------------------------------------------------
// Events (invariant 6): appended in the transaction of the transfer they report.

/**
 * The member's balances after a posting, read with its lots, its debt and (for an earn) its points
 * earned in the same statement, so the posting can assert what must hold after every posting
 * (available = lots remaining - clawback debt, nothing pending or reserved below zero) and check
 * the per-member limit (checkMemberLimits) without another round trip. Read as bigint, not int: a
 * figure past the limit must reach the check, not overflow in the query.
 */
async function checkedBalances(manager: EntityManager, memberId: string, posting: Posting): Promise<MemberBalances> {
  const raised = raisedFigures(posting, memberId);
  const [row] = (await manager.query(
    `SELECT coalesce((SELECT balance_points FROM accounts WHERE owner_id = m.id AND kind = 'MEMBER'), 0) AS available,
            coalesce((SELECT balance_points FROM accounts WHERE owner_id = m.id AND kind = 'MEMBER_PENDING'), 0) AS pending,
            coalesce((SELECT balance_points FROM accounts WHERE owner_id = m.id AND kind = 'MEMBER_RESERVED'), 0) AS reserved,
            coalesce((SELECT sum(points_remaining) FROM lots WHERE member_id = m.id AND points_remaining > 0), 0)::bigint AS lots,
            m.clawback_debt_points AS debt,
            CASE WHEN $2 THEN coalesce((SELECT sum(points - reversed_points) FROM earns WHERE member_id = m.id AND status = 'POSTED'), 0)::bigint
            END AS posted_earned
       FROM members m WHERE m.id = $1`,
    [memberId, raised.earned],
  )) as { available: string; pending: string; reserved: string; lots: string; debt: string; posted_earned: string | null }[];
  assertInvariant(row, `member ${memberId} exists`);
  const available = Number(row.available);
  const pending = Number(row.pending);
  const reserved = Number(row.reserved);
  const lots = Number(row.lots);
  const debt = Number(row.debt);
  assertInvariant(
    available === lots - debt,
    `member ${memberId}'s available points (${available}) equal its lots (${lots}) less its debt (${debt})`,
  );
  assertInvariant(pending >= 0 && reserved >= 0, `member ${memberId}'s pending and reserved points are not negative`);
  // This posting's earn is not in the earns table yet (its row is keyed by the transfer this posting
  // just created, and the caller writes it afterwards): an earn straight to MEMBER counts here, an
  // earn to MEMBER_PENDING is already in `pending` (the pending account holds exactly the pending
  // earns).
  const earned = raised.earned ? Number(row.posted_earned) + pending + (posting.to.kind === 'MEMBER' ? posting.points : 0) : 0;
  checkMemberLimits(posting, memberId, raised, { held: lots + pending + reserved, debt, earned });
  return { availablePoints: available, pendingPoints: pending, reservedPoints: reserved };
}

/** A member's figures that MAX_MEMBER_POINTS bounds, each on its own. */
interface MemberFigures<T> {
  /** Points the member holds: its lots (available points before debt), pending and reserved points. */
  held: T;
  /** Points clawed back after the member had spent them (available = lots - debt). */
  debt: T;
  /** Points earned, posted or pending, less refunds: bounds lifetime earned and qualifying points. */
  earned: T;
}

/**
 * Which of the member's figures the posting raises, from the accounts' kinds. Points held rise
 * when points come into the member's accounts from outside them (an earn, a gift received, an
 * operator's grant, a refunded redemption), never when they move between its own accounts (a
 * hold, its release, a pending earn posted: the timer's and the rewards saga's postings). Debt
 * rises by a clawback; points earned by a credit from a partner's issuance (EARN, EARN_PENDING).
 */
function raisedFigures(posting: Posting, memberId: string): MemberFigures<boolean> {
  const owned = (account: AccountRef) => isMemberOwned(account) && account.ownerId === memberId;
  return {
    held: owned(posting.to) && !owned(posting.from),
    debt: posting.kind === 'CLAWBACK' && owned(posting.from),
    earned: owned(posting.to) && posting.from.kind === 'PARTNER_ISSUANCE',
  };
}

/**
 * The per-member limit (MAX_MEMBER_POINTS, LEDGER.md "Limits and settings"): a posting that takes
 * one of a member's figures past it is refused with LIMIT_EXCEEDED, and the caller's transaction,
 * rolled back, writes nothing (under an idempotency key the refusal is what the key records).
 * Only a figure the posting raises is checked, so a posting that takes nothing past the limit
 * (maintenance, a reservation's release) is never refused by it. Why a limit: the graph answers
 * these figures as GraphQL Int, and a write must not commit and then fail to answer.
 */
function checkMemberLimits(posting: Posting, memberId: string, raised: MemberFigures<boolean>, after: MemberFigures<number>): void {
  const refuse = (limit: string) =>
    new DomainError(
      'LIMIT_EXCEEDED',
      `${limit} (the per-member limit); this ${posting.kind} of ${posting.points} points would take member ${memberId} past it`,
    );
  if (raised.held && after.held > MAX_MEMBER_POINTS)
    throw refuse(`A member may hold at most ${MAX_MEMBER_POINTS} points, available, pending and reserved together`);
  if (raised.debt && after.debt > MAX_MEMBER_POINTS) throw refuse(`A member may owe at most ${MAX_MEMBER_POINTS} clawed-back points`);
  if (raised.earned && after.earned > MAX_MEMBER_POINTS)
    throw refuse(`A member may earn at most ${MAX_MEMBER_POINTS} points in all, posted or pending, less refunds`);
}

/** When the event of an earlier transfer happened (its outbox clock, the one settlement prices by), and its kind. */
async function reversedEventOf(manager: EntityManager, transferId: string): Promise<{ occurredAt: string; kind: TransferKind }> {
  const [row] = (await manager.query(
    `SELECT e.occurred_at, t.kind FROM outbox_events e JOIN transfers t ON t.id = e.transfer_id
      WHERE e.transfer_id = $1 ORDER BY e.occurred_at LIMIT 1`,
    [transferId],
  )) as { occurred_at: Date; kind: TransferKind }[];
  assertInvariant(row, `the transfer ${transferId} a reversal undoes has its event`);
  return { occurredAt: row.occurred_at.toISOString(), kind: row.kind };
}

/**
 * Appends one of the member's ledger events with its next sequence number (from 1, no gaps: the
 * caller holds the member's lock). The only writer of the ledger's events: post() for
 * balance.changed, tiers.ts for tier.changed.
 */
export async function appendLedgerEvent(manager: EntityManager, memberId: string, event: LedgerEvent, transferId?: string): Promise<void> {
  // Numbered and appended in one statement: a member's next number is its row's counter, locked by the caller.
  await appendEvent(manager, {
    type: event.type,
    memberId,
    memberSequence: {
      nextSequenceSql:
        'UPDATE members SET last_event_sequence = last_event_sequence + 1 WHERE id = $1 RETURNING last_event_sequence AS sequence',
    },
    transferId,
    payload: event.payload as unknown as Record<string, unknown>,
  });
}
