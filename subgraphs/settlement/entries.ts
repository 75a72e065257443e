import type { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../../shared/database';
import { assertInvariant } from '../../shared/errors';
import { readLedgerEvent, type BalanceChangedPayload, type TransferKind } from '../../shared/ledgerEvents';
import type { PublishedEvent } from '../../shared/outbox';
import { bookingPeriods, lockPeriods, type PeriodCalendar, type PeriodRow } from './periods';
import { contractsInForce } from './settlement';

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
 * replay, a duplicate delivery or two replicas consuming at once change nothing. The batch is
 * booked as a set: its periods looked up once per period, its contracts read in one statement, its
 * entries (and their flows) inserted in one.
 */
export async function countLedgerEvents(
  dataSource: DataSource,
  events: readonly PublishedEvent[],
  calendar: PeriodCalendar,
): Promise<{ position: bigint; partnerIds: Set<string> }> {
  let partnerIds = new Set<string>();
  const position = await dataSource.transaction(async (manager) => {
    await lockPeriods(manager);
    const [checkpoint] = await preparedQuery<{ position: string }>(
      manager,
      `SELECT position::text AS position FROM feed_checkpoints WHERE feed = 'ledger' FOR UPDATE`,
      [],
    );
    assertInvariant(checkpoint, 'the ledger feed has a checkpoint');
    let position = BigInt(checkpoint.position);
    const counted: CountedEvent[] = [];
    for (const event of events) {
      const eventPosition = BigInt(event.position);
      if (eventPosition <= position) continue;
      position = eventPosition;
      const ledgerEvent = readLedgerEvent(event.type, event.payload);
      if (ledgerEvent?.type !== 'balance.changed') continue;
      const countedEvent = countedAs(event, ledgerEvent.payload);
      if (countedEvent) counted.push(countedEvent);
    }
    partnerIds = await bookEntries(manager, counted, calendar);
    await preparedQuery(manager, `UPDATE feed_checkpoints SET position = $1 WHERE feed = 'ledger'`, [position.toString()]);
    return position;
  });
  return { position, partnerIds };
}

/** An event that becomes an entry, with what its booking and pricing depend on. */
interface CountedEvent {
  event: PublishedEvent;
  payload: BalanceChangedPayload;
  settlement: SettlementOfTransfer;
  occurredAt: Date;
  /** A claim's earn: when its purchase was. */
  effectiveAt: Date | null;
  /** The partner whose contract prices it, and the instant the price is taken at; null when unpriced. */
  priced: { partnerId: string; at: Date } | null;
}

/** How an event counts (settlementOf), or null when it moves nothing settlement books. */
function countedAs(event: PublishedEvent, payload: BalanceChangedPayload): CountedEvent | null {
  const memberCredited = payload.availableDelta + payload.pendingDelta + payload.reservedDelta > 0;
  const settlement = settlementOf(payload.kind, memberCredited, payload.reversesKind);
  if (!settlement) return null;
  // The ledger moves only positive points (a CHECK on its transfers); anything else would price a
  // statement line from a figure the ledger never recorded.
  assertInvariant(payload.points > 0, `event ${event.id} (${payload.kind}) moves a positive whole number of points`);
  const occurredAt = new Date(event.occurredAt);
  let priced: CountedEvent['priced'] = null;
  if (settlement.priced) {
    const partnerId = payload.partnerId;
    assertInvariant(partnerId, `event ${event.id} (${payload.kind}) names the partner it happened at`);
    // A reversal is priced exactly like the event it reverses, whatever contract is in force later
    // (events written before reversals said so are priced as of their own time).
    priced = { partnerId, at: payload.reversesEventAt ? new Date(payload.reversesEventAt) : occurredAt };
  }
  return { event, payload, settlement, occurredAt, effectiveAt: payload.effectiveAt ? new Date(payload.effectiveAt) : null, priced };
}

/**
 * Books a batch's counted events, in its transaction (under the periods lock): one entry each,
 * unless one exists for the event already; returns the partners whose positions they changed.
 */
async function bookEntries(manager: EntityManager, counted: readonly CountedEvent[], calendar: PeriodCalendar): Promise<Set<string>> {
  const partnerIds = new Set<string>();
  if (counted.length === 0) return partnerIds;
  // A late earn (a claim confirmed days after its purchase) counts in the purchase's period while
  // that is open; once it is closed, in the next open one, late: a closed statement never changes.
  // Its price and its place in reconciliation stay with the event's own time, as the ledger's do.
  const bookingPeriod = bookingPeriods(manager, calendar);
  const bookings: { period: PeriodRow; late: boolean }[] = [];
  for (const { occurredAt, effectiveAt } of counted) bookings.push(await bookingPeriod(effectiveAt ?? occurredAt));
  const pricedAt = counted.flatMap(({ priced }) => (priced ? [priced.at.getTime()] : []));
  const contractAt =
    pricedAt.length === 0
      ? null
      : await contractsInForce(
          manager,
          counted.flatMap(({ priced }) => (priced ? [priced.partnerId] : [])),
          new Date(Math.min(...pricedAt)),
          new Date(Math.max(...pricedAt)),
        );
  const rows = counted.map(({ event, payload, settlement, occurredAt, effectiveAt, priced }, i) => {
    const contract = priced ? contractAt!(priced.partnerId, priced.at) : null;
    assertInvariant(
      !priced || contract,
      `partner ${priced?.partnerId} had a contract in force when event ${event.id} (or the one it reverses) happened`,
    );
    const priceMicrosPerPoint = !contract
      ? 0
      : settlement.priced === 'redemptionValue'
        ? contract.redemptionValueMicrosPerPoint
        : contract.issuePriceMicrosPerPoint;
    const { period, late } = bookings[i]!;
    return {
      event,
      payload,
      settlement,
      partnerId: priced?.partnerId ?? null,
      periodId: period.id,
      late,
      contract,
      priceMicrosPerPoint,
      occurredAt,
      effectiveAt,
    };
  });
  const inserted = await preparedQuery<{ event_id: string }>(
    manager,
    `INSERT INTO settlement_entries
       (event_id, event_position, period_id, late, partner_id, contract_id, kind, points, price_micros_per_point, currency, occurred_at, member_id,
        effective_at)
     SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::boolean[], $5::uuid[], $6::uuid[], $7::text[], $8::bigint[], $9::integer[],
                          $10::text[], $11::timestamptz[], $12::uuid[], $13::timestamptz[])
     ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    [
      rows.map((row) => row.event.id),
      rows.map((row) => row.event.position),
      rows.map((row) => row.periodId),
      rows.map((row) => row.late),
      rows.map((row) => row.partnerId),
      rows.map((row) => row.contract?.id ?? null),
      rows.map((row) => row.settlement.entry),
      rows.map((row) => row.payload.points),
      rows.map((row) => row.priceMicrosPerPoint),
      rows.map((row) => row.contract?.currency ?? null),
      rows.map((row) => row.occurredAt),
      rows.map((row) => row.event.memberId),
      rows.map((row) => row.effectiveAt),
    ],
  );
  const insertedIds = new Set(inserted.map((row) => row.event_id));
  const flows: { eventId: string; periodId: string; issuerPartnerId: string | null; redeemerPartnerId: string; points: number }[] = [];
  for (const { event, payload, settlement, partnerId, periodId } of rows) {
    if (!insertedIds.has(event.id.toLowerCase())) continue;
    if (!partnerId) continue;
    partnerIds.add(partnerId);
    const origins = payload.origins;
    if (!origins) continue;
    // The ledger takes spent points from lots and reports each lot's issuer; together they are all
    // the points spent, or the flow matrix would not add up to the redemptions.
    assertInvariant(
      origins.reduce((total, origin) => total + origin.points, 0) === payload.points,
      `the origins of event ${event.id} add up to its ${payload.points} points`,
    );
    for (const origin of origins) {
      flows.push({
        eventId: event.id,
        periodId,
        issuerPartnerId: origin.partnerId,
        redeemerPartnerId: partnerId,
        points: settlement.sign * origin.points,
      });
    }
  }
  if (flows.length > 0) {
    await preparedQuery(
      manager,
      `INSERT INTO settlement_flows (event_id, period_id, issuer_partner_id, redeemer_partner_id, points)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::bigint[])`,
      [
        flows.map((flow) => flow.eventId),
        flows.map((flow) => flow.periodId),
        flows.map((flow) => flow.issuerPartnerId),
        flows.map((flow) => flow.redeemerPartnerId),
        flows.map((flow) => flow.points),
      ],
    );
  }
  return partnerIds;
}

/** The position of the last ledger event counted: the feed reads after it. */
export async function ledgerCheckpoint(dataSource: DataSource): Promise<bigint> {
  const [row] = (await dataSource.query(`SELECT position::text AS position FROM feed_checkpoints WHERE feed = 'ledger'`)) as {
    position: string;
  }[];
  return BigInt(row?.position ?? 0);
}
