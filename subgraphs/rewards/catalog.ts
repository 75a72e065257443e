import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { assertInvariant, DomainError, ERROR_CODES, forbidden, notFound, unauthenticated, type ErrorCode } from '../../shared/errors';
import { idempotentTransaction } from '../../shared/idempotency';
import { checkId } from '../../shared/validation';
import type { Caller } from '../../shared/identity';
import { RedemptionRow, RewardRow } from './entities';

/**
 * The rewards domain core: the catalog and redemptions. No GraphQL here. Points move only through
 * the members ledger (the PointsLedger port); this subgraph never writes a balance.
 */

/** What the rewards subgraph needs of the members ledger: two-phase debits. */
export interface PointsLedger {
  /** Holds points; idempotent by key. Resolves with the reservation id. */
  reserve(input: { memberId: string; partnerId: string; points: number; reference: string; idempotencyKey: string }): Promise<string>;
  /** Spends held points; posting twice is a no-op. Resolves with the ledger's REDEEM transfer id. */
  post(reservationId: string): Promise<string>;
}

export interface RewardsDeps {
  dataSource: DataSource;
  ledger: PointsLedger;
}

// ---------------------------------------------------------------------------------------------
// Access

/** A member's redemptions: the member itself and the operator see all; a partner sees those made at it. */
export function redemptionScope(caller: Caller, memberId: string): { partnerId: string | null } {
  switch (caller.kind) {
    case 'member':
      if (caller.memberId !== memberId) throw forbidden("A member may read only its own redemptions");
      return { partnerId: null };
    case 'operator':
    case 'service':
      return { partnerId: null };
    case 'partner':
      return { partnerId: caller.partnerId };
    case 'anonymous':
      throw unauthenticated('Sign in to read redemptions');
  }
}

export function checkCanReadRedemption(caller: Caller, redemption: RedemptionRow): void {
  const { partnerId } = redemptionScope(caller, redemption.memberId);
  if (partnerId !== null && partnerId !== redemption.partnerId) {
    throw forbidden('A partner may read only redemptions made at it');
  }
}

function checkCanRedeemFor(caller: Caller, memberId: string): void {
  if (caller.kind === 'operator') return;
  if (caller.kind === 'member' && caller.memberId === memberId) return;
  if (caller.kind === 'anonymous') throw unauthenticated('Sign in as the member to redeem');
  throw forbidden('Only the member itself and the operator may redeem its points');
}

// ---------------------------------------------------------------------------------------------
// Catalog reads: public.

export interface CatalogFilter {
  partnerId?: string | null;
  category?: string | null;
}

/** Catalog rows cheapest first, keyset-paginated on (points_cost, id); fetches limit + 1. */
export async function listRewards(
  dataSource: DataSource,
  filter: CatalogFilter,
  limit: number,
  after: (string | number)[] | null,
): Promise<RewardRow[]> {
  const query = dataSource.getRepository(RewardRow).createQueryBuilder('r').orderBy('r.pointsCost', 'ASC').addOrderBy('r.id', 'ASC').limit(limit + 1);
  if (filter.partnerId) query.andWhere('r.partnerId = :partnerId', { partnerId: checkId(filter.partnerId, 'partnerId') });
  if (filter.category) query.andWhere('r.category = :category', { category: filter.category });
  if (after) query.andWhere('(r.pointsCost, r.id) > (:afterCost, :afterId)', { afterCost: after[0], afterId: after[1] });
  return query.getMany();
}

const REWARD_COLUMNS = `r.id, r.partner_id AS "partnerId", r.title, r.description, r.kind, r.category, r.points_cost AS "pointsCost",
  r.cash_value_minor AS "cashValueMinor", r.currency, r.stock_remaining AS "stockRemaining"`;
const REDEMPTION_COLUMNS = `d.id, d.member_id AS "memberId", d.reward_id AS "rewardId", d.partner_id AS "partnerId",
  d.points_spent AS "pointsSpent", d.status, d.voucher_code AS "voucherCode", d.ledger_transfer_id AS "ledgerTransferId",
  d.failure_code AS "failureCode", d.failure_message AS "failureMessage", d.created_at AS "createdAt"`;

/** Groups rows fetched for several parents (keyed by `parent`) back into one list per parent. */
function groupBy<T extends object>(parents: readonly (string | number)[], rows: ({ parent: string | number } & Record<string, unknown>)[], entity: new () => T): T[][] {
  const lists = new Map<string | number, T[]>();
  for (const { parent, ...row } of rows) {
    const list = lists.get(parent) ?? [];
    list.push(Object.assign(new entity(), row));
    lists.set(parent, list);
  }
  return parents.map((parent) => lists.get(parent) ?? []);
}

/**
 * Several members' redemptions, newest first, `limit + 1` each, in one query. `partnerId` narrows
 * them to one partner's (what a partner caller may see; redemptionScope decides).
 */
export async function redemptionsOfMembers(
  dataSource: DataSource,
  memberIds: readonly string[],
  options: { partnerId: string | null; limit: number; after: (string | number)[] | null },
): Promise<RedemptionRow[][]> {
  const rows = await dataSource.query(
    `SELECT m.id AS parent, d.* FROM unnest($1::uuid[]) AS m(id)
     CROSS JOIN LATERAL (
       SELECT ${REDEMPTION_COLUMNS} FROM redemptions d
        WHERE d.member_id = m.id AND ($2::uuid IS NULL OR d.partner_id = $2)
          AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3::timestamptz, $4::uuid))
        ORDER BY d.created_at DESC, d.id DESC LIMIT $5
     ) d`,
    [memberIds, options.partnerId, options.after?.[0] ?? null, options.after?.[1] ?? null, options.limit + 1],
  );
  return groupBy(memberIds, rows, RedemptionRow);
}

/** For each points budget, the cheapest rewards in stock it covers, `limit` each, in one query. */
export async function affordableRewards(dataSource: DataSource, budgets: readonly number[], limit: number): Promise<RewardRow[][]> {
  const rows = await dataSource.query(
    `SELECT b.points AS parent, r.* FROM unnest($1::int[]) AS b(points)
     CROSS JOIN LATERAL (
       SELECT ${REWARD_COLUMNS} FROM rewards r
        WHERE r.points_cost <= b.points AND (r.stock_remaining IS NULL OR r.stock_remaining > 0)
        ORDER BY r.points_cost, r.id LIMIT $2
     ) r`,
    [budgets, limit],
  );
  return groupBy(budgets, rows, RewardRow);
}

/** Several partners' rewards, cheapest first, `limit + 1` each, in one query. */
export async function rewardsOfPartners(
  dataSource: DataSource,
  partnerIds: readonly string[],
  options: { limit: number; after: (string | number)[] | null },
): Promise<RewardRow[][]> {
  const rows = await dataSource.query(
    `SELECT p.id AS parent, r.* FROM unnest($1::uuid[]) AS p(id)
     CROSS JOIN LATERAL (
       SELECT ${REWARD_COLUMNS} FROM rewards r
        WHERE r.partner_id = p.id AND ($2::int IS NULL OR (r.points_cost, r.id) > ($2::int, $3::uuid))
        ORDER BY r.points_cost, r.id LIMIT $4
     ) r`,
    [partnerIds, options.after?.[0] ?? null, options.after?.[1] ?? null, options.limit + 1],
  );
  return groupBy(partnerIds, rows, RewardRow);
}

// ---------------------------------------------------------------------------------------------
// Redemption

/**
 * Voucher codes: 12 symbols of Crockford's base32 alphabet (no I, L, O, U: nothing to misread)
 * from the operating system's CSPRNG, so 60 bits of entropy. With a million live vouchers a guess
 * succeeds with probability 1e6 / 2^60, under 1e-12; an attacker would need around 10^12 attempts
 * for one hit, far beyond any rate limit. Codes are unique (database constraint).
 */
const VOUCHER_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const VOUCHER_CODE_LENGTH = 12;

export function newVoucherCode(): string {
  let code = '';
  for (let i = 0; i < VOUCHER_CODE_LENGTH; i += 1) code += VOUCHER_ALPHABET[randomInt(VOUCHER_ALPHABET.length)];
  return code;
}

export interface RedeemInput {
  memberId: string;
  rewardId: string;
  idempotencyKey: string;
}

/**
 * Redeems a reward in three steps under one idempotency key:
 * 1. hold one unit of stock and record a PENDING redemption (one transaction; the conditional
 *    decrement never lets stock go below zero, whatever the concurrency);
 * 2. reserve the points in the members ledger (keyed by the redemption id, so repeating the step
 *    never holds twice), then post the reservation (posting twice is a no-op);
 * 3. ISSUED with a voucher code, or FAILED with the stock given back when the ledger refused.
 * A retry with the same key resumes a PENDING redemption at step 2, returns an ISSUED one, and
 * repeats the error of a FAILED one. If the ledger cannot be reached the redemption stays PENDING
 * and the caller gets UPSTREAM_UNAVAILABLE: retrying with the same key completes it.
 */
export async function redeemReward(deps: RewardsDeps, caller: Caller, input: RedeemInput): Promise<string> {
  const memberId = checkId(input.memberId, 'memberId');
  const rewardId = checkId(input.rewardId, 'rewardId');
  checkCanRedeemFor(caller, memberId);

  const { redemptionId } = await idempotentTransaction(
    deps.dataSource,
    { scope: `redeemReward:${memberId}`, key: input.idempotencyKey, request: { memberId, rewardId } },
    async (manager) => {
      const [held] = (
        (await manager.query(
          `UPDATE rewards SET stock_remaining = stock_remaining - 1
            WHERE id = $1 AND (stock_remaining IS NULL OR stock_remaining > 0)
            RETURNING partner_id, points_cost`,
          [rewardId],
        )) as [{ partner_id: string; points_cost: number }[], number]
      )[0];
      if (!held) {
        const exists = await manager.getRepository(RewardRow).existsBy({ id: rewardId });
        if (!exists) throw notFound(`No reward with id ${rewardId}`);
        throw new DomainError('OUT_OF_STOCK', 'This reward is out of stock');
      }
      const redemptionId = randomUUID();
      await manager.query(
        `INSERT INTO redemptions (id, member_id, reward_id, partner_id, points_spent, status) VALUES ($1, $2, $3, $4, $5, 'PENDING')`,
        [redemptionId, memberId, rewardId, held.partner_id, held.points_cost],
      );
      return { redemptionId };
    },
  );

  const redemption = await deps.dataSource.getRepository(RedemptionRow).findOneByOrFail({ id: redemptionId });
  if (redemption.status === 'PENDING') await completeRedemption(deps, redemption);
  const settled = await deps.dataSource.getRepository(RedemptionRow).findOneByOrFail({ id: redemptionId });
  if (settled.status === 'FAILED') {
    const code = (ERROR_CODES as readonly string[]).includes(settled.failureCode ?? '') ? (settled.failureCode as ErrorCode) : 'BAD_USER_INPUT';
    throw new DomainError(code, settled.failureMessage ?? 'The redemption failed');
  }
  return redemptionId;
}

/** Steps 2 and 3 of redeemReward. */
async function completeRedemption(deps: RewardsDeps, redemption: RedemptionRow): Promise<void> {
  let transferId: string;
  try {
    const reservationId = await deps.ledger.reserve({
      memberId: redemption.memberId,
      partnerId: redemption.partnerId,
      points: redemption.pointsSpent,
      reference: `redemption:${redemption.id}`,
      idempotencyKey: `redemption:${redemption.id}`,
    });
    transferId = await deps.ledger.post(reservationId);
  } catch (error) {
    // The ledger said no (not enough points, no such member, the hold timed out): nothing was
    // spent, so give the stock back. The ledger unreachable leaves the redemption PENDING: a retry
    // with the same key resumes it, and the reservation is found again by its key.
    if (error instanceof DomainError && error.code !== 'UPSTREAM_UNAVAILABLE') {
      await deps.dataSource.transaction(async (manager) => {
        const [[failed]] = (await manager.query(
          `UPDATE redemptions SET status = 'FAILED', failure_code = $2, failure_message = $3
            WHERE id = $1 AND status = 'PENDING' RETURNING reward_id`,
          [redemption.id, error.code, error.message],
        )) as [{ reward_id: string }[], number];
        if (failed) {
          await manager.query(
            'UPDATE rewards SET stock_remaining = stock_remaining + 1 WHERE id = $1 AND stock_remaining IS NOT NULL',
            [failed.reward_id],
          );
        }
      });
      return;
    }
    throw error;
  }
  await deps.dataSource.transaction(async (manager) => {
    const [, updated] = (await manager.query(
      `UPDATE redemptions SET status = 'ISSUED', voucher_code = $2, ledger_transfer_id = $3 WHERE id = $1 AND status = 'PENDING'`,
      [redemption.id, newVoucherCode(), transferId],
    )) as [unknown[], number];
    // Someone else completed it first (a concurrent retry): it must then be ISSUED by the same transfer.
    if (updated === 0) {
      const current = await manager.getRepository(RedemptionRow).findOneByOrFail({ id: redemption.id });
      assertInvariant(current.status === 'ISSUED' && current.ledgerTransferId === transferId, `redemption ${redemption.id} issued once`);
    }
  });
}
