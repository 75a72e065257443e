import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../shared/loaders';
import { MemberRow, TransferRow } from './entities';
import type { BalanceView } from './ledger';

/**
 * Per-request batch loaders (contract in shared/loaders.ts): every per-entity lookup of one
 * request (a list of members, the `_entities` call the gateway makes for a page of redemptions)
 * becomes one query.
 */
export interface MembersLoaders {
  member: DataLoader<string, MemberRow | null>;
  balance: DataLoader<string, BalanceView>;
  transfer: DataLoader<string, TransferRow | null>;
}

export function createMembersLoaders(dataSource: DataSource): MembersLoaders {
  return {
    member: byIdLoader(dataSource, MemberRow),
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
    transfer: byIdLoader(dataSource, TransferRow),
  };
}

