import { notFound } from '../../shared/errors';
import { decodeCursor, pageSize, toConnection } from '../../shared/pagination';
import { DateTime, Long } from '../../shared/scalars';
import { checkId } from '../../shared/validation';
import type { MemberRow } from './entities';
import type { Resolvers } from './generated/graphql';
import { checkCanReadMember, debitPoints, earnPoints, enrollMember, ledgerEventsAfter, membersEnrolledVia } from './ledger';
import { tierFor } from './tiers';

/** A partner as the members subgraph knows it: only its key. Settlement resolves the rest. */
export interface PartnerRef {
  id: string;
}

/** Resolvers only translate GraphQL to calls of the ledger core (ledger.ts). */
export const resolvers: Resolvers = {
  DateTime,
  Long,
  Query: {
    me: (_root, _args, { caller, loaders }) => (caller.kind === 'member' ? loaders.member.load(caller.memberId) : null),
    member: async (_root, { id }, { caller, loaders }) => {
      const memberId = checkId(id, 'id');
      checkCanReadMember(caller, memberId);
      const member = await loaders.member.load(memberId);
      if (!member) throw notFound(`No member with id ${id}`);
      return member;
    },
    ledgerEvents: (_root, { afterPosition, first }, { caller, ledger }) =>
      ledgerEventsAfter(ledger.dataSource, caller, afterPosition, first),
  },
  Mutation: {
    enrollMember: async (_root, { input }, { caller, ledger, loaders }) =>
      loadOrFail(await loaders.member.load(await enrollMember(ledger, caller, input))),
    earnPoints: async (_root, { input }, { caller, ledger, loaders }) =>
      loadOrFail(await loaders.transfer.load(await earnPoints(ledger, caller, input))),
    debitPoints: async (_root, { input }, { caller, ledger, loaders }) =>
      loadOrFail(await loaders.transfer.load(await debitPoints(ledger, caller, input))),
  },
  Member: {
    __resolveReference: async (reference, { caller, loaders }) => {
      checkCanReadMember(caller, reference.id);
      return loaders.member.load(reference.id);
    },
    enrolledVia: (member) => ({ id: member.enrolledViaPartnerId }),
    balance: (member, _args, { loaders }) => loaders.balance.load(member.id),
    tier: (member) => tierFor(Number(member.qualifyingPoints)),
  },
  Partner: {
    __resolveReference: (reference) => ({ id: reference.id }),
    members: async (partner, { first, after }, { caller, ledger }) => {
      const limit = pageSize(first);
      const rows = await membersEnrolledVia(ledger.dataSource, caller, partner.id, limit, decodeCursor(after, 2));
      return toConnection(rows, limit, (m: MemberRow) => [m.enrolledAt.toISOString(), m.id]);
    },
  },
  LedgerTransfer: {
    points: (transfer) => Number(transfer.points),
    member: async (transfer, _args, { loaders }) => loadOrFail(await loaders.member.load(transfer.memberId)),
    partner: (transfer) => ({ id: transfer.partnerId }),
  },
  LedgerEvent: {
    payload: (event) => JSON.stringify(event.payload),
  },
};

/** A row the core just wrote or referenced must exist; its absence is a bug, not a caller's error. */
function loadOrFail<T>(row: T | null): T {
  if (row === null) throw new Error('a row written in this request could not be read back');
  return row;
}
