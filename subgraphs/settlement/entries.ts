import type { DataSource, EntityManager } from 'typeorm';
import { assertInvariant } from '../../shared/errors';
import { readLedgerEvent, type BalanceChangedPayload, type TransferKind } from '../../shared/ledgerEvents';
import type { PublishedEvent } from '../../shared/outbox';
import { bookingPeriod, lockPeriods, type PeriodCalendar } from './periods';
import { contractInForce } from './settlement';

/**
 * The settlement domain core, stage one: counting. Ledger events become entries, each counted once
 * in the period it happened in (or, late, in the next open one), and redemptions become flows
 * between the partner that issued the points and the one that took them back. The feed's
 * checkpoint lives here too, since it moves in the same transaction as the entries it covers.
 */

/**
 * What settlement books an event as: money between a partner and the coalition (issuance, its
 * reversal, a campaign's bonus and its reversal, redemption and its refund), or the coalition's
 * own points (breakage, and the operator's grants and debits), which move no money but change the
 * points float.
 */
export type EntryKind =
  'ISSUANCE' | 'REVERSAL' | 'BONUS' | 'BONUS_REVERSAL' | 'REDEMPTION' | 'REDEMPTION_REVERSAL' | 'BREAKAGE' | 'GRANT' | 'DEBIT';
export const ENTRY_KINDS: readonly EntryKind[] = [
  'ISSUANCE',
  'REVERSAL',
  'BONUS',
  'BONUS_REVERSAL',
  'REDEMPTION',
  'REDEMPTION_REVERSAL',
  'BREAKAGE',
  'GRANT',
  'DEBIT',
];

/**
 * What reconciliation adds up: the entry kinds, refunds of redemptions netted into REDEMPTION,
 * grants less debits, and every reversal (of an earn or of a bonus) in REVERSAL, as the ledger
 * records them (a REVERSAL or CLAWBACK transfer either way).
 */
export type ReconciledKind = 'ISSUANCE' | 'BONUS' | 'REVERSAL' | 'REDEMPTION' | 'BREAKAGE' | 'ADJUSTMENT';
export const RECONCILED_KINDS: readonly ReconciledKind[] = ['ISSUANCE', 'BONUS', 'REVERSAL', 'REDEMPTION', 'BREAKAGE', 'ADJUSTMENT'];

export interface SettlementOfTransfer {
  entry: EntryKind;
  /** The reconciliation line the entry adds to (sign 1) or subtracts from (sign -1). */
  reconciledAs: ReconciledKind;
  /** -1 for refunds of redemptions and debits: they subtract in reconciliation (and refunds' flows are negative). */
  sign: 1 | -1;
  /** The contract price it is worth, or null for the coalition's own points (no partner, no money). */
  priced: 'issuePrice' | 'redemptionValue' | null;
  /** What it does to the points float, the points members hold: issued and granted points add to it, the rest take from it. */
  floatSign: 1 | -1;
}

/** A transfer kind that moves a member's points either way, counted by the way it went (an adjustment grants or debits). */
export interface SettlementByDirection {
  memberCredited: SettlementOfTransfer;
  memberDebited: SettlementOfTransfer;
}

const ISSUANCE: SettlementOfTransfer = { entry: 'ISSUANCE', reconciledAs: 'ISSUANCE', sign: 1, priced: 'issuePrice', floatSign: 1 };
const REVERSAL: SettlementOfTransfer = { entry: 'REVERSAL', reconciledAs: 'REVERSAL', sign: 1, priced: 'issuePrice', floatSign: -1 };
/** A campaign's bonus: issued by its funder (the event's partnerId), billed at the funder's issue price on a line of its own. */
const BONUS: SettlementOfTransfer = { entry: 'BONUS', reconciledAs: 'BONUS', sign: 1, priced: 'issuePrice', floatSign: 1 };
/**
 * A refund taking back a bonus (a REVERSAL or CLAWBACK whose event says it reverses a BONUS): the
 * funder's bonus line is credited. The ledger records it as the reversal it is, so reconciliation
 * counts it with the other reversals.
 */
const BONUS_REVERSAL: SettlementOfTransfer = {
  entry: 'BONUS_REVERSAL',
  reconciledAs: 'REVERSAL',
  sign: 1,
  priced: 'issuePrice',
  floatSign: -1,
};
const REDEMPTION: SettlementOfTransfer = {
  entry: 'REDEMPTION',
  reconciledAs: 'REDEMPTION',
  sign: 1,
  priced: 'redemptionValue',
  floatSign: -1,
};

/**
 * How settlement counts each ledger transfer kind, the one table counting, reconciliation and the
 * books read. A total record, so a new transfer kind in shared/ledgerEvents.ts does not compile
 * until someone decides here what it is worth. Points are issued when they become the member's (an
 * immediate earn, or a pending one posted), reversed by refunds, redeemed when a reservation is
 * posted or points are paid at a point of sale, given back when a redemption is refunded, broken
 * when they expire, and granted or debited by the operator. Pending earns and their voiding,
 * holds, releases and gifts (null) move nothing between partners and the coalition, nor the float.
 */
export const SETTLEMENT_BY_TRANSFER: Record<TransferKind, SettlementOfTransfer | SettlementByDirection | null> = {
  EARN: ISSUANCE,
  EARN_PENDING: null,
  EARN_POST: ISSUANCE,
  EARN_VOID: null,
  REVERSAL,
  CLAWBACK: REVERSAL,
  RESERVE: null,
  REDEEM: REDEMPTION,
  RELEASE: null,
  REDEEM_REFUND: { entry: 'REDEMPTION_REVERSAL', reconciledAs: 'REDEMPTION', sign: -1, priced: 'redemptionValue', floatSign: 1 },
  BURN: REDEMPTION,
  TRANSFER: null,
  ADJUSTMENT: {
    memberCredited: { entry: 'GRANT', reconciledAs: 'ADJUSTMENT', sign: 1, priced: null, floatSign: 1 },
    memberDebited: { entry: 'DEBIT', reconciledAs: 'ADJUSTMENT', sign: -1, priced: null, floatSign: -1 },
  },
  BONUS,
  EXPIRY: { entry: 'BREAKAGE', reconciledAs: 'BREAKAGE', sign: 1, priced: null, floatSign: -1 },
};

/** Transfer kinds that undo an earlier transfer and are counted by what they undo (a bonus, or anything else). */
const REVERSALS_OF_BONUS: Partial<Record<TransferKind, SettlementOfTransfer>> = { REVERSAL: BONUS_REVERSAL, CLAWBACK: BONUS_REVERSAL };

/**
 * How a transfer counts, given which way it moved the member's points (which matters only for
 * adjustments) and, for one that undoes an earlier transfer, that transfer's kind (which matters
 * only for reversals of bonuses; the ledger's totals leave it out, counting every reversal alike).
 */
export function settlementOf(kind: TransferKind, memberCredited: boolean, reversesKind?: TransferKind): SettlementOfTransfer | null {
  if (reversesKind === 'BONUS' && REVERSALS_OF_BONUS[kind]) return REVERSALS_OF_BONUS[kind];
  const settlement = SETTLEMENT_BY_TRANSFER[kind];
  if (!settlement || 'entry' in settlement) return settlement;
  return memberCredited ? settlement.memberCredited : settlement.memberDebited;
}

/**
 * The same table seen from the entries (what reconciliation and the books read back from
 * settlement_entries). Built from SETTLEMENT_BY_TRANSFER, and two transfer kinds booked as one entry
 * kind must agree on how it counts, or the two sides of a reconciliation would add the same points
 * differently.
 */
export const SETTLEMENT_BY_ENTRY: ReadonlyMap<EntryKind, SettlementOfTransfer> = (() => {
  const byEntry = new Map<EntryKind, SettlementOfTransfer>();
  for (const counted of [...Object.values(SETTLEMENT_BY_TRANSFER), ...Object.values(REVERSALS_OF_BONUS)]) {
    if (!counted) continue;
    for (const settlement of 'entry' in counted ? [counted] : [counted.memberCredited, counted.memberDebited]) {
      const known = byEntry.get(settlement.entry);
      assertInvariant(
        !known ||
          (known.reconciledAs === settlement.reconciledAs &&
            known.sign === settlement.sign &&
            known.priced === settlement.priced &&
            known.floatSign === settlement.floatSign),
        `every transfer kind booked as ${settlement.entry} counts the same way`,
      );
      byEntry.set(settlement.entry, settlement);
    }
  }
  assertInvariant(byEntry.size === ENTRY_KINDS.length, 'every entry kind comes from a transfer kind');
  return byEntry;
})();

// ---------------------------------------------------------------------------------------------
// Counting ledger events

/**
 * Counts a batch of ledger events, each exactly once: in one transaction, under the periods lock
 * and the checkpoint's row lock, events at or before the checkpoint are skipped, each event becomes
 * at most one entry (unique event_id), and the checkpoint moves to the batch's last position. A
 * replay, a duplicate delivery or two replicas consuming at once change nothing.
 */
export async function countLedgerEvents(
  dataSource: DataSource,
  events: readonly PublishedEvent[],
  calendar: PeriodCalendar,
): Promise<{ position: bigint; partnerIds: Set<string> }> {
  const partnerIds = new Set<string>();
  const position = await dataSource.transaction(async (manager) => {
    await lockPeriods(manager);
    const [checkpoint] = (await manager.query(
      `SELECT position::text AS position FROM feed_checkpoints WHERE feed = 'ledger' FOR UPDATE`,
    )) as { position: string }[];
    assertInvariant(checkpoint, 'the ledger feed has a checkpoint');
    let position = BigInt(checkpoint.position);
    for (const event of events) {
      const eventPosition = BigInt(event.position);
      if (eventPosition <= position) continue;
      position = eventPosition;
      const ledgerEvent = readLedgerEvent(event.type, event.payload);
      if (ledgerEvent?.type === 'balance.changed') {
        const partnerId = await countEvent(manager, event, ledgerEvent.payload, calendar);
        if (partnerId) partnerIds.add(partnerId);
      }
    }
    await manager.query(`UPDATE feed_checkpoints SET position = $1 WHERE feed = 'ledger'`, [position.toString()]);
    return position;
  });
  return { position, partnerIds };
}

/** Books one event; returns the partner whose position it changed, if any. */
async function countEvent(
  manager: EntityManager,
  event: PublishedEvent,
  payload: BalanceChangedPayload,
  calendar: PeriodCalendar,
): Promise<string | null> {
  const memberCredited = payload.availableDelta + payload.pendingDelta + payload.reservedDelta > 0;
  const settlement = settlementOf(payload.kind, memberCredited, payload.reversesKind);
  if (!settlement) return null;
  const { entry: kind, sign } = settlement;
  // The ledger moves only positive points (a CHECK on its transfers); anything else would price a
  // statement line from a figure the ledger never recorded.
  assertInvariant(payload.points > 0, `event ${event.id} (${payload.kind}) moves a positive whole number of points`);
  const occurredAt = new Date(event.occurredAt);
  // A late earn (a claim confirmed days after its purchase) counts in the purchase's period while
  // that is open; once it is closed, in the next open one, late: a closed statement never changes.
  // Its price and its place in reconciliation stay with the event's own time, as the ledger's do.
  const effectiveAt = payload.effectiveAt ? new Date(payload.effectiveAt) : null;
  const { period, late } = await bookingPeriod(manager, effectiveAt ?? occurredAt, calendar);
  let partnerId: string | null = null;
  let contract = null;
  if (settlement.priced) {
    partnerId = payload.partnerId;
    assertInvariant(partnerId, `event ${event.id} (${payload.kind}) names the partner it happened at`);
    // A reversal is priced exactly like the event it reverses, whatever contract is in force later
    // (events written before reversals said so are priced as of their own time).
    const pricedAt = payload.reversesEventAt ? new Date(payload.reversesEventAt) : occurredAt;
    contract = await contractInForce(manager, partnerId, pricedAt);
    assertInvariant(contract, `partner ${partnerId} had a contract in force when event ${event.id} (or the one it reverses) happened`);
  }
  const priceMicrosPerPoint = !contract
    ? 0
    : settlement.priced === 'redemptionValue'
      ? contract.redemptionValueMicrosPerPoint
      : contract.issuePriceMicrosPerPoint;
  const inserted: unknown[] = await manager.query(
    `INSERT INTO settlement_entries
       (event_id, event_position, period_id, late, partner_id, contract_id, kind, points, price_micros_per_point, currency, occurred_at, member_id,
        effective_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (event_id) DO NOTHING RETURNING id`,
    [
      event.id,
      event.position,
      period.id,
      late,
      partnerId,
      contract?.id ?? null,
      kind,
      payload.points,
      priceMicrosPerPoint,
      contract?.currency ?? null,
      occurredAt,
      event.memberId,
      effectiveAt,
    ],
  );
  if (inserted.length === 0) return null;
  const origins = payload.origins;
  if (!origins || !partnerId) return partnerId;
  // The ledger takes spent points from lots and reports each lot's issuer; together they are all
  // the points spent, or the flow matrix would not add up to the redemptions.
  assertInvariant(
    origins.reduce((total, origin) => total + origin.points, 0) === payload.points,
    `the origins of event ${event.id} add up to its ${payload.points} points`,
  );
  for (const origin of origins) {
    await manager.query(
      `INSERT INTO settlement_flows (event_id, period_id, issuer_partner_id, redeemer_partner_id, points) VALUES ($1, $2, $3, $4, $5)`,
      [event.id, period.id, origin.partnerId, partnerId, sign * origin.points],
    );
  }
  return partnerId;
}

/** The position of the last ledger event counted: the feed reads after it. */
export async function ledgerCheckpoint(dataSource: DataSource): Promise<bigint> {
  const [row] = (await dataSource.query(`SELECT position::text AS position FROM feed_checkpoints WHERE feed = 'ledger'`)) as {
    position: string;
  }[];
  return BigInt(row?.position ?? 0);
}
