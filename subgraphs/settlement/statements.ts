import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'csv-stringify/sync';
import type { DataSource, EntityManager } from 'typeorm';
import { partnerScope, requireOperator, requirePartnerItselfOrOperator } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { assertInvariant, badInput, DomainError, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { pointsToMinor } from '../../shared/money';
import { checkId } from '../../shared/validation';
import type { ContractRow } from './entities';
import type { EntryKind } from './entries';
import { endPeriodEarly, lockPeriods, periodById, periodContaining, type PeriodCalendar, type PeriodRow } from './periods';
import { enqueueWebhookEvent } from './webhookEvents';

import { createLogger } from '../../shared/logger';

const log = createLogger('statements');

/**
 * The settlement domain core, stage two: accounts and statements. What each partner and the
 * coalition owe each other is priced from the period's entries: live, as the partner's position in
 * the open period, and frozen, as one statement per partner (with its line items) when the
 * operator closes a period. The rules (docs/DESIGN.md, "Money and settlement rules"): integer minor
 * units, integer micro-unit prices, each line rounded once, half to even; net = issued - reversed +
 * bonus - bonus reversed - redeemed.
 */

export type SettlementDirection = 'PARTNER_PAYS' | 'PARTNER_RECEIVES' | 'EVEN';

/** Who pays whom for a signed net (positive when the partner owes the coalition). */
const directionOf = (signedNetMinor: bigint): SettlementDirection =>
  signedNetMinor > 0n ? 'PARTNER_PAYS' : signedNetMinor < 0n ? 'PARTNER_RECEIVES' : 'EVEN';

/** The money lines of an account or statement, in minor units, each rounded once. */
export interface MoneyLines {
  issuedAmountMinor: bigint;
  reversedAmountMinor: bigint;
  /** What the funder owes for its campaigns' bonus points. */
  bonusAmountMinor: bigint;
  /** What the funder is credited for bonus points refunds took back. */
  bonusReversedAmountMinor: bigint;
  redeemedAmountMinor: bigint;
}

export const MONEY_LINE_FIELDS: readonly (keyof MoneyLines)[] = [
  'issuedAmountMinor',
  'reversedAmountMinor',
  'bonusAmountMinor',
  'bonusReversedAmountMinor',
  'redeemedAmountMinor',
];

/**
 * What the lines add up to, positive when the partner owes the coalition: what it owes for the
 * points it issued and the bonuses it funded, less what refunds took back of either, less what the
 * coalition owes it for redemptions. The one place the net is worked out.
 */
export const signedNetOfLines = (lines: MoneyLines): bigint =>
  lines.issuedAmountMinor - lines.reversedAmountMinor + lines.bonusAmountMinor - lines.bonusReversedAmountMinor - lines.redeemedAmountMinor;

interface NetFigures extends MoneyLines {
  netAmountMinor: bigint;
  direction: SettlementDirection;
}

/**
 * The signed net of an account or statement (positive: the partner pays), failing loudly unless
 * its net and direction are what its lines say: a statement whose total disagrees with its own
 * lines must never be frozen or reconciled.
 */
function signedNetOf(figures: NetFigures, what: string): bigint {
  const signedNetMinor = signedNetOfLines(figures);
  assertInvariant(
    figures.netAmountMinor === (signedNetMinor < 0n ? -signedNetMinor : signedNetMinor) &&
      figures.direction === directionOf(signedNetMinor),
    `${what}: net ${figures.netAmountMinor} ${figures.direction} is issued - reversed + bonus - bonus reversed - redeemed (${signedNetMinor})`,
  );
  return signedNetMinor;
}

// ---------------------------------------------------------------------------------------------
// Accounts: what a partner and the coalition owe each other for one period's entries

export interface PartnerAccount extends MoneyLines {
  partnerId: string;
  currency: string;
  pointsIssued: bigint;
  pointsReversed: bigint;
  /** Bonus points of the partner's campaigns, granted at any partner. */
  pointsBonus: bigint;
  /** Bonus points of its campaigns taken back by refunds. */
  pointsBonusReversed: bigint;
  pointsRedeemed: bigint;
  /** signedNetOfLines: positive when the partner owes the coalition. */
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
  /** A partner's entries are of the kinds a statement lists (the coalition's own have no partner). */
  kind: StatementLineKind;
  points: string;
  amount_micros: string;
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
    `SELECT partner_id, kind, sum(points)::text AS points, sum(points * price_micros_per_point)::text AS amount_micros,
            max(event_position)::text AS last_position, count(*) FILTER (WHERE late)::int AS late
       FROM settlement_entries WHERE period_id = $1 AND partner_id = ANY($2::uuid[])
      GROUP BY partner_id, kind`,
    [periodId, partners.map((p) => p.id)],
  )) as Line[];
  return partners.map(({ id, currency }) => {
    const own = lines.filter((line) => line.partner_id === id);
    const figures = statementFiguresFromLines(own, currency);
    const signedNetMinor = signedNetOfLines(figures);
    return {
      partnerId: id,
      currency,
      ...figures,
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
  if (caughtUp !== 'caught up')
    log.warn({ reason: caughtUp }, 'closing a period without catching the ledger feed up; what it missed is booked late');
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
    await freezeStatements(manager, period.id);
  });
  return periodId;
}

// ---------------------------------------------------------------------------------------------
// Freezing statements and their line items

/**
 * The kinds a statement line item adds up, in the order a statement lists them. A total record, so
 * a new entry kind does not compile until it has a place here (BREAKAGE has no partner, so no
 * statement; nor do the operator's GRANT and DEBIT).
 */
export type StatementLineKind = Exclude<EntryKind, 'BREAKAGE' | 'GRANT' | 'DEBIT'>;
const STATEMENT_LINE_ORDER: Record<StatementLineKind, number> = {
  ISSUANCE: 0,
  REVERSAL: 1,
  BONUS: 2,
  BONUS_REVERSAL: 3,
  REDEMPTION: 4,
  REDEMPTION_REVERSAL: 5,
};

/**
 * One line item of a frozen statement: the entries of one kind priced with one contract version.
 * `amount_micros` is exact: points x price, never rounded.
 */
export interface StatementLineRow {
  statement_id: string;
  kind: StatementLineKind;
  contract_id: string;
  event_count: number;
  points: string;
  price_micros_per_point: number;
  amount_micros: string;
}

/**
 * The figures a statement's lines give: exact micro-unit sums, each rounded once, half to even. The
 * one place figures are made from lines, for live accounts (lines per kind) and frozen statements
 * (lines per kind and contract) alike.
 */
export function statementFiguresFromLines(lines: readonly Pick<StatementLineRow, 'kind' | 'points' | 'amount_micros'>[], currency: string) {
  const sum = (kind: StatementLineKind, field: 'points' | 'amount_micros') =>
    lines.filter((line) => line.kind === kind).reduce((total, line) => total + BigInt(line[field]), 0n);
  const minor = (micros: bigint) => pointsToMinor(micros, 1n, currency);
  return {
    pointsIssued: sum('ISSUANCE', 'points'),
    issuedAmountMinor: minor(sum('ISSUANCE', 'amount_micros')),
    pointsReversed: sum('REVERSAL', 'points'),
    reversedAmountMinor: minor(sum('REVERSAL', 'amount_micros')),
    // A campaign's bonus and its reversals are lines of their own, each rounded once, like issuance.
    pointsBonus: sum('BONUS', 'points'),
    bonusAmountMinor: minor(sum('BONUS', 'amount_micros')),
    pointsBonusReversed: sum('BONUS_REVERSAL', 'points'),
    bonusReversedAmountMinor: minor(sum('BONUS_REVERSAL', 'amount_micros')),
    // Refunds of redemptions are subtracted before rounding, as in every statement figure.
    pointsRedeemed: sum('REDEMPTION', 'points') - sum('REDEMPTION_REVERSAL', 'points'),
    redeemedAmountMinor: minor(sum('REDEMPTION', 'amount_micros') - sum('REDEMPTION_REVERSAL', 'amount_micros')),
  };
}

type FrozenLine = Omit<StatementLineRow, 'statement_id'> & { partner_id: string; contract_price_micros_per_point: number };

/**
 * Freezes one statement per partner that has a settlement currency, each with its line items, in
 * the closing transaction and under the periods lock, so the period's entries no longer move. A
 * statement is refused (the close fails loudly) unless net = issued - reversed - redeemed, and
 * unless its lines are what a reader recomputing it would need: each priced at its contract's
 * price for its kind, its amount exactly points x price, and together adding up to the statement's
 * points and, rounded once per figure, to its amounts.
 */
async function freezeStatements(manager: EntityManager, periodId: string): Promise<void> {
  const partners = (await manager.query('SELECT id FROM partners ORDER BY id')) as { id: string }[];
  const currencies = await settlementCurrencies(
    manager,
    partners.map((p) => p.id),
  );
  const accounts = await accountsFor(
    manager,
    periodId,
    partners.filter((p) => currencies.has(p.id)).map((p) => ({ id: p.id, currency: currencies.get(p.id)! })),
  );
  const lines = (await manager.query(
    `SELECT e.partner_id, e.kind, e.contract_id, e.price_micros_per_point, count(*)::int AS event_count,
            sum(e.points)::text AS points, sum(e.points * e.price_micros_per_point)::text AS amount_micros,
            CASE WHEN e.kind IN ('REDEMPTION', 'REDEMPTION_REVERSAL') THEN c.redemption_value_micros_per_point
                 ELSE c.issue_price_micros_per_point END AS contract_price_micros_per_point
       FROM settlement_entries e LEFT JOIN contracts c ON c.id = e.contract_id
      WHERE e.period_id = $1 AND e.partner_id = ANY($2::uuid[])
      GROUP BY e.partner_id, e.kind, e.contract_id, e.price_micros_per_point, c.id`,
    [periodId, accounts.map((a) => a.partnerId)],
  )) as FrozenLine[];
  for (const account of accounts) {
    const what = `the statement of partner ${account.partnerId} for period ${periodId}`;
    signedNetOf(account, what);
    const own = lines.filter((line) => line.partner_id === account.partnerId);
    for (const line of own) {
      // Contracts never change, so one price per (kind, contract): one line each (the table's key).
      assertInvariant(
        line.contract_id !== null && line.price_micros_per_point === line.contract_price_micros_per_point,
        `${what}: its ${line.kind} entries under contract ${line.contract_id} are priced at that contract's price (${line.contract_price_micros_per_point}), not ${line.price_micros_per_point}`,
      );
      assertInvariant(
        BigInt(line.amount_micros) === BigInt(line.points) * BigInt(line.price_micros_per_point),
        `${what}: a line's amount is its points x its price`,
      );
    }
    const fromLines = statementFiguresFromLines(own, account.currency);
    assertInvariant(
      (Object.keys(fromLines) as (keyof typeof fromLines)[]).every((figure) => fromLines[figure] === account[figure]),
      `${what}: its line items add up to its figures`,
    );
    const [statement] = (await manager.query(
      `INSERT INTO settlement_statements (id, period_id, partner_id, currency, points_issued, issued_amount_minor, points_reversed, reversed_amount_minor,
                                          points_redeemed, redeemed_amount_minor, net_amount_minor, direction, late_events,
                                          points_bonus, bonus_amount_minor, points_bonus_reversed, bonus_reversed_amount_minor)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
      [
        periodId,
        account.partnerId,
        account.currency,
        account.pointsIssued,
        account.issuedAmountMinor,
        account.pointsReversed,
        account.reversedAmountMinor,
        account.pointsRedeemed,
        account.redeemedAmountMinor,
        account.netAmountMinor,
        account.direction,
        account.lateEvents,
        account.pointsBonus,
        account.bonusAmountMinor,
        account.pointsBonusReversed,
        account.bonusReversedAmountMinor,
      ],
    )) as { id: string }[];
    // The partner's systems hear of it in the same transaction: a frozen statement is announced once.
    await enqueueWebhookEvent(manager, {
      sourceKey: `statement:${statement!.id}`,
      type: 'statement.frozen',
      partnerId: account.partnerId,
      memberId: null,
      occurredAt: new Date(),
      data: {
        statementId: statement!.id,
        periodId,
        partnerId: account.partnerId,
        currency: account.currency,
        netAmountMinor: String(account.netAmountMinor),
        direction: account.direction,
      },
    });
    if (own.length === 0) continue;
    await manager.query(
      `INSERT INTO settlement_statement_lines (statement_id, kind, contract_id, event_count, points, price_micros_per_point, amount_micros)
       SELECT $1, * FROM unnest($2::text[], $3::uuid[], $4::int[], $5::bigint[], $6::int[], $7::bigint[])`,
      [
        statement!.id,
        own.map((line) => line.kind),
        own.map((line) => line.contract_id),
        own.map((line) => line.event_count),
        own.map((line) => line.points),
        own.map((line) => line.price_micros_per_point),
        own.map((line) => line.amount_micros),
      ],
    );
  }
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
  points_bonus: string;
  bonus_amount_minor: string;
  points_bonus_reversed: string;
  bonus_reversed_amount_minor: string;
  points_redeemed: string;
  redeemed_amount_minor: string;
  net_amount_minor: string;
  direction: SettlementDirection;
  late_events: number;
}

/** A frozen statement's money lines, in minor units. */
export function statementMoneyLines(statement: StatementRow): MoneyLines {
  return {
    issuedAmountMinor: BigInt(statement.issued_amount_minor),
    reversedAmountMinor: BigInt(statement.reversed_amount_minor),
    bonusAmountMinor: BigInt(statement.bonus_amount_minor),
    bonusReversedAmountMinor: BigInt(statement.bonus_reversed_amount_minor),
    redeemedAmountMinor: BigInt(statement.redeemed_amount_minor),
  };
}

/** A frozen statement's signed net (positive: the partner paid), checked against its lines. */
export function statementSignedNetMinor(statement: StatementRow): bigint {
  return signedNetOf(
    { ...statementMoneyLines(statement), netAmountMinor: BigInt(statement.net_amount_minor), direction: statement.direction },
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

/** Statement line items by statement id, each statement's in the order the graph lists them. */
export async function linesOfStatements(manager: EntityManager, statementIds: readonly string[]): Promise<StatementLineRow[][]> {
  const rows = (await manager.query(
    `SELECT l.statement_id, l.kind, l.contract_id, l.event_count, l.points::text AS points, l.price_micros_per_point,
            l.amount_micros::text AS amount_micros
       FROM settlement_statement_lines l JOIN contracts c ON c.id = l.contract_id
      WHERE l.statement_id = ANY($1::uuid[]) ORDER BY c.effective_from`,
    [statementIds],
  )) as StatementLineRow[];
  return statementIds.map((id) =>
    rows.filter((row) => row.statement_id === id).sort((a, b) => STATEMENT_LINE_ORDER[a.kind] - STATEMENT_LINE_ORDER[b.kind]),
  );
}

/** What reading a statement's lines, contracts and exports needs (per-request loaders). */
export interface StatementReaders {
  statementLines: { load(statementId: string): Promise<StatementLineRow[]> };
  contract: { load(contractId: string): Promise<ContractRow | null> };
  contractVersion: { load(contractId: string): Promise<number> };
  partner: { load(partnerId: string): Promise<{ code: string; name: string } | null> };
}

/**
 * A statement's line items, for the partner itself and the operator. The statement was already
 * read under that rule; it is asked again because the lines are a read of their own.
 */
export async function statementLinesOf(caller: Caller, statement: StatementRow, readers: StatementReaders): Promise<StatementLineRow[]> {
  requirePartnerItselfOrOperator(caller, statement.partner_id, 'read its statements', { services: true });
  return readers.statementLines.load(statement.id);
}

/** The contract versions a statement's lines were priced with, the oldest first. */
export async function statementContractsOf(caller: Caller, statement: StatementRow, readers: StatementReaders): Promise<ContractRow[]> {
  const lines = await statementLinesOf(caller, statement, readers);
  const contracts = await Promise.all(
    [...new Set(lines.map((line) => line.contract_id))].map(async (id) => {
      const contract = await readers.contract.load(id);
      assertInvariant(contract, `contract ${id} of statement ${statement.id} exists`);
      return contract;
    }),
  );
  return contracts.sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
}

/** Everything a statement's CSV and JSON exports carry. */
export interface StatementDocument {
  statement: StatementRow;
  period: PeriodRow;
  partner: { code: string; name: string };
  lines: StatementLineRow[];
  contracts: { contract: ContractRow; version: number }[];
}

/** Gathers a statement's export, for the partner itself and the operator. */
export async function statementDocument(
  manager: EntityManager,
  caller: Caller,
  statement: StatementRow,
  readers: StatementReaders,
): Promise<StatementDocument> {
  const [lines, contracts, period, partner] = await Promise.all([
    statementLinesOf(caller, statement, readers),
    statementContractsOf(caller, statement, readers),
    periodById(manager, statement.period_id),
    readers.partner.load(statement.partner_id),
  ]);
  assertInvariant(partner, `the partner of statement ${statement.id} exists`);
  return {
    statement,
    period,
    partner,
    lines,
    contracts: await Promise.all(
      contracts.map(async (contract) => ({ contract, version: await readers.contractVersion.load(contract.id) })),
    ),
  };
}

/** A statement's figures, as the exports name them; 64-bit ones are whole numbers, direction is text. */
function statementFigures(statement: StatementRow): [label: string, value: bigint | number | string][] {
  return [
    ['points_issued', BigInt(statement.points_issued)],
    ['issued_amount_minor', BigInt(statement.issued_amount_minor)],
    ['points_reversed', BigInt(statement.points_reversed)],
    ['reversed_amount_minor', BigInt(statement.reversed_amount_minor)],
    ['points_bonus', BigInt(statement.points_bonus)],
    ['bonus_amount_minor', BigInt(statement.bonus_amount_minor)],
    ['points_bonus_reversed', BigInt(statement.points_bonus_reversed)],
    ['bonus_reversed_amount_minor', BigInt(statement.bonus_reversed_amount_minor)],
    ['points_redeemed', BigInt(statement.points_redeemed)],
    ['redeemed_amount_minor', BigInt(statement.redeemed_amount_minor)],
    ['net_amount_minor', BigInt(statement.net_amount_minor)],
    ['direction', statement.direction],
    ['late_events', statement.late_events],
  ];
}

/**
 * The first characters that make a spreadsheet read a cell as a formula: OWASP's list ("CSV
 * Injection") and their full-width forms, the same csv-stringify's `escape_formulas` prefixes in
 * text. A value it prefixes is also quoted here, as OWASP recommends.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * The statement as CSV: a `field,value` header, one line per figure, then each line item as
 * `line_<n>_<field>` lines (so the file keeps two columns). Values are written by csv-stringify:
 * quoted per RFC 4180 where they hold a comma, a double quote or a line break, double quotes
 * doubled. Text can be hostile (a partner's name is whatever the operator typed), so a text value
 * beginning with =, +, -, @, a tab or a carriage return (or a full-width =, +, -, @) is prefixed
 * with a single quote and quoted, and a spreadsheet shows it as text rather than run it. Numbers
 * are passed as numbers and written bare, never prefixed: a negative figure (redemptions less
 * larger cancellations) stays a readable number, and being produced here from integers it cannot
 * carry a formula. Lines end with LF.
 */
export function statementCsv(document: StatementDocument): string {
  const { statement, period, partner, lines, contracts } = document;
  const versionOf = new Map(contracts.map(({ contract, version }) => [contract.id, { contract, version }]));
  const rows: [string, bigint | number | string][] = [
    ['statement_id', statement.id],
    ['partner_code', partner.code],
    ['partner_name', partner.name],
    ['period_start', period.starts_at.toISOString()],
    ['period_end', period.ends_at.toISOString()],
    ['currency', statement.currency],
    ...statementFigures(statement),
    ...lines.flatMap((line, index): [string, bigint | number | string][] => {
      const priced = versionOf.get(line.contract_id);
      assertInvariant(priced, `statement ${statement.id} lists contract ${line.contract_id}`);
      const prefix = `line_${index + 1}_`;
      return [
        [`${prefix}kind`, line.kind],
        [`${prefix}contract_version`, priced.version],
        [`${prefix}contract_effective_from`, priced.contract.effectiveFrom.toISOString()],
        [`${prefix}event_count`, line.event_count],
        [`${prefix}points`, BigInt(line.points)],
        [`${prefix}price_micros_per_point`, line.price_micros_per_point],
        [`${prefix}amount_micros`, BigInt(line.amount_micros)],
      ];
    }),
  ];
  return stringify([['field', 'value'], ...rows], {
    escape_formulas: true,
    cast: { string: (value) => (FORMULA_START.test(value) ? { value, quoted: true } : value) },
  });
}

/** The statement as JSON: its figures, `lines` and `contracts` as in the graph; 64-bit figures as strings. */
export function statementJson(document: StatementDocument): string {
  const { statement, period, partner, lines, contracts } = document;
  const versionOf = new Map(contracts.map(({ contract, version }) => [contract.id, version]));
  return JSON.stringify({
    statementId: statement.id,
    partnerId: statement.partner_id,
    partnerCode: partner.code,
    partnerName: partner.name,
    period: { id: period.id, startsAt: period.starts_at.toISOString(), endsAt: period.ends_at.toISOString() },
    currency: statement.currency,
    ...Object.fromEntries(
      statementFigures(statement).map(([label, value]) => [
        label.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
        typeof value === 'bigint' ? value.toString() : value,
      ]),
    ),
    contracts: contracts.map(({ contract, version }) => ({
      id: contract.id,
      version,
      effectiveFrom: contract.effectiveFrom.toISOString(),
      currency: contract.currency,
      earnRateMilliPointsPerUnit: contract.earnRateMilliPointsPerUnit,
      issuePriceMicrosPerPoint: contract.issuePriceMicrosPerPoint,
      redemptionValueMicrosPerPoint: contract.redemptionValueMicrosPerPoint,
    })),
    lines: lines.map((line) => ({
      kind: line.kind,
      contract: { id: line.contract_id, version: versionOf.get(line.contract_id) },
      eventCount: line.event_count,
      points: line.points,
      priceMicrosPerPoint: line.price_micros_per_point,
      amountMicros: line.amount_micros,
    })),
  });
}
