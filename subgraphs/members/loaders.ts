import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../shared/loaders';
import { MemberRow, ReservationRow, TransferRow } from './entities';
import { balancesFor, qualifyingPointsFor, transactionsFor, type BalanceView, type MemberTransaction, type TransactionFilter } from './reads';

/**
 * Per-request batch loaders (contract in shared/loaders.ts): every per-member lookup of one
 * request (a page of members, the `_entities` call the gateway makes for a page of redemptions)
 * becomes one query, whatever the number of members.
 */
export interface MembersLoaders {
  member: DataLoader<string, MemberRow | null>;
  balance: DataLoader<string, BalanceView>;
  qualifyingPoints: DataLoader<string, number>;
  transfer: DataLoader<string, TransferRow | null>;
  reservation: DataLoader<string, ReservationRow | null>;
  transactions: DataLoader<{ memberId: string; filter: TransactionFilter }, MemberTransaction[], string>;
}

export function createMembersLoaders(dataSource: DataSource): MembersLoaders {
  return {
    member: byIdLoader(dataSource, MemberRow),
    balance: new DataLoader((memberIds) => balancesFor(dataSource, memberIds)),
    qualifyingPoints: new DataLoader((memberIds) => qualifyingPointsFor(dataSource, memberIds)),
    transfer: byIdLoader(dataSource, TransferRow),
    reservation: byIdLoader(dataSource, ReservationRow),
    // Members asking with the same filter share one query; different filters get one query each.
    transactions: new DataLoader(
      async (keys) => {
        const groups = new Map<string, { filter: TransactionFilter; memberIds: string[] }>();
        for (const { memberId, filter } of keys) {
          const groupKey = JSON.stringify(filter);
          const group = groups.get(groupKey) ?? { filter, memberIds: [] };
          group.memberIds.push(memberId);
          groups.set(groupKey, group);
        }
        const results = new Map<string, MemberTransaction[]>();
        for (const [groupKey, { filter, memberIds }] of groups) {
          const lists = await transactionsFor(dataSource, memberIds, filter);
          memberIds.forEach((id, i) => results.set(`${id}|${groupKey}`, lists[i]!));
        }
        return keys.map(({ memberId, filter }) => results.get(`${memberId}|${JSON.stringify(filter)}`)!);
      },
      { cacheKeyFn: ({ memberId, filter }) => `${memberId}|${JSON.stringify(filter)}` },
    ),
  };
}
