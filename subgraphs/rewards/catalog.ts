import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { actingPartner, checkCanReadMember, requirePartnerItselfOrOperator } from '../../shared/access';
import { badInput, DomainError, notFound } from '../../shared/errors';
import { auditOperatorAction } from '../../shared/audit';
import { idempotentTransaction } from '../../shared/idempotency';
import type { Caller } from '../../shared/identity';
import { checkCashPart, checkSettlementCurrency, currencyExponent, pointsToMinor, type CashPart } from '../../shared/money';
import { checkId, checkText } from '../../shared/validation';
import { RewardRow, type RewardKind, type TierLevel } from './entities';

/**
 * The rewards domain core, part one: the catalog (reads, and partners managing their rewards).
 * No GraphQL here. Redemptions are in redemptions.ts.
 */

export const MAX_TITLE_LENGTH = 120;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_POINTS_COST = 10_000_000;
export const MAX_STOCK = 1_000_000;
export const MAX_PER_MEMBER_LIMIT = 1000;
export const MAX_VOUCHER_VALID_DAYS = 366;
export const DEFAULT_VOUCHER_VALID_DAYS = 30;
const CATEGORY_PATTERN = /^[a-z0-9-]{1,40}$/;

/** What the catalog needs of the members ledger to filter by affordability. */
export interface MemberStandings {
  availablePoints(memberId: string): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Reads

export type RewardSort = 'POINTS_COST_ASC' | 'POINTS_COST_DESC' | 'NEWEST';

export interface CatalogQuery {
  partnerId?: string | null;
  category?: string | null;
  kind?: RewardKind | null;
  minPointsCost?: number | null;
  maxPointsCost?: number | null;
  affordableForMemberId?: string | null;
  availableNow?: boolean | null;
  sort?: RewardSort | null;
}

/** The SQL condition for "redeemable now": active, inside its window, in stock. */
export const AVAILABLE_NOW_SQL = `r.status = 'ACTIVE' AND (r.valid_from IS NULL OR r.valid_from <= now())
  AND (r.valid_until IS NULL OR r.valid_until > now()) AND (r.stock_remaining IS NULL OR r.stock_remaining > 0)`;

const SORTS: Record<RewardSort, { order: string; key: (r: RewardRow) => (string | number)[]; after: string }> = {
  POINTS_COST_ASC: {
    order: 'r.points_cost ASC, r.id ASC',
    key: (r) => [r.pointsCost, r.id],
    after: '(r.points_cost, r.id) > ($A::int, $B::uuid)',
  },
  POINTS_COST_DESC: {
    order: 'r.points_cost DESC, r.id DESC',
    key: (r) => [r.pointsCost, r.id],
    after: '(r.points_cost, r.id) < ($A::int, $B::uuid)',
  },
  NEWEST: {
    order: 'r.created_at DESC, r.id DESC',
    key: (r) => [r.createdAt.toISOString(), r.id],
    after: '(r.created_at, r.id) < ($A::timestamptz, $B::uuid)',
  },
};

export function rewardSortKey(sort: RewardSort): (r: RewardRow) => (string | number)[] {
  return SORTS[sort].key;
}

/**
 * A reward's columns under its RewardRow property names, read from the table aliased `r`; with a
 * prefix, under `<prefix><property>`, to read a reward beside another row in one statement.
 */
export function rewardColumns(prefix = ''): string {
  return `r.id AS "${prefix}id", r.partner_id AS "${prefix}partnerId", r.title AS "${prefix}title",
  r.description AS "${prefix}description", r.kind AS "${prefix}kind", r.category AS "${prefix}category",
  r.points_cost AS "${prefix}pointsCost", r.cash_value_minor AS "${prefix}cashValueMinor", r.currency AS "${prefix}currency",
  r.stock_remaining AS "${prefix}stockRemaining", r.per_member_limit AS "${prefix}perMemberLimit", r.min_tier AS "${prefix}minTier",
  r.valid_from AS "${prefix}validFrom", r.valid_until AS "${prefix}validUntil", r.voucher_valid_days AS "${prefix}voucherValidDays",
  r.status AS "${prefix}status", r.created_at AS "${prefix}createdAt", r.cash_min_points AS "${prefix}cashMinPoints",
  r.cash_micros_per_point::text AS "${prefix}cashMicrosPerPoint", r.cash_currency AS "${prefix}cashCurrency"`;
}

export const REWARD_COLUMNS = rewardColumns();

/** The catalog, filtered and sorted, keyset-paginated; fetches limit + 1. */
export async function listRewards(
  dataSource: DataSource,
  standings: MemberStandings,
  caller: Caller,
  query: CatalogQuery,
  limit: number,
  after: (string | number)[] | null,
): Promise<RewardRow[]> {
  const sort = SORTS[query.sort ?? 'POINTS_COST_ASC'];
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.partnerId) conditions.push(`r.partner_id = ${param(checkId(query.partnerId, 'partnerId'))}`);
  if (query.category) conditions.push(`r.category = ${param(query.category)}`);
  if (query.kind) conditions.push(`r.kind = ${param(query.kind)}`);
  for (const [bound, op] of [
    [query.minPointsCost, '>='],
    [query.maxPointsCost, '<='],
  ] as const) {
    if (bound === null || bound === undefined) continue;
    if (!Number.isInteger(bound) || bound < 0) throw badInput('Points cost bounds must be whole numbers of zero or more');
    conditions.push(`r.points_cost ${op} ${param(bound)}`);
  }
  if (query.affordableForMemberId) {
    const memberId = checkId(query.affordableForMemberId, 'affordableForMemberId');
    checkCanReadMember(caller, memberId);
    conditions.push(`r.points_cost <= ${param(await standings.availablePoints(memberId))}`);
  }
  if (query.availableNow ?? true) conditions.push(AVAILABLE_NOW_SQL);
  if (after) {
    const a = param(after[0]);
    const b = param(after[1]);
    conditions.push(sort.after.replace('$A', a).replace('$B', b));
  }
  const rows = await dataSource.query(
    `SELECT ${REWARD_COLUMNS} FROM rewards r ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY ${sort.order} LIMIT ${param(limit + 1)}`,
    params,
  );
  return rows.map((row: object) => Object.assign(new RewardRow(), row));
}

// ---------------------------------------------------------------------------------------------
// Points + cash

/**
 * Points + cash: a reward may declare a cash option, so a member pays part of its points cost in
 * money at the partner. The option names the least points a redemption must still pay
 * (`minPointsPart`) and what each point not paid costs in money (`cashMicrosPerPoint`, micro-units
 * of `currency`). The coalition sets a floor under the points part, MIN_POINTS_PART_PERCENT of the
 * cost: a reward is a points reward, and a partner cannot hand it out for 1 point and the rest in
 * cash (that is a sale, with the coalition's catalog, stock and vouchers lent to it). The cash part
 * is recorded on the redemption for the partner, never moved by the coalition; only the points
 * part is spent by the ledger and counted by settlement.
 */
export const MIN_POINTS_PART_PERCENT = 20;
/** Most a point may cost in money: 1000 major units. */
export const MAX_CASH_MICROS_PER_POINT = 1_000_000_000;

export interface CashOption {
  minPointsPart: number;
  cashMicrosPerPoint: number;
  currency: string;
}

/** The least points part the coalition allows for a cost: MIN_POINTS_PART_PERCENT of it, rounded up. */
export function minPointsPartFloor(pointsCost: number): number {
  return Math.max(1, Math.ceil((pointsCost * MIN_POINTS_PART_PERCENT) / 100));
}

/** Checks a cash option against the reward's points cost, before anything is written. */
export function checkCashOption(option: CashOption, pointsCost: number): CashOption {
  if (pointsCost < 2) throw badInput('A reward of 1 point has no cash option: its points part could not be smaller');
  const floor = minPointsPartFloor(pointsCost);
  if (!Number.isSafeInteger(option.minPointsPart) || option.minPointsPart < floor || option.minPointsPart >= pointsCost) {
    throw badInput(
      `cashOption.minPointsPart must be a whole number from ${floor} (${MIN_POINTS_PART_PERCENT}% of the points cost) to ${pointsCost - 1}`,
    );
  }
  checkRange(option.cashMicrosPerPoint, 'cashOption.cashMicrosPerPoint', 1, MAX_CASH_MICROS_PER_POINT);
  return {
    minPointsPart: option.minPointsPart,
    cashMicrosPerPoint: option.cashMicrosPerPoint,
    currency: checkSettlementCurrency(option.currency),
  };
}

/** A reward's cash option, if it has one. */
export function cashOptionOf(reward: RewardRow): CashOption | null {
  if (reward.cashMinPoints === null || reward.cashMicrosPerPoint === null || reward.cashCurrency === null) return null;
  return { minPointsPart: reward.cashMinPoints, cashMicrosPerPoint: Number(reward.cashMicrosPerPoint), currency: reward.cashCurrency };
}

/**
 * How a redemption of `reward` is paid: `pointsPart` points (the whole cost when omitted) and the
 * rest in money, the points not paid at the option's price, rounded once, half to even, as every
 * money figure here (shared/money.ts).
 */
export function splitPrice(reward: RewardRow, pointsPart: number | null | undefined): { pointsSpent: number; cash: CashPart | null } {
  if (pointsPart === null || pointsPart === undefined || pointsPart === reward.pointsCost) {
    return { pointsSpent: reward.pointsCost, cash: null };
  }
  const option = cashOptionOf(reward);
  if (!option) throw badInput('This reward is redeemed with points only: it has no cash option');
  if (!Number.isSafeInteger(pointsPart) || pointsPart < option.minPointsPart || pointsPart > reward.pointsCost) {
    throw badInput(`pointsPart must be a whole number from ${option.minPointsPart} to ${reward.pointsCost}`);
  }
  const amountMinor = pointsToMinor(BigInt(reward.pointsCost - pointsPart), BigInt(option.cashMicrosPerPoint), option.currency);
  if (amountMinor < 1n) throw badInput('The points not paid are worth less than one minor unit: pay them in points');
  return { pointsSpent: pointsPart, cash: checkCashPart({ amountMinor: Number(amountMinor), currency: option.currency }, option.currency) };
}

// ---------------------------------------------------------------------------------------------
// Partners managing their catalog

export interface CreateRewardInput {
  partnerId?: string | null;
  title: string;
  description: string;
  kind: RewardKind;
  category: string;
  pointsCost: number;
  cashValueMinor?: number | null;
  currency?: string | null;
  stock?: number | null;
  perMemberLimit?: number | null;
  minTier?: TierLevel | null;
  validFrom?: Date | string | null;
  validUntil?: Date | string | null;
  voucherValidDays?: number | null;
  /** Points + cash: how much of the cost a member may pay in money. */
  cashOption?: CashOption | null;
  idempotencyKey: string;
}

function checkRange(value: number | null | undefined, field: string, min: number, max: number): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${field} must be a whole number from ${min} to ${max}`);
}

function checkCategory(category: string): string {
  if (!CATEGORY_PATTERN.test(category)) throw badInput('category must be 1 to 40 lowercase letters, digits or dashes');
  return category;
}

function instant(value: Date | string | null | undefined, field: string): Date | null {
  if (value === null || value === undefined) return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw badInput(`${field} is not a valid instant`);
  return at;
}

export async function createReward(dataSource: DataSource, caller: Caller, input: CreateRewardInput): Promise<string> {
  const partnerId = actingPartner(caller, input.partnerId, 'create rewards');
  const title = checkText(input.title, 'title', MAX_TITLE_LENGTH);
  const description = checkText(input.description, 'description', MAX_DESCRIPTION_LENGTH);
  const category = checkCategory(input.category);
  checkRange(input.pointsCost, 'pointsCost', 1, MAX_POINTS_COST);
  checkRange(input.cashValueMinor, 'cashValueMinor', 0, 100_000_000);
  checkRange(input.stock, 'stock', 0, MAX_STOCK);
  checkRange(input.perMemberLimit, 'perMemberLimit', 1, MAX_PER_MEMBER_LIMIT);
  checkRange(input.voucherValidDays, 'voucherValidDays', 1, MAX_VOUCHER_VALID_DAYS);
  if (((input.cashValueMinor ?? null) === null) !== ((input.currency ?? null) === null))
    throw badInput('cashValueMinor and currency go together');
  if (input.currency) currencyExponent(input.currency);
  const validFrom = instant(input.validFrom, 'validFrom');
  const validUntil = instant(input.validUntil, 'validUntil');
  if (validFrom && validUntil && validUntil <= validFrom) throw badInput('validUntil must be after validFrom');
  const cashOption = input.cashOption ? checkCashOption(input.cashOption, input.pointsCost) : null;
  const row = {
    partnerId,
    title,
    description,
    kind: input.kind,
    category,
    pointsCost: input.pointsCost,
    cashValueMinor: input.cashValueMinor ?? null,
    currency: input.currency ?? null,
    stock: input.stock ?? null,
    perMemberLimit: input.perMemberLimit ?? null,
    minTier: input.minTier ?? 'BASE',
    validFrom: validFrom?.toISOString() ?? null,
    validUntil: validUntil?.toISOString() ?? null,
    voucherValidDays: input.voucherValidDays ?? DEFAULT_VOUCHER_VALID_DAYS,
    // Only when given: a retry of a creation from before points + cash keeps its hash.
    ...(cashOption ? { cashOption } : {}),
  };
  const { rewardId } = await idempotentTransaction(
    dataSource,
    { scope: `createReward:${partnerId}`, key: input.idempotencyKey, request: row },
    async (manager) => {
      const rewardId = randomUUID();
      await manager.query(
        `INSERT INTO rewards (id, partner_id, title, description, kind, category, points_cost, cash_value_minor, currency, stock_remaining,
                            per_member_limit, min_tier, valid_from, valid_until, voucher_valid_days, cash_min_points, cash_micros_per_point,
                            cash_currency)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
        [
          rewardId,
          row.partnerId,
          row.title,
          row.description,
          row.kind,
          row.category,
          row.pointsCost,
          row.cashValueMinor,
          row.currency,
          row.stock,
          row.perMemberLimit,
          row.minTier,
          row.validFrom,
          row.validUntil,
          row.voucherValidDays,
          cashOption?.minPointsPart ?? null,
          cashOption?.cashMicrosPerPoint ?? null,
          cashOption?.currency ?? null,
        ],
      );
      await auditOperatorAction(manager, caller, 'createReward', rewardId, {
        partnerId,
        title,
        pointsCost: row.pointsCost,
        stock: row.stock,
      });
      return { rewardId };
    },
  );
  return rewardId;
}

async function rewardForManagement(dataSource: DataSource, caller: Caller, rewardIdInput: string): Promise<RewardRow> {
  const reward = await dataSource.getRepository(RewardRow).findOneBy({ id: checkId(rewardIdInput, 'rewardId') });
  if (!reward) throw notFound(`No reward with id ${rewardIdInput}`);
  requirePartnerItselfOrOperator(caller, reward.partnerId, 'manage its rewards');
  return reward;
}

export interface UpdateRewardInput {
  rewardId: string;
  title?: string | null;
  description?: string | null;
  category?: string | null;
  pointsCost?: number | null;
  perMemberLimit?: number | null;
  minTier?: TierLevel | null;
  validUntil?: Date | string | null;
}

/** Changes a reward's catalog entry; redemptions already made keep what they spent. */
export async function updateReward(dataSource: DataSource, caller: Caller, input: UpdateRewardInput): Promise<string> {
  const reward = await rewardForManagement(dataSource, caller, input.rewardId);
  const changes: Partial<RewardRow> = {};
  if (input.title != null) changes.title = checkText(input.title, 'title', MAX_TITLE_LENGTH);
  if (input.description != null) changes.description = checkText(input.description, 'description', MAX_DESCRIPTION_LENGTH);
  if (input.category != null) changes.category = checkCategory(input.category);
  if (input.pointsCost != null) {
    checkRange(input.pointsCost, 'pointsCost', 1, MAX_POINTS_COST);
    // The cash option's points part must stay within the new cost and above its floor.
    const option = cashOptionOf(reward);
    if (option) checkCashOption(option, input.pointsCost);
    changes.pointsCost = input.pointsCost;
  }
  if (input.perMemberLimit != null) {
    checkRange(input.perMemberLimit, 'perMemberLimit', 1, MAX_PER_MEMBER_LIMIT);
    changes.perMemberLimit = input.perMemberLimit;
  }
  if (input.minTier != null) changes.minTier = input.minTier;
  if (input.validUntil != null) {
    const validUntil = instant(input.validUntil, 'validUntil')!;
    if (reward.validFrom && validUntil <= reward.validFrom) throw badInput('validUntil must be after validFrom');
    changes.validUntil = validUntil;
  }
  if (Object.keys(changes).length) {
    await dataSource.transaction(async (manager) => {
      await manager.getRepository(RewardRow).update({ id: reward.id }, changes);
      await auditOperatorAction(manager, caller, 'updateReward', reward.id, { ...changes });
    });
  }
  return reward.id;
}

export async function retireReward(dataSource: DataSource, caller: Caller, rewardId: string): Promise<string> {
  const reward = await rewardForManagement(dataSource, caller, rewardId);
  await dataSource.transaction(async (manager) => {
    await manager.getRepository(RewardRow).update({ id: reward.id }, { status: 'RETIRED' });
    await auditOperatorAction(manager, caller, 'retireReward', reward.id);
  });
  return reward.id;
}

/** Adds or removes units; stock never goes below zero, whatever redemptions run meanwhile. */
export async function adjustRewardStock(
  dataSource: DataSource,
  caller: Caller,
  input: { rewardId: string; delta: number; idempotencyKey: string },
): Promise<string> {
  const reward = await rewardForManagement(dataSource, caller, input.rewardId);
  if (!Number.isInteger(input.delta) || input.delta === 0 || Math.abs(input.delta) > MAX_STOCK)
    throw badInput(`delta must be a non-zero whole number within ±${MAX_STOCK}`);
  if (reward.stockRemaining === null) throw badInput('The reward has unlimited stock');
  await idempotentTransaction(
    dataSource,
    { scope: `adjustRewardStock:${reward.id}`, key: input.idempotencyKey, request: { delta: input.delta } },
    async (manager) => {
      const [[updated]] = (await manager.query(
        `UPDATE rewards SET stock_remaining = stock_remaining + $2 WHERE id = $1 AND stock_remaining + $2 BETWEEN 0 AND $3 RETURNING id`,
        [reward.id, input.delta, MAX_STOCK],
      )) as [unknown[], number];
      if (!updated) throw new DomainError('BAD_USER_INPUT', `Stock cannot go below zero or above ${MAX_STOCK}`);
      await auditOperatorAction(manager, caller, 'adjustRewardStock', reward.id, { delta: input.delta });
      return { rewardId: reward.id };
    },
  );
  return reward.id;
}
