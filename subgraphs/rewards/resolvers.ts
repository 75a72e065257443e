import { notFound } from '../../shared/errors';
import { decodeCursor, pageSize, toConnection } from '../../shared/pagination';
import { DateTime } from '../../shared/scalars';
import { checkId } from '../../shared/validation';
import { checkCanReadRedemption, listRewards, redeemReward, redemptionScope } from './catalog';
import type { RedemptionRow, RewardRow } from './entities';
import type { Resolvers } from './generated/graphql';

/** A member as the rewards subgraph knows it: its key, and the balance fields @requires brings. */
export interface MemberRef {
  id: string;
  balance?: { availablePoints: number };
}

/** A partner as the rewards subgraph knows it: only its key. */
export interface PartnerRef {
  id: string;
}

const rewardCursor = (r: RewardRow) => [r.pointsCost, r.id];
const redemptionCursor = (r: RedemptionRow) => [r.createdAt.toISOString(), r.id];

/** Resolvers only translate GraphQL to calls of the rewards core (catalog.ts). */
export const resolvers: Resolvers = {
  DateTime,
  Query: {
    rewards: async (_root, { partnerId, category, first, after }, { rewards }) => {
      const limit = pageSize(first);
      return toConnection(await listRewards(rewards.dataSource, { partnerId, category }, limit, decodeCursor(after, 2)), limit, rewardCursor);
    },
    reward: async (_root, { id }, { loaders }) => {
      const reward = await loaders.reward.load(checkId(id, 'id'));
      if (!reward) throw notFound(`No reward with id ${id}`);
      return reward;
    },
  },
  Mutation: {
    redeemReward: async (_root, args, { caller, rewards, loaders }) => {
      const redemption = await loaders.redemption.load(await redeemReward(rewards, caller, args));
      if (!redemption) throw new Error('a redemption written in this request could not be read back');
      return redemption;
    },
  },
  Reward: {
    __resolveReference: (reference, { loaders }) => loaders.reward.load(reference.id),
    partner: (reward) => ({ id: reward.partnerId }),
  },
  Redemption: {
    __resolveReference: async (reference, { caller, loaders }) => {
      const redemption = await loaders.redemption.load(reference.id);
      if (redemption) checkCanReadRedemption(caller, redemption);
      return redemption;
    },
    member: (redemption) => ({ id: redemption.memberId }),
    reward: async (redemption, _args, { loaders }) => {
      const reward = await loaders.reward.load(redemption.rewardId);
      if (!reward) throw new Error(`redemption ${redemption.id} names a reward that does not exist`);
      return reward;
    },
  },
  Member: {
    __resolveReference: (reference) => reference,
    redemptions: async (member, { first, after }, { caller, loaders }) => {
      const limit = pageSize(first);
      const { partnerId } = redemptionScope(caller, member.id);
      const rows = await loaders.redemptionsOfMember.load({ parent: member.id, options: { partnerId, limit, after: decodeCursor(after, 2) } });
      return toConnection(rows, limit, redemptionCursor);
    },
    affordableRewards: async (member, { first }, { loaders }) => {
      const limit = pageSize(first);
      const availablePoints = member.balance?.availablePoints;
      if (availablePoints === undefined) throw new Error('the gateway did not provide the @requires balance');
      return loaders.affordable.load({ parent: availablePoints, options: { limit } });
    },
  },
  Partner: {
    __resolveReference: (reference) => reference,
    rewards: async (partner, { first, after }, { loaders }) => {
      const limit = pageSize(first);
      return toConnection(await loaders.rewardsOfPartner.load({ parent: partner.id, options: { limit, after: decodeCursor(after, 2) } }), limit, rewardCursor);
    },
  },
};
