import { decodeCursor, pageSize, toConnection } from '../../shared/pagination';
import { notFound } from '../../shared/errors';
import { eventsAfter } from '../../shared/outbox';
import { DateTime, Long } from '../../shared/scalars';
import type { MemberRow } from './entities';
import type { Resolvers } from './generated/graphql';
import { checkCanReadMember, checkId, debitPoints, earnPoints, enrollMember, membersEnrolledVia } from './ledger';
import { tierFor } from './tiers';
import { forbidden } from '../../shared/errors';

/** A partner as the members subgraph knows it: only its key. Settlement resolves the rest. */
export interface PartnerRef {
  id: string;
}

export const MAX_EVENTS_PER_READ = 1000;

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
    ledgerEvents: async (_root, { afterPosition, first }, { caller, ledger }) => {
      if (caller.kind !== 'service') throw forbidden('ledgerEvents is internal to the coalition services');
      const limit = Math.min(Math.max(first, 1), MAX_EVENTS_PER_READ);
      return eventsAfter(ledger.dataSource.manager, afterPosition, limit);
    },
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
