import { setTimeout as delay } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { partnerScope, requireOperator, requirePartnerItselfOrOperator } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { assertInvariant, badInput, DomainError, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { pointsToMinor } from '../../shared/money';
import { checkId } from '../../shared/validation';
import type { EntryKind } from './entries';
import { endPeriodEarly, lockPeriods, periodContaining, type PeriodCalendar, type PeriodRow } from './periods';

/**
 * The settlement domain core, stage two: accounts and statements. What each partner and the
 * coalition owe each other is priced from the period's entries: live, as the partner's position in
 * the open period, and frozen, as one statement per partner when the operator closes a period. The
 * rules (docs/DESIGN.md, "Money and settlement rules"): integer minor units, integer micro-unit
 * prices, each line rounded once, half to even; net = issued - reversed - redeemed.
 */

export type SettlementDirection = 'PARTNER_PAYS' | 'PARTNER_RECEIVES' | 'EVEN';

/** Who pays whom for a signed net (positive when the partner owes the coalition). */
const directionOf = (signedNetMinor: bigint): SettlementDirection =>
  signedNetMinor > 0n ? 'PARTNER_PAYS' : signedNetMinor < 0n ? 'PARTNER_RECEIVES' : 'EVEN';

/** The money lines of an account or statement, in minor units. */
interface NetFigures {
  issuedAmountMinor: bigint;
  reversedAmountMinor: bigint;
  redeemedAmountMinor: bigint;
  netAmountMinor: bigint;
  direction: SettlementDirection;
}

/**
 * The signed net of an account or statement (positive: the partner pays), failing loudly unless
 * its net and direction are what its lines say: a statement whose total disagrees with its own
 * lines must never be frozen or reconciled.
 */
function signedNetOf(figures: NetFigures, what: string): bigint {
  const signedNetMinor = figures.issuedAmountMinor - figures.reversedAmountMinor - figures.redeemedAmountMinor;
  assertInvariant(
    figures.netAmountMinor === (signedNetMinor < 0n ? -signedNetMinor : signedNetMinor) &&
      figures.direction === directionOf(signedNetMinor),
    `${what}: net ${figures.netAmountMinor} ${figures.direction} is issued - reversed - redeemed (${signedNetMinor})`,
  );
  return signedNetMinor;
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

/** A partner's account in the open period: its live position. */
export type PartnerPositionView = PartnerAccount & { period: PeriodRow };

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
      direction: directionOf(signedNetMinor),
      lastEventPosition: own.reduce((max, l) => (BigInt(l.last_position) > max ? BigInt(l.last_position) : max), 0n),
      lateEvents: own.reduce((total, l) => total + l.late, 0),
    };
  });
}

/** The partner's live position, for the partner itself and the operator (and subgraphs reading for them). */
export async function positionOf(
  caller: Caller,
  partnerId: string,
  positions: { load(partnerId: string): Promise<PartnerPositionView> },
): Promise<PartnerPositionView> {
  requirePartnerItselfOrOperator(caller, partnerId, 'read its position', { services: true });
  return positions.load(partnerId);
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
// Periods as partners and the operator see them

/** The period containing now (opening it if need be): where positions are read. */
export async function currentPeriod(dataSource: DataSource, calendar: PeriodCalendar): Promise<PeriodRow> {
  return dataSource.transaction(async (manager) => {
    await lockPeriods(manager);
    return periodContaining(manager, new Date(), calendar);
  });
}

/** Most periods one read returns. */
export const MAX_PERIODS_PER_READ = 100;

/**
 * The latest periods, newest first, for partners and the operator (the period of now exists, even
 * before its first event). Periods are the coalition's calendar, the same for every partner, so a
 * partner's scope narrows nothing here.
 */
export async function listPeriods(
  dataSource: DataSource,
  caller: Caller,
  first: number | null | undefined,
  calendar: PeriodCalendar,
): Promise<PeriodRow[]> {
  partnerScope(caller, 'list settlement periods');
  const limit = Math.min(Math.max(first ?? 12, 1), MAX_PERIODS_PER_READ);
  await currentPeriod(dataSource, calendar);
  return dataSource.query('SELECT id, starts_at, ends_at, status, closed_at FROM settlement_periods ORDER BY starts_at DESC LIMIT $1', [
    limit,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Closing a period

/** How long a close waits for the ledger feed to catch up before it closes without it. */
export const CLOSE_CATCH_UP_TIMEOUT_MS = 3_000;

/**
 * Closes a period and freezes one statement per partner. First the feed catches up (`catchUp`), so
 * events published so far land in their own period; if the ledger cannot be reached, or does not
 * answer within CLOSE_CATCH_UP_TIMEOUT_MS, the close goes on at once, and what it could not read
 * arrives later, booked late. One behaviour: the close completes (well within the gateway's
 * subgraph timeout, so its caller never sees an error for a close that then happens anyway). Then, under the periods lock (no event is
 * booked meanwhile): the period ends at `closeAt` (entries that happened after it move to the next
 * period, which starts there, or to a new open period of their time when the next one is closed:
 * endPeriodEarly), becomes CLOSED, and its statements are written. Later arrivals from
 * before `closeAt` are booked late in the next open period.
 */
export async function closePeriod(
  dataSource: DataSource,
  caller: Caller,
  input: { periodId: string; closeAt?: Date | string | null },
  calendar: PeriodCalendar,
  catchUp: () => Promise<void>,
): Promise<string> {
  requireOperator(caller, 'close settlement periods');
  const periodId = checkId(input.periodId, 'periodId');
  const requestedClose = input.closeAt ? new Date(input.closeAt) : null;
  if (requestedClose && Number.isNaN(requestedClose.getTime())) throw badInput('closeAt is not a valid instant');
  const caughtUp = await Promise.race([
    catchUp().then(
      () => 'caught up',
      (error: Error) => `the ledger did not answer (${error.message})`,
    ),
    delay(CLOSE_CATCH_UP_TIMEOUT_MS, `the ledger did not answer within ${CLOSE_CATCH_UP_TIMEOUT_MS} ms`, { ref: false }),
  ]);
  if (caughtUp !== 'caught up') console.error(`[settlement] closing without catching up: ${caughtUp}; what it missed is booked late`);
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
      await endPeriodEarly(manager, period, closeAt); // the rest of its time goes to an open period, never a closed one
    } else {
      await periodContaining(manager, closeAt, calendar); // the next period exists to take late events
    }
    await manager.query(`UPDATE settlement_periods SET status = 'CLOSED', closed_at = now(), closed_by = $2 WHERE id = $1`, [
      period.id,
      callerActor(caller),
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
      signedNetOf(a, `the statement of partner ${a.partnerId} for period ${period.id}`);
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

/** A frozen statement's signed net (positive: the partner paid), checked against its lines. */
export function statementSignedNetMinor(statement: StatementRow): bigint {
  return signedNetOf(
    {
      issuedAmountMinor: BigInt(statement.issued_amount_minor),
      reversedAmountMinor: BigInt(statement.reversed_amount_minor),
      redeemedAmountMinor: BigInt(statement.redeemed_amount_minor),
      netAmountMinor: BigInt(statement.net_amount_minor),
      direction: statement.direction,
    },
    `statement ${statement.id}`,
  );
}

export const MAX_STATEMENTS_PER_READ = 100;

/** The partner's statements, newest period first, for the partner itself and the operator. */
export async function statementsOf(dataSource: DataSource, caller: Caller, partnerId: string, first: number): Promise<StatementRow[]> {
  requirePartnerItselfOrOperator(caller, partnerId, 'read its statements', { services: true });
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
  requirePartnerItselfOrOperator(caller, statement.partner_id, 'read its statements', { services: true });
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
