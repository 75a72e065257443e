import type { DataSource } from 'typeorm';
import { requireOperator } from '../../shared/access';
import { assertInvariant } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import type { SettlementDeps } from './context';
import { ENTRY_KINDS, ledgerCheckpoint, SETTLEMENT_BY_ENTRY, type EntryKind } from './entries';
import { periodById, type PeriodRow } from './periods';

/**
 * The settlement domain core, stage four: the coalition's books for the points float, the points
 * members hold. Settlement's own count of every movement (issued, reversed, bonuses and their
 * reversals, redeemed, expired, granted and debited by the operator) carries the float from one period to the next; the ledger's
 * accounts, read as of the same event position, must hold exactly that float. Two independent
 * records of the same points: a finance team signs off a period when they agree.
 */

export interface BooksView {
  period: PeriodRow;
  /** Both sides count the events published up to here that happened before the period's end. */
  asOfEventPosition: bigint;
  /** Points members held when the period began: every movement counted before it, summed. */
  openingFloatPoints: bigint;
  issuedPoints: bigint;
  reversedPoints: bigint;
  /** Campaigns' bonus points, funded by partners. */
  bonusPoints: bigint;
  /** Bonus points refunds took back. */
  bonusReversedPoints: bigint;
  /** Redeemed less what cancelled redemptions gave back. */
  redeemedPoints: bigint;
  breakagePoints: bigint;
  grantedPoints: bigint;
  debitedPoints: bigint;
  /** opening + issued - reversed + bonus - bonus reversed - redeemed - breakage + granted - debited. */
  closingFloatPoints: bigint;
  /** Points granted by the operator that members redeemed at partners in the period: no partner issued them. */
  grantedPointsRedeemed: bigint;
  /** From the ledger: members' available (net of clawback debt) and reserved points. */
  ledgerFloatPoints: bigint;
  /** From the ledger: what members owe from clawbacks of points already spent. */
  clawbackDebtPoints: bigint;
  /** closingFloatPoints less ledgerFloatPoints: zero when the books close. */
  differencePoints: bigint;
  balanced: boolean;
}

/**
 * The books of one period, by when events happened (like reconciliation: a late event counts for
 * its own period, wherever it was booked), after the feed caught up. Operator only.
 */
export async function booksOf(
  dataSource: DataSource,
  caller: Caller,
  periodId: string,
  ledgerFloat: SettlementDeps['ledgerFloat'],
  catchUp: () => Promise<void>,
): Promise<BooksView> {
  requireOperator(caller, 'read the books');
  await catchUp();
  const period = await periodById(dataSource.manager, periodId);
  const asOfEventPosition = await ledgerCheckpoint(dataSource);
  const rows = (await dataSource.query(
    `SELECT kind, coalesce(sum(points) FILTER (WHERE occurred_at < $1), 0)::text AS before,
            coalesce(sum(points) FILTER (WHERE occurred_at >= $1), 0)::text AS within
       FROM settlement_entries WHERE occurred_at < $2 AND event_position <= $3 GROUP BY kind`,
    [period.starts_at, period.ends_at, asOfEventPosition.toString()],
  )) as { kind: EntryKind; before: string; within: string }[];
  const before = new Map<EntryKind, bigint>(ENTRY_KINDS.map((kind) => [kind, 0n]));
  const within = new Map<EntryKind, bigint>(ENTRY_KINDS.map((kind) => [kind, 0n]));
  for (const row of rows) {
    assertInvariant(before.has(row.kind), `settlement entries of kind ${row.kind} are an entry kind`);
    before.set(row.kind, BigInt(row.before));
    within.set(row.kind, BigInt(row.within));
  }
  // The float moves by each kind's sign in the one table that counted them (entries.ts).
  const floatOf = (points: Map<EntryKind, bigint>) =>
    ENTRY_KINDS.reduce((float, kind) => float + BigInt(SETTLEMENT_BY_ENTRY.get(kind)!.floatSign) * points.get(kind)!, 0n);
  const openingFloatPoints = floatOf(before);
  const closingFloatPoints = openingFloatPoints + floatOf(within);

  const [granted] = (await dataSource.query(
    `SELECT coalesce(sum(f.points), 0)::text AS points FROM settlement_flows f JOIN settlement_entries e ON e.event_id = f.event_id
      WHERE f.issuer_partner_id IS NULL AND e.occurred_at >= $1 AND e.occurred_at < $2 AND e.event_position <= $3`,
    [period.starts_at, period.ends_at, asOfEventPosition.toString()],
  )) as { points: string }[];
  const ledger = await ledgerFloat(asOfEventPosition, period.ends_at);
  const ledgerFloatPoints = BigInt(ledger.floatPoints);
  const differencePoints = closingFloatPoints - ledgerFloatPoints;
  return {
    period,
    asOfEventPosition,
    openingFloatPoints,
    issuedPoints: within.get('ISSUANCE')!,
    reversedPoints: within.get('REVERSAL')!,
    bonusPoints: within.get('BONUS')!,
    bonusReversedPoints: within.get('BONUS_REVERSAL')!,
    redeemedPoints: within.get('REDEMPTION')! - within.get('REDEMPTION_REVERSAL')!,
    breakagePoints: within.get('BREAKAGE')!,
    grantedPoints: within.get('GRANT')!,
    debitedPoints: within.get('DEBIT')!,
    closingFloatPoints,
    grantedPointsRedeemed: BigInt(granted!.points),
    ledgerFloatPoints,
    clawbackDebtPoints: BigInt(ledger.clawbackDebtPoints),
    differencePoints,
    balanced: differencePoints === 0n,
  };
}
