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
import { preparedQuery } from '../../shared/database';
import { appendEvent } from '../../shared/outbox';
import { MemberRow, TransferRow } from './entities';
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
  /** An EARN or EARN_PENDING: the purchase, recorded in the move's statement (EarnRecord). */
  earn?: EarnRecord;
}

/**
 * A purchase that earned points: its row in `earns`, keyed by the posting's transfer, written in
 * the statement that moves the points (a round trip fewer per earn). A receipt that already earned
 * at the partner records nothing (the receipt's unique key, `earns_receipt`): Posted.earnRecorded
 * is false, and the caller refuses the earn, its transaction rolled back with the posting.
 */
export interface EarnRecord {
  purchaseAmountMinor: number;
  currency: string;
  /** When a pending earn's hold ends; null for an earn posted at once. */
  releaseAt: Date | null;
  documentNumber: string | null;
  storeId: string | null;
}

export interface Posted {
  transferId: string;
  /** The transfer row as written: what a write answers with, without reading it back. */
  transfer: TransferRow;
  /** The lots a debit of MEMBER took from. */
  takes: LotTake[];
  /** The lot a credit of new points to MEMBER created. */
  lotId: string | null;
  /** Whether the posting's EarnRecord was written (false: its receipt already earned). */
  earnRecorded: boolean;
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

  // A credit of new points creates its lot in the move's statement.
  const newLot = to.kind === 'MEMBER' && from.kind !== 'MEMBER' && from.kind !== 'MEMBER_RESERVED' && from.kind !== 'PARTNER_REDEMPTION';
  if (newLot) assertInvariant(posting.lotExpiresAt, `a ${kind} credit of new points says when its lot expires`);
  const earning = kind === 'EARN' || kind === 'EARN_PENDING';
  assertInvariant(earning === (posting.earn !== undefined), `a ${kind} transfer records a purchase if and only if it is an earn`);
  const { transfer, lotId, earnRecorded } = await moveBalance(manager, posting, isMemberOwned(from) && !overdraws, newLot);
  const transferId = transfer.id;

  let takes: LotTake[] = [];
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
    }
  }

  // Points spent at a partner (or given back to it) carry the partners whose customers earned them.
  const spentAt = from.kind === 'PARTNER_REDEMPTION' || to.kind === 'PARTNER_REDEMPTION';
  const origins = spentAt ? originsOf(takes.length > 0 ? takes : (posting.reservedLots ?? [])) : undefined;
  if (spentAt) assertInvariant(sumOf(origins!) === points, `the origins of a ${kind} add up to its ${points} points`);

  const reversed = posting.reverses ? await reversedEventOf(manager, posting.reverses) : undefined;
  for (const memberId of memberIds) {
    const delta = (account: AccountKind) =>
      (to.kind === account && to.ownerId === memberId ? points : 0) - (from.kind === account && from.ownerId === memberId ? points : 0);
    // A clawback's overdraft is debt; a credit repays debt first (checkedBalances). The books read it per event.
    const { balance, debtRepaid } = await checkedBalances(manager, memberId, posting, earnRecorded);
    const debtDelta = (overdraws && from.ownerId === memberId ? points : 0) - debtRepaid;
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
  return { transferId, transfer, takes, lotId, earnRecorded };
}

/**
 * Debits `from` and credits `to` by the same amount and records the immutable transfer row, so
 * every transfer sums to zero and all accounts together stay at zero (invariant 1); with `newLot`,
 * the credited member's lot of these points too. One statement for all of it, the accounts found
 * by their keys in it (an earn's round trips are its cost under load): the credit, the row and the
 * lot happen only if the debit did, and the debit only if both accounts exist, so a refused debit
 * writes nothing. An account used for the first time is opened, and the statement run again.
 */
async function moveBalance(
  manager: EntityManager,
  posting: Posting,
  guarded: boolean,
  newLot: boolean,
): Promise<{ transfer: TransferRow; lotId: string | null; earnRecorded: boolean }> {
  const { from, to, points } = posting;
  const memberId = isMemberOwned(from) ? from.ownerId : to.ownerId;
  const transferId = randomUUID();
  const lotId = newLot ? randomUUID() : null;
  const counterpartyMemberId = isMemberOwned(from) && isMemberOwned(to) && to.ownerId !== memberId ? to.ownerId : null;
  const parameters = [
    transferId,
    posting.kind,
    from.kind,
    from.ownerId,
    shardOf(from, memberId),
    to.kind,
    to.ownerId,
    shardOf(to, memberId),
    points,
    memberId,
    counterpartyMemberId,
    posting.partnerId ?? null,
    posting.reference ?? null,
    posting.reason ?? null,
    posting.createdBy,
    lotId,
    newLot ? posting.lotExpiresAt : null,
    posting.earn?.purchaseAmountMinor ?? null,
    posting.earn?.currency ?? null,
    posting.kind === 'EARN_PENDING' ? 'PENDING' : 'POSTED',
    posting.earn?.releaseAt ?? null,
    posting.earn?.documentNumber ?? null,
    posting.earn?.storeId ?? null,
  ];
  const move = async () =>
    (
      (await preparedQuery(
        manager,
        `WITH source AS (SELECT id FROM accounts WHERE kind = $3 AND owner_id = $4 AND shard = $5),
              target AS (SELECT id FROM accounts WHERE kind = $6 AND owner_id = $7 AND shard = $8),
         debited AS (
           UPDATE accounts SET balance_points = balance_points - $9
            WHERE id = (SELECT id FROM source) AND EXISTS (SELECT 1 FROM target) ${guarded ? 'AND balance_points >= $9' : ''} RETURNING id
         ), credited AS (
           UPDATE accounts SET balance_points = balance_points + $9 WHERE id = (SELECT id FROM target) AND EXISTS (SELECT 1 FROM debited) RETURNING id
         ), recorded AS (
           INSERT INTO transfers (id, kind, from_account_id, to_account_id, points, member_id, counterparty_member_id,
                                  partner_id, reference, reason, created_by)
           SELECT $1::uuid, $2::text, (SELECT id FROM debited), (SELECT id FROM credited), $9::bigint, $10::uuid, $11::uuid, $12::uuid,
                  $13::text, $14::text, $15::text
            WHERE EXISTS (SELECT 1 FROM credited) RETURNING from_account_id, to_account_id, created_at
         ), lot AS (
           INSERT INTO lots (id, member_id, source_transfer_id, origin_partner_id, points_original, points_remaining, expires_at)
           SELECT $16::uuid, $7::uuid, $1::uuid, $12::uuid, $9::bigint, $9::bigint, $17::timestamptz
            WHERE $16::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM recorded) RETURNING id
         ), earn AS (
           INSERT INTO earns (transfer_id, member_id, partner_id, points, purchase_amount_minor, currency, status, release_at, posted_at,
                              lot_id, document_number, store_id)
           SELECT $1::uuid, $10::uuid, $12::uuid, $9::bigint, $18::bigint, $19::text, $20::text, $21::timestamptz,
                  CASE WHEN $20::text = 'POSTED' THEN now() END, $16::uuid, $22::text, $23::text
            WHERE $18::bigint IS NOT NULL AND EXISTS (SELECT 1 FROM recorded)
           ON CONFLICT (partner_id, document_number) WHERE document_number IS NOT NULL DO NOTHING RETURNING transfer_id
         )
         SELECT EXISTS (SELECT 1 FROM source) AND EXISTS (SELECT 1 FROM target) AS open,
                (SELECT count(*) FROM debited)::int AS debited, (SELECT count(*) FROM credited)::int AS credited,
                (SELECT count(*) FROM lot)::int AS lots, (SELECT count(*) FROM earn)::int AS earns, recorded.*
           FROM (SELECT 1) one LEFT JOIN recorded ON true`,
        parameters,
      )) as {
        open: boolean;
        debited: number;
        credited: number;
        lots: number;
        earns: number;
        from_account_id: string | null;
        to_account_id: string | null;
        created_at: Date | null;
      }[]
    )[0]!;
  let moved = await move();
  if (!moved.open) {
    await openAccounts(manager, [from, to], memberId);
    moved = await move();
    assertInvariant(moved.open, `accounts ${from.kind} ${from.ownerId} and ${to.kind} ${to.ownerId} are open`);
  }
  if (moved.debited !== 1) {
    assertInvariant(guarded, `account ${from.kind} ${from.ownerId} was debited`);
    throw new DomainError('INSUFFICIENT_POINTS', `The member's ${describe(from.kind)} points do not cover ${points} points`);
  }
  assertInvariant(moved.credited === 1, `account ${to.kind} ${to.ownerId} was credited what ${from.kind} was debited`);
  assertInvariant(moved.created_at !== null, `the ${posting.kind} transfer was recorded`);
  assertInvariant(moved.lots === (newLot ? 1 : 0), `the ${posting.kind} transfer's new lot was created`);
  assertInvariant(moved.earns <= (posting.earn ? 1 : 0), `the ${posting.kind} transfer recorded at most its own purchase`);
  const transfer = Object.assign(new TransferRow(), {
    id: transferId,
    kind: posting.kind,
    fromAccountId: moved.from_account_id!,
    toAccountId: moved.to_account_id!,
    points: String(points),
    memberId,
    counterpartyMemberId,
    partnerId: posting.partnerId ?? null,
    reference: posting.reference ?? null,
    reason: posting.reason ?? null,
    createdBy: posting.createdBy,
    createdAt: moved.created_at,
  });
  return { transfer, lotId, earnRecorded: moved.earns === 1 };
}

function describe(kind: AccountKind): string {
  return kind === 'MEMBER_PENDING' ? 'pending' : kind === 'MEMBER_RESERVED' ? 'reserved' : 'available';
}

/**
 * Opens the accounts at zero where they do not exist yet (their first use). A statement of its own:
 * when two transactions open the same account at once, the loser's INSERT waits and does nothing,
 * and only a later statement (a fresh snapshot, the move run again) sees the winner's row.
 */
async function openAccounts(manager: EntityManager, accounts: readonly AccountRef[], memberId: string): Promise<void> {
  await preparedQuery(
    manager,
    `INSERT INTO accounts (id, kind, owner_id, shard) SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::smallint[])
     ON CONFLICT (kind, owner_id, shard) DO NOTHING`,
    [
      accounts.map(() => randomUUID()),
      accounts.map((a) => a.kind),
      accounts.map((a) => a.ownerId),
      accounts.map((a) => shardOf(a, memberId)),
    ],
  );
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
  // Plain SQL, not the query builder: it runs on every write, and building the query and mapping
  // the entity cost more CPU than the statement.
  const rows = (await preparedQuery(
    manager,
    `SELECT id, display_name, email, phone_e164, phone_verified_at, enrolled_via_partner_id, enrolled_at, tier,
            clawback_debt_points, last_event_sequence
       FROM members WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [ids],
  )) as MemberColumns[];
  const byId = new Map(rows.map((row) => [row.id, memberRowOf(row)]));
  for (const id of ids) if (!byId.has(id)) throw notFound(`No member with id ${id}`);
  return byId;
}

interface MemberColumns {
  id: string;
  display_name: string;
  email: string;
  phone_e164: string | null;
  phone_verified_at: Date | null;
  enrolled_via_partner_id: string;
  enrolled_at: Date;
  tier: string;
  clawback_debt_points: string;
  last_event_sequence: number;
}

function memberRowOf(row: MemberColumns): MemberRow {
  return Object.assign(new MemberRow(), {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    phoneE164: row.phone_e164,
    phoneVerifiedAt: row.phone_verified_at,
    enrolledViaPartnerId: row.enrolled_via_partner_id,
    enrolledAt: row.enrolled_at,
    tier: row.tier,
    clawbackDebtPoints: row.clawback_debt_points,
    lastEventSequence: row.last_event_sequence,
  });
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
  await preparedQuery(
    manager,
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
  const lots = (await preparedQuery(
    manager,
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
    await preparedQuery(manager, 'UPDATE lots SET points_remaining = points_remaining - $2 WHERE id = $1', [lot.id, take]);
    taken.push({ lotId: lot.id, points: take, expiresAt: lot.expires_at, originPartnerId: lot.origin_partner_id });
    left -= take;
  }
  assertInvariant(left === 0, `member ${memberId}'s lots cover the ${points} points debited from the account`);
  return taken;
}

async function returnToLots(manager: EntityManager, takes: readonly { lotId: string; points: number }[]): Promise<void> {
  for (const take of takes) {
    await preparedQuery(manager, 'UPDATE lots SET points_remaining = points_remaining + $2 WHERE id = $1', [take.lotId, take.points]);
  }
}

/**
 * Repays clawback debt from the member's lots, as soon as a credit gave it some (called by
 * checkedBalances, which has just read both); returns the points repaid. Available points
 * (lots - debt) do not move.
 */
async function repayDebt(manager: EntityManager, memberId: string, debt: number, lots: number): Promise<number> {
  const repay = Math.min(debt, lots);
  if (repay <= 0) return 0;
  await takeFromLots(manager, memberId, repay, []);
  await preparedQuery(manager, 'UPDATE members SET clawback_debt_points = clawback_debt_points - $2 WHERE id = $1', [memberId, repay]);
  return repay;
}

async function addDebt(manager: EntityManager, memberId: string, points: number): Promise<void> {
  await preparedQuery(manager, 'UPDATE members SET clawback_debt_points = clawback_debt_points + $2 WHERE id = $1', [memberId, points]);
}

// ---------------------------------------------------------------------------------------------
// Events (invariant 6): appended in the transaction of the transfer they report.

/**
 * The member's balances after a posting, read with its lots, its debt and (for an earn) its points
 * earned in the same statement, so the posting can repay debt where it credited the member (only
 * then another round trip: a member with debt is rare), assert what must hold after every posting
 * (available = lots remaining - clawback debt, nothing pending or reserved below zero) and check
 * the per-member limit (checkMemberLimits). Read as bigint, not int: a figure past the limit must
 * reach the check, not overflow in the query.
 */
async function checkedBalances(
  manager: EntityManager,
  memberId: string,
  posting: Posting,
  earnRecorded: boolean,
): Promise<{ balance: MemberBalances; debtRepaid: number }> {
  const raised = raisedFigures(posting, memberId);
  const [row] = (await preparedQuery(
    manager,
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
  const credited = posting.to.kind === 'MEMBER' && posting.to.ownerId === memberId;
  const debtRepaid = credited ? await repayDebt(manager, memberId, Number(row.debt), Number(row.lots)) : 0;
  const lots = Number(row.lots) - debtRepaid;
  const debt = Number(row.debt) - debtRepaid;
  assertInvariant(
    available === lots - debt,
    `member ${memberId}'s available points (${available}) equal its lots (${lots}) less its debt (${debt})`,
  );
  assertInvariant(pending >= 0 && reserved >= 0, `member ${memberId}'s pending and reserved points are not negative`);
  // An earn straight to MEMBER counts in full: its row, POSTED, is in the earns table when the move
  // recorded it, and is added here when it did not (its receipt already earned: the caller refuses
  // it, but the figures stay exact). An earn to MEMBER_PENDING is already in `pending` (the pending
  // account holds exactly the pending earns).
  const unrecorded = posting.to.kind === 'MEMBER' && !earnRecorded ? posting.points : 0;
  const earned = raised.earned ? Number(row.posted_earned) + pending + unrecorded : 0;
  checkMemberLimits(posting, memberId, raised, { held: lots + pending + reserved, debt, earned });
  return { balance: { availablePoints: available, pendingPoints: pending, reservedPoints: reserved }, debtRepaid };
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
  const [row] = (await preparedQuery(
    manager,
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
