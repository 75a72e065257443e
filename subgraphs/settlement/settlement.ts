import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { requireOperator, requirePartnerItselfOrOperator, requireService } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { assertInvariant, badInput, notFound } from '../../shared/errors';
import { preparedQuery } from '../../shared/database';
import { idempotentTransaction } from '../../shared/idempotency';
import { callerActor, type Caller } from '../../shared/identity';
import { checkSettlementCurrency } from '../../shared/money';
import { checkId, checkText } from '../../shared/validation';
import type { SettlementDeps } from './context';
import { ContractRow, PartnerRow, type PartnerCategory, type PartnerStatus } from './entities';

/**
 * The settlement domain core: the partner registry and contracts. No GraphQL here; who may do what
 * is shared/access.ts, asked before each read and write. The books are kept in stages: entries.ts
 * (ledger events counted), statements.ts (positions, periods closed, statements frozen),
 * reconciliation.ts (the books checked against the ledger); periods.ts is the calendar.
 */

// ---------------------------------------------------------------------------------------------
// Contracts

/**
 * The contract in force at `at`: the latest that took effect by then (contractsInForce, for one
 * partner at one instant).
 */
export async function contractInForce(manager: EntityManager, partnerId: string, at: Date): Promise<ContractRow | null> {
  return (await contractsInForce(manager, [partnerId], at, at))(partnerId, at);
}

/**
 * The contracts in force for a batch of instants (the ledger feed prices a batch of events at
 * once): one statement reads, for each partner, the contract in force at `from` and those that took
 * effect after it up to `to`; the answer picks, for a partner and an instant in [from, to], the
 * latest that took effect by then, or null when none had. Plain SQL, not the query builder: the
 * feed runs it for every batch. Prepared: its text is fixed (the partners go in as an array).
 */
export async function contractsInForce(
  manager: EntityManager,
  partnerIds: readonly string[],
  from: Date,
  to: Date,
): Promise<(partnerId: string, at: Date) => ContractRow | null> {
  assertInvariant(from <= to, `a window of contracts starts (${from.toISOString()}) by its end (${to.toISOString()})`);
  const rows = await preparedQuery<{
    id: string;
    partner_id: string;
    earn_rate_milli_points_per_unit: number;
    issue_price_micros_per_point: number;
    redemption_value_micros_per_point: number;
    currency: string;
    effective_from: Date;
    in_force_from_ms: string;
  }>(
    manager,
    // in_force_from_ms: the first whole millisecond at which the contract is in force, so that the
    // instants (JavaScript Dates, whole milliseconds) compare with effective_from (microseconds)
    // exactly as `effective_from <= at` would in SQL.
    `SELECT c.id, c.partner_id, c.earn_rate_milli_points_per_unit, c.issue_price_micros_per_point, c.redemption_value_micros_per_point,
            c.currency, c.effective_from, ceil(extract(epoch FROM c.effective_from) * 1000)::bigint AS in_force_from_ms
       FROM unnest($1::uuid[]) AS p(partner_id)
       CROSS JOIN LATERAL (
         (SELECT * FROM contracts WHERE partner_id = p.partner_id AND effective_from <= $2 ORDER BY effective_from DESC LIMIT 1)
         UNION ALL
         (SELECT * FROM contracts WHERE partner_id = p.partner_id AND effective_from > $2 AND effective_from <= $3)
       ) c
      ORDER BY c.partner_id, c.effective_from`,
    [[...new Set(partnerIds)], from, to],
  );
  const byPartner = new Map<string, { inForceFromMs: number; contract: ContractRow }[]>();
  for (const row of rows) {
    const contract = Object.assign(new ContractRow(), {
      id: row.id,
      partnerId: row.partner_id,
      earnRateMilliPointsPerUnit: row.earn_rate_milli_points_per_unit,
      issuePriceMicrosPerPoint: row.issue_price_micros_per_point,
      redemptionValueMicrosPerPoint: row.redemption_value_micros_per_point,
      currency: row.currency,
      effectiveFrom: row.effective_from,
    });
    const history = byPartner.get(row.partner_id) ?? [];
    history.push({ inForceFromMs: Number(row.in_force_from_ms), contract });
    byPartner.set(row.partner_id, history);
  }
  return (partnerId, at) => {
    assertInvariant(from <= at && at <= to, `${at.toISOString()} falls in the window of contracts read`);
    // Oldest first: the last that took effect by `at` is the one in force.
    const history = byPartner.get(partnerId.toLowerCase()) ?? [];
    let inForce: ContractRow | null = null;
    for (const { inForceFromMs, contract } of history) {
      if (inForceFromMs > at.getTime()) break;
      inForce = contract;
    }
    return inForce;
  };
}

/** The contract in force now, for the partner itself and the operator (and subgraphs reading for them). */
export async function currentContractOf(
  caller: Caller,
  partner: { id: string; code: string },
  currentContracts: { load(partnerId: string): Promise<ContractRow | null> },
): Promise<ContractRow> {
  requirePartnerItselfOrOperator(caller, partner.id, 'read its contract', { services: true });
  const contract = await currentContracts.load(partner.id);
  if (!contract) throw notFound(`Partner ${partner.code} has no contract in force`);
  return contract;
}

/** Every contract the partner has had, newest first: its terms' history. */
export async function contractsOf(dataSource: DataSource, caller: Caller, partnerId: string): Promise<ContractRow[]> {
  requirePartnerItselfOrOperator(caller, partnerId, 'read its contracts', { services: true });
  return dataSource.getRepository(ContractRow).find({ where: { partnerId }, order: { effectiveFrom: 'DESC' } });
}

/**
 * Each contract's version: its rank among its partner's contracts by effectiveFrom, 1 for the first.
 * Computed, not stored: a contract is never back-dated, so one that has taken effect (every
 * contract a statement was priced with) keeps its number; only a future one can move up, when
 * another is scheduled before it.
 */
export async function contractVersions(manager: EntityManager, contractIds: readonly string[]): Promise<Map<string, number>> {
  const rows = (await manager.query(
    `SELECT c.id, (SELECT count(*) FROM contracts o WHERE o.partner_id = c.partner_id AND o.effective_from <= c.effective_from)::int AS version
       FROM contracts c WHERE c.id = ANY($1::uuid[])`,
    [contractIds],
  )) as { id: string; version: number }[];
  return new Map(rows.map((row) => [row.id, row.version]));
}

export interface PartnerTerms {
  partnerId: string;
  active: boolean;
  earnRateMilliPointsPerUnit: number;
  redemptionValueMicrosPerPoint: number;
  /** Null with no contract in force: what a campaign's bonus would cost is then unknown, not zero. */
  issuePriceMicrosPerPoint: number | null;
  currency: string;
  /**
   * When these terms stop being the ones in force: the start of the partner's next contract, null
   * with none scheduled. A reader that keeps the terms (members, partnerTerms.ts) drops them then;
   * a change made later (a new contract, a suspension) is announced on PARTNER_TERMS_CHANNEL.
   */
  termsUntil: Date | null;
}

/** What the ledger needs to turn purchases into points and points into money. Internal: subgraphs only. */
export async function partnerTerms(dataSource: DataSource, caller: Caller, partnerId: string): Promise<PartnerTerms> {
  requireService(caller, 'partnerTerms');
  const partner = await dataSource.getRepository(PartnerRow).findOneBy({ id: partnerId });
  if (!partner) throw notFound(`No partner with id ${partnerId}`);
  const now = new Date();
  const contract = await contractInForce(dataSource.manager, partnerId, now);
  const [next] = (await dataSource.query(
    'SELECT effective_from FROM contracts WHERE partner_id = $1 AND effective_from > $2 ORDER BY effective_from LIMIT 1',
    [partnerId, now],
  )) as { effective_from: Date }[];
  return {
    partnerId,
    // A partner with no contract in force cannot issue points: nobody would pay for them.
    active: partner.status === 'ACTIVE' && contract !== null,
    earnRateMilliPointsPerUnit: contract?.earnRateMilliPointsPerUnit ?? 0,
    redemptionValueMicrosPerPoint: contract?.redemptionValueMicrosPerPoint ?? 0,
    issuePriceMicrosPerPoint: contract?.issuePriceMicrosPerPoint ?? null,
    currency: contract?.currency ?? 'XXX',
    termsUntil: next?.effective_from ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// The registry (operator writes, each recorded with its author)

const CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$/;
export const MAX_EARN_RATE_MILLI_POINTS = 100_000;
export const MAX_PRICE_MICROS_PER_POINT = 1_000_000;

export interface RegisterPartnerInput {
  code: string;
  name: string;
  programName: string;
  category: PartnerCategory;
  idempotencyKey: string;
}

export async function registerPartner(dataSource: DataSource, caller: Caller, input: RegisterPartnerInput): Promise<string> {
  requireOperator(caller, 'register partners');
  if (!CODE_PATTERN.test(input.code)) throw badInput('code must be 3 to 60 lowercase letters, digits and dashes');
  const request = {
    code: input.code,
    name: checkText(input.name, 'name', 120),
    programName: checkText(input.programName, 'programName', 120),
    category: input.category,
  };
  const { partnerId } = await idempotentTransaction(
    dataSource,
    { scope: 'registerPartner', key: input.idempotencyKey, request },
    async (manager) => {
      const partnerId = randomUUID();
      const inserted: unknown[] = await manager.query(
        `INSERT INTO partners (id, code, name, program_name, category, status, created_by) VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6)
       ON CONFLICT (code) DO NOTHING RETURNING id`,
        [partnerId, request.code, request.name, request.programName, request.category, callerActor(caller)],
      );
      if (inserted.length === 0) throw badInput(`A partner with code ${request.code} exists`);
      await auditOperatorAction(manager, caller, 'registerPartner', partnerId, request);
      return { partnerId };
    },
  );
  return partnerId;
}

/**
 * Suspends or reactivates a partner. Announced after the commit (as a new contract is), every time,
 * a repeat too: a call that failed to announce is retried by calling again.
 */
export async function setPartnerStatus(
  deps: Pick<SettlementDeps, 'dataSource' | 'onPartnerTermsChanged'>,
  caller: Caller,
  partnerIdInput: string,
  status: PartnerStatus,
): Promise<string> {
  requireOperator(caller, 'change partner status');
  const partnerId = checkId(partnerIdInput, 'partnerId');
  await deps.dataSource.transaction(async (manager) => {
    const { affected } = await manager.getRepository(PartnerRow).update({ id: partnerId }, { status });
    if (!affected) throw notFound(`No partner with id ${partnerId}`);
    await auditOperatorAction(manager, caller, 'setPartnerStatus', partnerId, { status });
  });
  await deps.onPartnerTermsChanged(partnerId);
  return partnerId;
}

export interface SetContractInput {
  partnerId: string;
  earnRateMilliPointsPerUnit: number;
  issuePriceMicrosPerPoint: number;
  redemptionValueMicrosPerPoint: number;
  currency: string;
  effectiveFrom?: Date | string | null;
  idempotencyKey: string;
}

/**
 * A new contract from its effective date. Never in the past: events already counted keep the
 * price they were counted at. A partner keeps one currency (its statements are in it). Announced
 * after the commit, a replay under the same key too (so a retry announces what a failed call did
 * not): a contract that takes effect now changes the terms at once, a later one moves termsUntil.
 */
export async function setPartnerContract(
  deps: Pick<SettlementDeps, 'dataSource' | 'onPartnerTermsChanged'>,
  caller: Caller,
  input: SetContractInput,
): Promise<string> {
  const { dataSource } = deps;
  requireOperator(caller, 'set contracts');
  const partnerId = checkId(input.partnerId, 'partnerId');
  for (const [field, value, max] of [
    ['earnRateMilliPointsPerUnit', input.earnRateMilliPointsPerUnit, MAX_EARN_RATE_MILLI_POINTS],
    ['issuePriceMicrosPerPoint', input.issuePriceMicrosPerPoint, MAX_PRICE_MICROS_PER_POINT],
    ['redemptionValueMicrosPerPoint', input.redemptionValueMicrosPerPoint, MAX_PRICE_MICROS_PER_POINT],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > max) throw badInput(`${field} must be a whole number from 0 to ${max}`);
  }
  checkSettlementCurrency(input.currency);
  const effectiveFrom = input.effectiveFrom ? new Date(input.effectiveFrom) : null;
  if (effectiveFrom && Number.isNaN(effectiveFrom.getTime())) throw badInput('effectiveFrom is not a valid instant');
  const request = { ...input, partnerId, effectiveFrom: effectiveFrom?.toISOString() ?? null, idempotencyKey: undefined };
  const { contractId } = await idempotentTransaction(
    dataSource,
    { scope: `setPartnerContract:${partnerId}`, key: input.idempotencyKey, request },
    async (manager) => {
      const partner = await manager
        .getRepository(PartnerRow)
        .createQueryBuilder('p')
        .setLock('pessimistic_write')
        .where('p.id = :partnerId', { partnerId })
        .getOne();
      if (!partner) throw notFound(`No partner with id ${partnerId}`);
      // Counted events keep their prices: a contract takes effect now or later, and after every event
      // already counted for the partner (whose clock may run ahead of this one), never back-dated.
      const nowMs = Date.now();
      const from = effectiveFrom ?? new Date(nowMs);
      if (from.getTime() < nowMs) throw badInput('effectiveFrom must not be in the past: counted events keep their prices');
      const [latest] = (await manager.query(
        'SELECT occurred_at FROM settlement_entries WHERE partner_id = $1 ORDER BY occurred_at DESC LIMIT 1',
        [partnerId],
      )) as { occurred_at: Date }[];
      if (latest && from.getTime() <= latest.occurred_at.getTime()) {
        throw badInput(
          `effectiveFrom must be after ${latest.occurred_at.toISOString()}, the latest event already counted for the partner at its current prices`,
        );
      }
      const [sameStart] = (await manager.query('SELECT id FROM contracts WHERE partner_id = $1 AND effective_from = $2', [
        partnerId,
        from,
      ])) as { id: string }[];
      if (sameStart)
        throw badInput(`The partner already has a contract taking effect at ${from.toISOString()}; give another effectiveFrom`);
      const [other] = (await manager.query('SELECT currency FROM contracts WHERE partner_id = $1 AND currency <> $2 LIMIT 1', [
        partnerId,
        input.currency,
      ])) as {
        currency: string;
      }[];
      if (other) throw badInput(`The partner settles in ${other.currency}; a contract cannot change its currency`);
      const contractId = randomUUID();
      await manager.query(
        `INSERT INTO contracts (id, partner_id, earn_rate_milli_points_per_unit, issue_price_micros_per_point, redemption_value_micros_per_point,
                              currency, effective_from, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          contractId,
          partnerId,
          input.earnRateMilliPointsPerUnit,
          input.issuePriceMicrosPerPoint,
          input.redemptionValueMicrosPerPoint,
          input.currency,
          from,
          callerActor(caller),
        ],
      );
      await auditOperatorAction(manager, caller, 'setPartnerContract', partnerId, {
        contractId,
        earnRateMilliPointsPerUnit: input.earnRateMilliPointsPerUnit,
        issuePriceMicrosPerPoint: input.issuePriceMicrosPerPoint,
        redemptionValueMicrosPerPoint: input.redemptionValueMicrosPerPoint,
        currency: input.currency,
        effectiveFrom: from.toISOString(),
      });
      return { contractId };
    },
  );
  await deps.onPartnerTermsChanged(partnerId);
  return contractId;
}
