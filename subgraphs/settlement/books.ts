import type { DataSource, EntityManager } from 'typeorm';
import { auditOperatorAction } from '../../shared/audit';
import { assertInvariant, badInput, DomainError, forbidden, notFound } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import { pointsToMinor } from '../../shared/money';
import type { PublishedEvent } from '../../shared/outbox';
import { checkId } from '../../shared/validation';
import { bookingPeriod, lockPeriods, periodContaining, type PeriodLength, type PeriodRow } from './periods';
import { actor, checkCanReadPartnerAccounts, contractInForce, requireOperator } from './settlement';

/**
 * The settlement domain core, part two: the books. Ledger events become entries, each counted once
 * in the period it happened in (or, late, in the next open one); positions and frozen statements
 * are priced from them; reconciliation checks them against the ledger. The rules (DESIGN.md,
 * "Settlement rules"): integer minor units, integer micro-unit prices, each line rounded once,
 * half to even.
 */

export type SettlementDirection = 'PARTNER_PAYS' | 'PARTNER_RECEIVES' | 'EVEN';
type EntryKind = 'ISSUANCE' | 'REVERSAL' | 'REDEMPTION' | 'REDEMPTION_REVERSAL' | 'BREAKAGE';

/**
 * Ledger transfer kinds that settlement counts, and how: points are issued when they become the
 * member's (an immediate earn, or a pending one posted), reversed by refunds, redeemed when a
 * reservation is posted or points are paid at a point of sale, given back when a redemption is
 * cancelled, and broken when they expire. Holds, releases, gifts and adjustments move nothing
 * between partners and the coalition.
 */
const ENTRY_KIND_BY_TRANSFER: Partial<Record<string, EntryKind>> = {
  EARN: 'ISSUANCE',
  EARN_POST: 'ISSUANCE',
  REVERSAL: 'REVERSAL',
  CLAWBACK: 'REVERSAL',
  REDEEM: 'REDEMPTION',
  BURN: 'REDEMPTION',
  REDEEM_REFUND: 'REDEMPTION_REVERSAL',
  EXPIRY: 'BREAKAGE',
};

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
  length: PeriodLength,
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
      if (event.type === 'balance.changed') {
        const partnerId = await countEvent(manager, event, length);
        if (partnerId) partnerIds.add(partnerId);
      }
    }
    await manager.query(`UPDATE feed_checkpoints SET position = $1 WHERE feed = 'ledger'`, [position.toString()]);
    return position;
  });
  return { position, partnerIds };
}

/** Books one event; returns the partner whose position it changed, if any. */
async function countEvent(manager: EntityManager, event: PublishedEvent, length: PeriodLength): Promise<string | null> {
  const kind = ENTRY_KIND_BY_TRANSFER[String(event.payload.kind)];
  if (!kind) return null;
  const occurredAt = new Date(event.occurredAt);
  const points = Number(event.payload.points);
  const { period, late } = await bookingPeriod(manager, occurredAt, length);
  let partnerId: string | null = null;
  let contract = null;
  if (kind !== 'BREAKAGE') {
    partnerId = String(event.payload.partnerId);
    contract = await contractInForce(manager, partnerId, occurredAt);
    assertInvariant(contract, `partner ${partnerId} had a contract in force when event ${event.id} happened`);
  }
  const price = !contract
    ? 0
    : kind === 'REDEMPTION' || kind === 'REDEMPTION_REVERSAL'
      ? contract.redemptionValueMicrosPerPoint
      : contract.issuePriceMicrosPerPoint;
  const inserted: unknown[] = await manager.query(
    `INSERT INTO settlement_entries
       (event_id, event_position, period_id, late, partner_id, contract_id, kind, points, price_micros_per_point, currency, occurred_at, member_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (event_id) DO NOTHING RETURNING id`,
    [
      event.id,
      event.position,
      period.id,
      late,
      partnerId,
      contract?.id ?? null,
      kind,
      points,
      price,
      contract?.currency ?? null,
      occurredAt,
      event.memberId,
    ],
  );
  const origins = event.payload.origins as { partnerId: string | null; points: number }[] | undefined;
  if (inserted.length === 0) return null;
  if (!origins || !partnerId) return partnerId;
  const sign = kind === 'REDEMPTION_REVERSAL' ? -1 : 1;
  for (const origin of origins) {
    await manager.query(
      `INSERT INTO settlement_flows (event_id, period_id, issuer_partner_id, redeemer_partner_id, points) VALUES ($1, $2, $3, $4, $5)`,
      [event.id, period.id, origin.partnerId, partnerId, sign * origin.points],
    );
  }
  return partnerId;
}

export async function ledgerCheckpoint(dataSource: DataSource): Promise<bigint> {
  const [row] = (await dataSource.query(`SELECT position::text AS position FROM feed_checkpoints WHERE feed = 'ledger'`)) as {
    position: string;
  }[];
  return BigInt(row?.position ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Accounts: what a partner and the coalition owe each other for one period's entries

export interface PartnerAccount {
  partnerId: string;
  currency: string;
  pointsIssued: bigint;
  issuedAmountMinor: bigint;
  pointsReversed: bigint;
  reversedAmountMinor: bigint;
  pointsRedeemed: bigint;
  redeemedAmountMinor: bigint;
  /** Issued less reversed less redeemed: positive when the partner owes the coalition. */
  signedNetMinor: bigint;
  netAmountMinor: bigint;
  direction: SettlementDirection;
  lastEventPosition: bigint;
  lateEvents: number;
}

interface Line {
  partner_id: string;
  kind: EntryKind;
  points: string;
  micros: string;
  last_position: string;
  late: number;
}

/**
 * Partners' accounts for one period, in one query. Each line's amount is the exact sum of points x
 * price in micro-units (refunds of redemptions subtracted) rounded once to minor units.
 */
export async function accountsFor(
  manager: EntityManager,
  periodId: string,
  partners: readonly { id: string; currency: string }[],
): Promise<PartnerAccount[]> {
  const lines = (await manager.query(
    `SELECT partner_id, kind, sum(points)::text AS points, sum(points * price_micros_per_point)::text AS micros,
            max(event_position)::text AS last_position, count(*) FILTER (WHERE late)::int AS late
       FROM settlement_entries WHERE period_id = $1 AND partner_id = ANY($2::uuid[])
      GROUP BY partner_id, kind`,
    [periodId, partners.map((p) => p.id)],
  )) as Line[];
  return partners.map(({ id, currency }) => {
    const own = lines.filter((line) => line.partner_id === id);
    const sum = (kind: EntryKind, field: 'points' | 'micros') => BigInt(own.find((l) => l.kind === kind)?.[field] ?? 0);
    const minor = (micros: bigint) => pointsToMinor(micros, 1n, currency);
    const issuedAmountMinor = minor(sum('ISSUANCE', 'micros'));
    const reversedAmountMinor = minor(sum('REVERSAL', 'micros'));
    const redeemedAmountMinor = minor(sum('REDEMPTION', 'micros') - sum('REDEMPTION_REVERSAL', 'micros'));
    const signedNetMinor = issuedAmountMinor - reversedAmountMinor - redeemedAmountMinor;
    return {
      partnerId: id,
      currency,
      pointsIssued: sum('ISSUANCE', 'points'),
      issuedAmountMinor,
      pointsReversed: sum('REVERSAL', 'points'),
      reversedAmountMinor,
      pointsRedeemed: sum('REDEMPTION', 'points') - sum('REDEMPTION_REVERSAL', 'points'),
      redeemedAmountMinor,
      signedNetMinor,
      netAmountMinor: signedNetMinor < 0n ? -signedNetMinor : signedNetMinor,
      direction: signedNetMinor > 0n ? 'PARTNER_PAYS' : signedNetMinor < 0n ? 'PARTNER_RECEIVES' : 'EVEN',
      lastEventPosition: own.reduce((max, l) => (BigInt(l.last_position) > max ? BigInt(l.last_position) : max), 0n),
      lateEvents: own.reduce((total, l) => total + l.late, 0),
    };
  });
}

/** The period containing now (opening it if need be): where positions are read. */
export async function currentPeriod(dataSource: DataSource, length: PeriodLength): Promise<PeriodRow> {
  return dataSource.transaction(async (manager) => {
    await lockPeriods(manager);
    return periodContaining(manager, new Date(), length);
  });
}

/** Most periods one read returns. */
export const MAX_PERIODS_PER_READ = 100;

/** The latest periods, newest first, for partners and the operator (the period of now exists, even before its first event). */
export async function listPeriods(
  dataSource: DataSource,
  caller: Caller,
  first: number | null | undefined,
  length: PeriodLength,
): Promise<PeriodRow[]> {
  if (caller.kind !== 'partner') requireOperator(caller, 'list settlement periods');
  const limit = Math.min(Math.max(first ?? 12, 1), MAX_PERIODS_PER_READ);
  await currentPeriod(dataSource, length);
  return dataSource.query('SELECT id, starts_at, ends_at, status, closed_at FROM settlement_periods ORDER BY starts_at DESC LIMIT $1', [
    limit,
  ]);
}

/** Each partner's settlement currency: that of its latest contract. */
export async function settlementCurrencies(manager: EntityManager, partnerIds: readonly string[]): Promise<Map<string, string>> {
  const rows = (await manager.query(
    `SELECT DISTINCT ON (partner_id) partner_id, currency FROM contracts WHERE partner_id = ANY($1::uuid[]) ORDER BY partner_id, effective_from DESC`,
    [partnerIds],
  )) as { partner_id: string; currency: string }[];
  return new Map(rows.map((r) => [r.partner_id, r.currency]));
}

// ---------------------------------------------------------------------------------------------
// Closing a period

/**
 * Closes a period and freezes one statement per partner. First the feed catches up (`catchUp`), so
 * events published so far land in their own period; if the ledger cannot be reached the close goes
 * on, and what it could not read arrives later, booked late. Then, under the periods lock (no event is
 * booked meanwhile): the period ends at `closeAt` (entries that happened after it move to the next
 * period, which starts there), becomes CLOSED, and its statements are written. Later arrivals from
 * before `closeAt` are booked late in the next open period.
 */
export async function closePeriod(
  dataSource: DataSource,
  caller: Caller,
  input: { periodId: string; closeAt?: Date | string | null },
  length: PeriodLength,
  catchUp: () => Promise<void>,
): Promise<string> {
  requireOperator(caller, 'close settlement periods');
  const periodId = checkId(input.periodId, 'periodId');
  const requestedClose = input.closeAt ? new Date(input.closeAt) : null;
  if (requestedClose && Number.isNaN(requestedClose.getTime())) throw badInput('closeAt is not a valid instant');
  await catchUp().catch((error: Error) => console.error(`[settlement] closing without catching up: ${error.message}`));
  await dataSource.transaction(async (manager) => {
    await lockPeriods(manager);
    const [period] = (await manager.query('SELECT id, starts_at, ends_at, status FROM settlement_periods WHERE id = $1', [
      periodId,
    ])) as PeriodRow[];
    if (!period) throw notFound(`No settlement period with id ${periodId}`);
    if (period.status === 'CLOSED') throw new DomainError('PERIOD_CLOSED', 'The period is closed; its statements are frozen');
    const now = new Date();
    const closeAt = requestedClose ?? period.ends_at;
    if (!requestedClose && period.ends_at > now) {
      throw badInput(`The period runs until ${period.ends_at.toISOString()}; give closeAt to close it early`);
    }
    if (closeAt <= period.starts_at || closeAt > period.ends_at || closeAt > now) {
      throw badInput('closeAt must be after the period starts, no later than its end, and not in the future');
    }
    if (closeAt < period.ends_at) {
      const [next] = (await manager.query('SELECT id FROM settlement_periods WHERE starts_at = $1', [period.ends_at])) as { id: string }[];
      await manager.query('UPDATE settlement_periods SET ends_at = $2 WHERE id = $1', [period.id, closeAt]);
      const nextId = next
        ? (await manager.query('UPDATE settlement_periods SET starts_at = $2 WHERE id = $1 RETURNING id', [next.id, closeAt]), next.id)
        : (await periodContaining(manager, closeAt, length)).id;
      await manager.query(
        'UPDATE settlement_flows f SET period_id = $3 FROM settlement_entries e WHERE e.event_id = f.event_id AND e.period_id = $1 AND e.occurred_at >= $2',
        [period.id, closeAt, nextId],
      );
      await manager.query('UPDATE settlement_entries SET period_id = $3 WHERE period_id = $1 AND occurred_at >= $2', [
        period.id,
        closeAt,
        nextId,
      ]);
    } else {
      await periodContaining(manager, closeAt, length); // the next period exists to take late events
    }
    await manager.query(`UPDATE settlement_periods SET status = 'CLOSED', closed_at = now(), closed_by = $2 WHERE id = $1`, [
      period.id,
      actor(caller),
    ]);
    await auditOperatorAction(manager, caller, 'closeSettlementPeriod', period.id, { closeAt: closeAt.toISOString() });

    const partners = (await manager.query('SELECT id FROM partners ORDER BY id')) as { id: string }[];
    const currencies = await settlementCurrencies(
      manager,
      partners.map((p) => p.id),
    );
    const accounts = await accountsFor(
      manager,
      period.id,
      partners.filter((p) => currencies.has(p.id)).map((p) => ({ id: p.id, currency: currencies.get(p.id)! })),
    );
    for (const a of accounts) {
      await manager.query(
        `INSERT INTO settlement_statements (id, period_id, partner_id, currency, points_issued, issued_amount_minor, points_reversed, reversed_amount_minor,
                                            points_redeemed, redeemed_amount_minor, net_amount_minor, direction, late_events)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          period.id,
          a.partnerId,
          a.currency,
          a.pointsIssued,
          a.issuedAmountMinor,
          a.pointsReversed,
          a.reversedAmountMinor,
          a.pointsRedeemed,
          a.redeemedAmountMinor,
          a.netAmountMinor,
          a.direction,
          a.lateEvents,
        ],
      );
    }
  });
  return periodId;
}

// ---------------------------------------------------------------------------------------------
// Statements

export interface StatementRow {
  id: string;
  period_id: string;
  partner_id: string;
  currency: string;
  points_issued: string;
  issued_amount_minor: string;
  points_reversed: string;
  reversed_amount_minor: string;
  points_redeemed: string;
  redeemed_amount_minor: string;
  net_amount_minor: string;
  direction: SettlementDirection;
  late_events: number;
}

export const MAX_STATEMENTS_PER_READ = 100;

export async function statementsOf(dataSource: DataSource, caller: Caller, partnerId: string, first: number): Promise<StatementRow[]> {
  checkCanReadPartnerAccounts(caller, partnerId);
  if (!Number.isInteger(first) || first < 1 || first > MAX_STATEMENTS_PER_READ)
    throw badInput(`first must be between 1 and ${MAX_STATEMENTS_PER_READ}`);
  return dataSource.query(
    `SELECT s.* FROM settlement_statements s JOIN settlement_periods p ON p.id = s.period_id
      WHERE s.partner_id = $1 ORDER BY p.starts_at DESC LIMIT $2`,
    [partnerId, first],
  );
}

export async function statementById(dataSource: DataSource, caller: Caller, statementId: string): Promise<StatementRow> {
  const [statement] = (await dataSource.query('SELECT * FROM settlement_statements WHERE id = $1', [
    checkId(statementId, 'id'),
  ])) as StatementRow[];
  if (!statement) throw notFound(`No statement with id ${statementId}`);
  checkCanReadPartnerAccounts(caller, statement.partner_id);
  return statement;
}

const STATEMENT_FIELDS: [label: string, column: keyof StatementRow][] = [
  ['points_issued', 'points_issued'],
  ['issued_amount_minor', 'issued_amount_minor'],
  ['points_reversed', 'points_reversed'],
  ['reversed_amount_minor', 'reversed_amount_minor'],
  ['points_redeemed', 'points_redeemed'],
  ['redeemed_amount_minor', 'redeemed_amount_minor'],
  ['net_amount_minor', 'net_amount_minor'],
  ['direction', 'direction'],
  ['late_events', 'late_events'],
];

/** The statement as CSV: a header and one `field,value` line per figure, amounts in minor units. */
export function statementCsv(statement: StatementRow, period: PeriodRow, partnerCode: string): string {
  const rows: [string, string][] = [
    ['statement_id', statement.id],
    ['partner_code', partnerCode],
    ['period_start', period.starts_at.toISOString()],
    ['period_end', period.ends_at.toISOString()],
    ['currency', statement.currency],
    ...STATEMENT_FIELDS.map(([label, column]): [string, string] => [label, String(statement[column])]),
  ];
  return ['field,value', ...rows.map(([field, value]) => `${field},${value}`)].join('\n') + '\n';
}

/** The statement as JSON; 64-bit figures as strings, as in the graph. */
export function statementJson(statement: StatementRow, period: PeriodRow, partnerCode: string): string {
  return JSON.stringify({
    statementId: statement.id,
    partnerId: statement.partner_id,
    partnerCode,
    period: { id: period.id, startsAt: period.starts_at.toISOString(), endsAt: period.ends_at.toISOString() },
    currency: statement.currency,
    ...Object.fromEntries(
      STATEMENT_FIELDS.map(([label, column]) => [label.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), statement[column]]),
    ),
  });
}

// ---------------------------------------------------------------------------------------------
// Reconciliation and flows

export async function periodById(manager: EntityManager, periodId: string): Promise<PeriodRow> {
  const [period] = (await manager.query('SELECT id, starts_at, ends_at, status, closed_at FROM settlement_periods WHERE id = $1', [
    checkId(periodId, 'periodId'),
  ])) as PeriodRow[];
  if (!period) throw notFound(`No settlement period with id ${periodId}`);
  return period;
}

/** How the ledger's transfer kinds add up to settlement's kinds (refunds of redemptions subtract). */
const RECONCILED: Record<string, { kind: string; sign: 1n | -1n }> = {
  EARN: { kind: 'ISSUANCE', sign: 1n },
  EARN_POST: { kind: 'ISSUANCE', sign: 1n },
  REVERSAL: { kind: 'REVERSAL', sign: 1n },
  CLAWBACK: { kind: 'REVERSAL', sign: 1n },
  REDEEM: { kind: 'REDEMPTION', sign: 1n },
  BURN: { kind: 'REDEMPTION', sign: 1n },
  REDEEM_REFUND: { kind: 'REDEMPTION', sign: -1n },
  EXPIRY: { kind: 'BREAKAGE', sign: 1n },
};
const RECONCILED_KINDS = ['ISSUANCE', 'REVERSAL', 'REDEMPTION', 'BREAKAGE'];

export interface ReconciliationView {
  period: PeriodRow;
  lines: { kind: string; ledgerPoints: bigint; settlementPoints: bigint; differencePoints: bigint }[];
  balanced: boolean;
  asOfEventPosition: bigint;
  issuedLessReversedMinor: bigint;
  redeemedMinor: bigint;
  coalitionMarginMinor: bigint;
  partnerNetsMinor: bigint;
  breakagePoints: bigint;
}

/**
 * Settlement beside the ledger for the events that happened in a period (wherever settlement
 * booked them: a late event counts for the period it happened in), after the feed caught up. The
 * money view sums the partners' statements (positions while open): what partners owe for points
 * issued less reversed, less what the coalition owes for redemptions, is the coalition's margin,
 * and equals the sum of the partners' signed nets.
 */
export async function reconcile(
  dataSource: DataSource,
  caller: Caller,
  periodId: string,
  ledgerTotals: (from: Date, to: Date, uptoPosition: bigint) => Promise<{ kind: string; points: string }[]>,
  catchUp: () => Promise<void>,
): Promise<ReconciliationView> {
  requireOperator(caller, 'reconcile settlement');
  await catchUp();
  const period = await periodById(dataSource.manager, periodId);
  // Both sides as of the events settlement has read: anything published later is in neither.
  const asOfEventPosition = await ledgerCheckpoint(dataSource);
  const ledger = new Map<string, bigint>(RECONCILED_KINDS.map((k) => [k, 0n]));
  for (const total of await ledgerTotals(period.starts_at, period.ends_at, asOfEventPosition)) {
    const mapping = RECONCILED[total.kind];
    if (mapping) ledger.set(mapping.kind, ledger.get(mapping.kind)! + mapping.sign * BigInt(total.points));
  }
  const counted = (await dataSource.query(
    `SELECT kind, sum(points)::text AS points FROM settlement_entries
      WHERE occurred_at >= $1 AND occurred_at < $2 AND event_position <= $3 GROUP BY kind`,
    [period.starts_at, period.ends_at, asOfEventPosition.toString()],
  )) as { kind: EntryKind; points: string }[];
  const settlement = new Map<string, bigint>(RECONCILED_KINDS.map((k) => [k, 0n]));
  for (const row of counted) {
    const kind = row.kind === 'REDEMPTION_REVERSAL' ? 'REDEMPTION' : row.kind;
    settlement.set(kind, settlement.get(kind)! + (row.kind === 'REDEMPTION_REVERSAL' ? -1n : 1n) * BigInt(row.points));
  }
  const lines = RECONCILED_KINDS.map((kind) => ({
    kind,
    ledgerPoints: ledger.get(kind)!,
    settlementPoints: settlement.get(kind)!,
    differencePoints: settlement.get(kind)! - ledger.get(kind)!,
  }));

  let accounts: Pick<PartnerAccount, 'issuedAmountMinor' | 'reversedAmountMinor' | 'redeemedAmountMinor' | 'signedNetMinor' | 'currency'>[];
  if (period.status === 'CLOSED') {
    const statements = (await dataSource.query('SELECT * FROM settlement_statements WHERE period_id = $1', [period.id])) as StatementRow[];
    accounts = statements.map((s) => {
      const net = BigInt(s.net_amount_minor);
      return {
        currency: s.currency,
        issuedAmountMinor: BigInt(s.issued_amount_minor),
        reversedAmountMinor: BigInt(s.reversed_amount_minor),
        redeemedAmountMinor: BigInt(s.redeemed_amount_minor),
        signedNetMinor: s.direction === 'PARTNER_RECEIVES' ? -net : net,
      };
    });
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
  const currencies = new Set(accounts.map((a) => a.currency));
  if (currencies.size > 1)
    throw badInput(`Partners settle in several currencies (${[...currencies].join(', ')}); the money view needs one`);
  const total = (pick: (a: (typeof accounts)[number]) => bigint) => accounts.reduce((sum, a) => sum + pick(a), 0n);
  const issuedLessReversedMinor = total((a) => a.issuedAmountMinor - a.reversedAmountMinor);
  const redeemedMinor = total((a) => a.redeemedAmountMinor);
  const partnerNetsMinor = total((a) => a.signedNetMinor);
  const coalitionMarginMinor = issuedLessReversedMinor - redeemedMinor;
  return {
    period,
    lines,
    asOfEventPosition,
    balanced: lines.every((l) => l.differencePoints === 0n) && coalitionMarginMinor === partnerNetsMinor,
    issuedLessReversedMinor,
    redeemedMinor,
    coalitionMarginMinor,
    partnerNetsMinor,
    breakagePoints: settlement.get('BREAKAGE')!,
  };
}

/** Points issued at one partner and redeemed at another in a period. */
export async function pointsFlows(
  dataSource: DataSource,
  caller: Caller,
  periodId: string,
): Promise<{ issuerPartnerId: string | null; redeemerPartnerId: string; points: string }[]> {
  const period = await periodById(dataSource.manager, periodId);
  let scope: string | null = null;
  if (caller.kind === 'partner') scope = caller.partnerId;
  else if (caller.kind !== 'operator') {
    checkCanReadPartnerAccounts(caller, '');
    throw forbidden('Only partners and the operator may read points flows');
  }
  return dataSource.query(
    `SELECT issuer_partner_id AS "issuerPartnerId", redeemer_partner_id AS "redeemerPartnerId", sum(points)::text AS points
       FROM settlement_flows WHERE period_id = $1 AND ($2::uuid IS NULL OR issuer_partner_id = $2 OR redeemer_partner_id = $2)
      GROUP BY issuer_partner_id, redeemer_partner_id HAVING sum(points) <> 0
      ORDER BY issuer_partner_id NULLS LAST, redeemer_partner_id`,
    [period.id, scope],
  );
}
