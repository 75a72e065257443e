import { preparedRead } from '../../shared/database';
import type { DataSource } from 'typeorm';
import { checkCanReadMemberRecord, memberRecordsScope, requireService } from '../../shared/access';
import { eventsAfter, type PublishedEvent } from '../../shared/outbox';
import { notFound } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import { checkId } from '../../shared/validation';
import { AVAILABLE_NOW_SQL, REWARD_COLUMNS, rewardColumns } from './catalog';
import { RedemptionRow, RewardRow } from './entities';

/**
 * The rewards domain core, part three: reads. First what a caller may read of redemptions (the
 * access rule is applied here, through the request's loaders), then the batched reads for lists
 * under many parents (loaders.ts calls these once per request and group): a page of members or
 * partners costs one query per list, not one per parent. No GraphQL here.
 */

/** One page of a list: its size and the sort key of the row it follows (null for the first). */
export type Page = { limit: number; after: (string | number)[] | null };

/** A redemption by id, if the caller may read it (shared/access.ts, memberRecordsScope). */
export async function readRedemption(
  caller: Caller,
  redemptions: { load(id: string): Promise<RedemptionRow | null> },
  idInput: string,
): Promise<RedemptionRow> {
  const redemption = await redemptions.load(checkId(idInput, 'id'));
  if (!redemption) throw notFound(`No redemption with id ${idInput}`);
  checkCanReadMemberRecord(caller, redemption, 'redemptions');
  return redemption;
}

/**
 * A redemption another subgraph's answer referenced, if the caller may read it; null where there
 * is none, as federation expects of an unknown reference.
 */
export async function readReferencedRedemption(
  caller: Caller,
  redemptions: { load(id: string): Promise<RedemptionRow | null> },
  id: string,
): Promise<RedemptionRow | null> {
  const redemption = await redemptions.load(id);
  if (redemption) checkCanReadMemberRecord(caller, redemption, 'redemptions');
  return redemption;
}

/** A page of a member's redemptions (limit + 1), newest first: all of them, or a partner's share. */
export async function readRedemptionsOfMember(
  caller: Caller,
  redemptionsOfMember: { load(key: { parent: string; options: Page & { partnerId: string | null } }): Promise<RedemptionRow[]> },
  memberId: string,
  page: Page,
): Promise<RedemptionRow[]> {
  const partnerId = memberRecordsScope(caller, memberId, 'redemptions');
  return redemptionsOfMember.load({ parent: memberId, options: { partnerId, ...page } });
}

// ---------------------------------------------------------------------------------------------
// Batched reads

const REDEMPTION_COLUMNS = `d.id, d.member_id AS "memberId", d.reward_id AS "rewardId", d.partner_id AS "partnerId",
  d.points_spent AS "pointsSpent", d.status, d.ledger_reservation_id AS "ledgerReservationId", d.ledger_transfer_id AS "ledgerTransferId",
  d.voucher_code AS "voucherCode", d.voucher_expires_at AS "voucherExpiresAt", d.failure_code AS "failureCode",
  d.failure_message AS "failureMessage", d.created_at AS "createdAt"`;

/** Groups rows fetched for several parents (keyed by `parent`) back into one list per parent. */
function groupBy<T extends object>(
  parents: readonly (string | number)[],
  rows: ({ parent: string | number } & Record<string, unknown>)[],
  entity: new () => T,
): T[][] {
  const lists = new Map<string | number, T[]>();
  for (const { parent, ...row } of rows) {
    const list = lists.get(parent) ?? [];
    list.push(Object.assign(new entity(), row));
    lists.set(parent, list);
  }
  return parents.map((parent) => lists.get(parent) ?? []);
}

/** A page of redemptions, each with the reward it redeemed, read in the same statement. */
export interface RedemptionsWithRewards {
  redemptions: RedemptionRow[];
  rewards: RewardRow[];
}

/** Where a redemption's reward sits in a row of redemptionsOfMembers: its columns under this prefix. */
const REWARD_PREFIX = 'reward.';

/**
 * Several members' redemptions, newest first, `limit + 1` each, in one query, each with its
 * reward (a foreign key: every redemption has one): a redemption is shown with what it redeemed
 * (the wallet, the deep query), which would otherwise be one more statement by id right after.
 * The join may reorder rows, hence the outer ORDER BY. `partnerId` narrows them to one partner's
 * (what a partner caller may see; readRedemptionsOfMember decides).
 */
export async function redemptionsOfMembers(
  dataSource: DataSource,
  memberIds: readonly string[],
  options: { partnerId: string | null; limit: number; after: (string | number)[] | null },
): Promise<RedemptionsWithRewards[]> {
  const rows = await preparedRead(
    dataSource,
    `SELECT m.id AS parent, d.*, ${rewardColumns(REWARD_PREFIX)} FROM unnest($1::uuid[]) AS m(id)
     CROSS JOIN LATERAL (
       SELECT ${REDEMPTION_COLUMNS} FROM redemptions d
        WHERE d.member_id = m.id AND ($2::uuid IS NULL OR d.partner_id = $2)
          AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3::timestamptz, $4::uuid))
        ORDER BY d.created_at DESC, d.id DESC LIMIT $5
     ) d
     JOIN rewards r ON r.id = d."rewardId"
     ORDER BY d."createdAt" DESC, d.id DESC`,
    [memberIds, options.partnerId, options.after?.[0] ?? null, options.after?.[1] ?? null, options.limit + 1],
  );
  const pages = new Map<string, RedemptionsWithRewards>();
  for (const row of rows as Record<string, unknown>[]) {
    const redemption = new RedemptionRow();
    const reward = new RewardRow();
    for (const [column, value] of Object.entries(row)) {
      if (column.startsWith(REWARD_PREFIX)) (reward as unknown as Record<string, unknown>)[column.slice(REWARD_PREFIX.length)] = value;
      else if (column !== 'parent') (redemption as unknown as Record<string, unknown>)[column] = value;
    }
    const parent = row.parent as string;
    const page = pages.get(parent) ?? { redemptions: [], rewards: [] };
    page.redemptions.push(redemption);
    page.rewards.push(reward);
    pages.set(parent, page);
  }
  return memberIds.map((id) => pages.get(id) ?? { redemptions: [], rewards: [] });
}

/** For each points budget, the cheapest rewards available now that it covers, `limit` each, in one query. */
export async function affordableRewards(dataSource: DataSource, budgets: readonly number[], limit: number): Promise<RewardRow[][]> {
  const rows = await preparedRead(
    dataSource,
    `SELECT b.points AS parent, r.* FROM unnest($1::int[]) AS b(points)
     CROSS JOIN LATERAL (
       SELECT ${REWARD_COLUMNS} FROM rewards r
        WHERE r.points_cost <= b.points AND ${AVAILABLE_NOW_SQL}
        ORDER BY r.points_cost, r.id LIMIT $2
     ) r`,
    [budgets, limit],
  );
  return groupBy(budgets, rows, RewardRow);
}

/** Several partners' rewards (retired included), cheapest first, `limit + 1` each, in one query. */
export async function rewardsOfPartners(
  dataSource: DataSource,
  partnerIds: readonly string[],
  options: { limit: number; after: (string | number)[] | null },
): Promise<RewardRow[][]> {
  const rows = await preparedRead(
    dataSource,
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

/**
 * The rewards outbox's published events after a position, oldest first: settlement's webhook feed
 * reads these after its durable checkpoint (the relay signals `coalition_reward_events`). Internal.
 */
export function rewardEventsAfter(dataSource: DataSource, caller: Caller, afterPosition: bigint, first: number): Promise<PublishedEvent[]> {
  requireService(caller, 'rewardEvents');
  return eventsAfter(dataSource.manager, afterPosition, first);
}
