import { notFound } from '../../shared/errors';
import { DateTime, Long } from '../../shared/scalars';
import { checkId } from '../../shared/validation';
import { PartnerRow } from './entities';
import type { Resolvers } from './generated/graphql';
import { checkCanReadPartnerAccounts, partnerTerms } from './settlement';

/** Resolvers only translate GraphQL to calls of the settlement core (settlement.ts). */
export const resolvers: Resolvers = {
  DateTime,
  Long,
  Query: {
    partners: (_root, _args, { dataSource }) =>
      dataSource.getRepository(PartnerRow).find({ order: { programName: 'ASC', name: 'ASC' } }),
    partner: async (_root, { id }, { loaders }) => {
      const partner = await loaders.partner.load(checkId(id, 'id'));
      if (!partner) throw notFound(`No partner with id ${id}`);
      return partner;
    },
    partnerTerms: (_root, { partnerId }, { caller, dataSource }) => partnerTerms(dataSource, caller, checkId(partnerId, 'partnerId')),
  },
  Partner: {
    __resolveReference: (reference, { loaders }) => loaders.partner.load(reference.id),
    contract: async (partner, _args, { caller, loaders }) => {
      checkCanReadPartnerAccounts(caller, partner.id);
      const contract = await loaders.currentContract.load(partner.id);
      if (!contract) throw notFound(`Partner ${partner.code} has no contract in force`);
      return contract;
    },
    position: (partner, _args, { caller, loaders }) => {
      checkCanReadPartnerAccounts(caller, partner.id);
      return loaders.position.load(partner.id);
    },
  },
};
