import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, perParentLoader } from '../../shared/loaders';
import { MemberRow, ReservationRow, TransferRow } from './entities';
import { activeCardsOf } from './identifiers';
import { pinsSetOf } from './pins';
import {
  consentsOf,
  figuresFor,
  membersWithFiguresFor,
  transactionsFor,
  type MemberFigures,
  type MemberTransaction,
  type TransactionFilter,
} from './reads';

/**
 * Per-request batch loaders (contract in shared/loaders.ts): every per-member lookup of one
 * request (a page of members, the `_entities` call the gateway makes for a page of redemptions)
 * becomes one query, whatever the number of members.
 */
export interface MembersLoaders {
  member: DataLoader<string, MemberRow | null>;
  /**
   * Members read with their figures in the same statement, answering this request's `member` and
   * `figures` loads of them too: for a read that will show a member's balance or tier.
   */
  memberWithFigures: DataLoader<string, MemberRow | null>;
  /** Each member's balance and qualifying points, read together. */
  figures: DataLoader<string, MemberFigures>;
  transfer: DataLoader<string, TransferRow | null>;
  reservation: DataLoader<string, ReservationRow | null>;
  /** Partners each member consented to. */
  consents: DataLoader<string, Set<string>>;
  transactions: DataLoader<{ parent: string; options: TransactionFilter }, MemberTransaction[], string>;
  /** Each member's active coalition card number. */
  activeCard: DataLoader<string, string | null>;
  /** Whether each member has a PIN. */
  pinSet: DataLoader<string, boolean>;
}

export function createMembersLoaders(dataSource: DataSource): MembersLoaders {
  const member = byIdLoader(dataSource, MemberRow);
  const figures = new DataLoader((memberIds: readonly string[]) => figuresFor(dataSource, memberIds));
  return {
    member,
    memberWithFigures: new DataLoader(async (memberIds) => {
      const read = new Map((await membersWithFiguresFor(dataSource, memberIds)).map((row) => [row.member.id, row]));
      return memberIds.map((id) => {
        const row = read.get(id);
        if (!row) return null;
        member.prime(id, row.member);
        figures.prime(id, row.figures);
        return row.member;
      });
    }),
    figures,
    transfer: byIdLoader(dataSource, TransferRow),
    reservation: byIdLoader(dataSource, ReservationRow),
    consents: new DataLoader((memberIds) => consentsOf(dataSource, memberIds)),
    transactions: perParentLoader((memberIds, filter) => transactionsFor(dataSource, memberIds, filter)),
    activeCard: new DataLoader((memberIds) => activeCardsOf(dataSource, memberIds)),
    pinSet: new DataLoader((memberIds) => pinsSetOf(dataSource, memberIds)),
  };
}
