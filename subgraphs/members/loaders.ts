import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { MemberRow, TransferRow } from './entities';
import type { BalanceView } from './ledger';

/**
 * Per-request batch loaders: every per-entity lookup of one request (a list of members, the
 * `_entities` call the gateway makes for a page of redemptions) becomes one query. Created for
 * each request and dropped with it, so no caller ever sees another's cached rows.
 */
export interface MembersLoaders {
  member: DataLoader<string, MemberRow | null>;
  balance: DataLoader<string, BalanceView>;
  transfer: DataLoader<string, TransferRow | null>;
}

function byId<T>(ids: readonly string[], rows: T[], idOf: (row: T) => string): (T | null)[] {
  const found = new Map(rows.map((row) => [idOf(row), row]));
  return ids.map((id) => found.get(id) ?? null);
}

export function createMembersLoaders(dataSource: DataSource): MembersLoaders {
  return {
    member: new DataLoader(async (ids) =>
      byId(ids, await dataSource.getRepository(MemberRow).createQueryBuilder('m').where('m.id IN (:...ids)', { ids }).getMany(), (m) => m.id),
    ),
    balance: new DataLoader(async (memberIds) => {
      const rows: { member_id: string; available: string; lifetime: string }[] = await dataSource.query(
        `SELECT m.id AS member_id, coalesce(a.balance_points, 0)::text AS available, m.lifetime_earned_points::text AS lifetime
           FROM members m LEFT JOIN accounts a ON a.kind = 'MEMBER' AND a.owner_id = m.id
          WHERE m.id = ANY($1::uuid[])`,
        [memberIds],
      );
      const found = new Map(rows.map((r) => [r.member_id, r]));
      return memberIds.map((id) => {
        const row = found.get(id);
        return {
          availablePoints: Number(row?.available ?? 0),
          lifetimeEarnedPoints: Number(row?.lifetime ?? 0),
        };
      });
    }),
    transfer: new DataLoader(async (ids) =>
      byId(ids, await dataSource.getRepository(TransferRow).createQueryBuilder('t').where('t.id IN (:...ids)', { ids }).getMany(), (t) => t.id),
    ),
  };
}

