import type { DataSource } from 'typeorm';
import { partnerScope, requireOperator } from '../../shared/access';
import { assertInvariant, badInput } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import { TRANSFER_KINDS, type TransferKind } from '../../shared/ledgerEvents';
import { ledgerCheckpoint, RECONCILED_KINDS, SETTLEMENT_BY_ENTRY, settlementOf, type EntryKind, type ReconciledKind } from './entries';
import type { SettlementDeps } from './context';
import { periodById, type PeriodRow } from './periods';
import {
  accountsFor,
  MONEY_LINE_FIELDS,
  settlementCurrencies,
  statementMoneyLines,
  statementSignedNetMinor,
  type MoneyLines,
  type PartnerAccount,
  type StatementRow,
} from './statements';

/**
 * The settlement domain core, stage three: checking the books. Reconciliation sets settlement's
 * counts beside the ledger's, kind by kind, through the same table that counted them
 * (SETTLEMENT_BY_TRANSFER in entries.ts); the flow matrix shows whose points were spent where.
 */

const isTransferKind = (kind: string): kind is TransferKind => (TRANSFER_KINDS as readonly string[]).includes(kind);

/** The coalition's money in one currency for one period, in its minor units. */
export interface ReconciliationMoney {
  currency: string;
  issuedLessReversedMinor: bigint;
  /** What funders owe for their campaigns' bonus points, less what refunds took back. */
  bonusLessReversedMinor: bigint;
  redeemedMinor: bigint;
  coalitionMarginMinor: bigint;
  partnerNetsMinor: bigint;
}

export interface ReconciliationView {
  period: PeriodRow;
  lines: { kind: ReconciledKind; ledgerPoints: bigint; settlementPoints: bigint; differencePoints: bigint }[];
  balanced: boolean;
  asOfEventPosition: bigint;
  /** One entry per currency partners settled anything in during the period, by currency code. */
  money: ReconciliationMoney[];
  breakagePoints: bigint;
}

/**
 * The period's money as one figure set, for the fields that predate several currencies: zeros for
 * a period without money, the one currency's figures, and BAD_USER_INPUT when there are several
 * (money has them apart; amounts in different currencies never add up).
 */
export function singleCurrencyMoney(view: ReconciliationView): Omit<ReconciliationMoney, 'currency'> {
  if (view.money.length > 1) {
    throw badInput(`Partners settled in several currencies this period (${view.money.map((m) => m.currency).join(', ')}); read money`);
  }
  return (
    view.money[0] ?? {
      issuedLessReversedMinor: 0n,
      bonusLessReversedMinor: 0n,
      redeemedMinor: 0n,
      coalitionMarginMinor: 0n,
      partnerNetsMinor: 0n,
    }
  );
}

/**
 * Settlement beside the ledger for the events that happened in a period (wherever settlement
 * booked them: a late event counts for the period it happened in), after the feed caught up. The
 * money view sums the partners' statements (positions while open): what partners owe for points
 * issued and bonuses funded, each less reversed, less what the coalition owes for redemptions, is
 * the coalition's margin, and equals the sum of the partners' signed nets.
 */
export async function reconcile(
  dataSource: DataSource,
  caller: Caller,
  periodId: string,
  ledgerTotals: SettlementDeps['ledgerTotals'],
  catchUp: () => Promise<void>,
): Promise<ReconciliationView> {
  requireOperator(caller, 'reconcile settlement');
  await catchUp();
  const period = await periodById(dataSource.manager, periodId);
  // Both sides as of the events settlement has read: anything published later is in neither.
  const asOfEventPosition = await ledgerCheckpoint(dataSource);
  const ledger = new Map<ReconciledKind, bigint>(RECONCILED_KINDS.map((k) => [k, 0n]));
  for (const total of await ledgerTotals(period.starts_at, period.ends_at, asOfEventPosition)) {
    // A kind outside the contract would be points settlement silently never counts.
    assertInvariant(isTransferKind(total.kind), `the ledger's totals name transfer kinds of the contract, not ${total.kind}`);
    const settlement = settlementOf(total.kind, total.memberCredited);
    if (settlement) {
      ledger.set(settlement.reconciledAs, ledger.get(settlement.reconciledAs)! + BigInt(settlement.sign) * BigInt(total.points));
    }
  }
  const counted = (await dataSource.query(
    `SELECT kind, sum(points)::text AS points FROM settlement_entries
      WHERE occurred_at >= $1 AND occurred_at < $2 AND event_position <= $3 GROUP BY kind`,
    [period.starts_at, period.ends_at, asOfEventPosition.toString()],
  )) as { kind: EntryKind; points: string }[];
  const settlement = new Map<ReconciledKind, bigint>(RECONCILED_KINDS.map((k) => [k, 0n]));
  for (const row of counted) {
    const entry = SETTLEMENT_BY_ENTRY.get(row.kind);
    assertInvariant(entry, `settlement entries of kind ${row.kind} come from a transfer kind settlement counts`);
    settlement.set(entry.reconciledAs, settlement.get(entry.reconciledAs)! + BigInt(entry.sign) * BigInt(row.points));
  }
  const lines = RECONCILED_KINDS.map((kind) => ({
    kind,
    ledgerPoints: ledger.get(kind)!,
    settlementPoints: settlement.get(kind)!,
    differencePoints: settlement.get(kind)! - ledger.get(kind)!,
  }));

  let accounts: (MoneyLines & Pick<PartnerAccount, 'signedNetMinor' | 'currency'>)[];
  if (period.status === 'CLOSED') {
    const statements = (await dataSource.query('SELECT * FROM settlement_statements WHERE period_id = $1', [period.id])) as StatementRow[];
    accounts = statements.map((s) => ({ currency: s.currency, ...statementMoneyLines(s), signedNetMinor: statementSignedNetMinor(s) }));
  } else {
    const partners = (await dataSource.query('SELECT id FROM partners')) as { id: string }[];
    const currencies = await settlementCurrencies(
      dataSource.manager,
      partners.map((p) => p.id),
    );
    accounts = await accountsFor(
      dataSource.manager,
      period.id,
      [...currencies].map(([id, currency]) => ({ id, currency })),
    );
  }
  // Points reconcile whatever the currencies; money reconciles per currency, over the partners that
  // settled anything in the period (an idle partner's currency is no reason to refuse a period).
  const byCurrency = new Map<string, typeof accounts>();
  for (const account of accounts) {
    if (MONEY_LINE_FIELDS.every((field) => account[field] === 0n)) continue;
    byCurrency.set(account.currency, [...(byCurrency.get(account.currency) ?? []), account]);
  }
  const money = [...byCurrency]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, inCurrency]): ReconciliationMoney => {
      const total = (pick: (a: (typeof accounts)[number]) => bigint) => inCurrency.reduce((sum, a) => sum + pick(a), 0n);
      const issuedLessReversedMinor = total((a) => a.issuedAmountMinor - a.reversedAmountMinor);
      const bonusLessReversedMinor = total((a) => a.bonusAmountMinor - a.bonusReversedAmountMinor);
      const redeemedMinor = total((a) => a.redeemedAmountMinor);
      return {
        currency,
        issuedLessReversedMinor,
        bonusLessReversedMinor,
        redeemedMinor,
        coalitionMarginMinor: issuedLessReversedMinor + bonusLessReversedMinor - redeemedMinor,
        partnerNetsMinor: total((a) => a.signedNetMinor),
      };
    });
  return {
    period,
    lines,
    asOfEventPosition,
    balanced: lines.every((l) => l.differencePoints === 0n) && money.every((m) => m.coalitionMarginMinor === m.partnerNetsMinor),
    money,
    breakagePoints: settlement.get('BREAKAGE')!,
  };
}

/** Points issued at one partner and redeemed at another in a period (negative for refunds). */
export interface PointsFlowRow {
  /** Null for points the operator granted. */
  issuerPartnerId: string | null;
  redeemerPartnerId: string;
  points: string;
}

/**
 * The period's flow matrix: for the operator all of it, for a partner the flows it is part of
 * (as issuer or as redeemer), since what its customers spend elsewhere is its business too.
 */
export async function pointsFlows(dataSource: DataSource, caller: Caller, periodId: string): Promise<PointsFlowRow[]> {
  const scope = partnerScope(caller, 'read points flows');
  const period = await periodById(dataSource.manager, periodId);
  return dataSource.query(
    `SELECT issuer_partner_id AS "issuerPartnerId", redeemer_partner_id AS "redeemerPartnerId", sum(points)::text AS points
       FROM settlement_flows WHERE period_id = $1 AND ($2::uuid IS NULL OR issuer_partner_id = $2 OR redeemer_partner_id = $2)
      GROUP BY issuer_partner_id, redeemer_partner_id HAVING sum(points) <> 0
      ORDER BY issuer_partner_id NULLS LAST, redeemer_partner_id`,
    [period.id, scope],
  );
}
