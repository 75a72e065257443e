import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import { readAuditForService } from '../../shared/audit';
import { notFound } from '../../shared/errors';
import { decodeCursor, pageSize, toConnection } from '../../shared/pagination';
import { DateTime, Long } from '../../shared/scalars';
import { checkId } from '../../shared/validation';
import { adjustRewardStock, cashOptionOf, createReward, listRewards, retireReward, rewardSortKey, updateReward } from './catalog';
import type { RedemptionRow } from './entities';
import type { Resolvers } from './generated/graphql';
import { readRedemption, readRedemptionsOfMember, readReferencedRedemption, rewardEventsAfter } from './reads';
import { cancelRedemption, redeemReward, useVoucher } from './redemptions';

/** A member as the rewards subgraph knows it: its key, and the balance fields @requires brings. */
export interface MemberRef {
  id: string;
  balance?: { availablePoints: number };
}

/** A partner as the rewards subgraph knows it: only its key. */
export interface PartnerRef {
  id: string;
}

const cheapestFirst = rewardSortKey('POINTS_COST_ASC');
const redemptionCursor = (r: RedemptionRow) => [r.createdAt.toISOString(), r.id];

/** A row the core just wrote or referenced must exist; its absence is a bug, not a caller's error. */
function present<T>(row: T | null): T {
  if (row === null) throw new Error('a row written or referenced in this request could not be read back');
  return row;
}

/** Resolvers only translate GraphQL to calls of the rewards core (catalog.ts, redemptions.ts, reads.ts). */
export const resolvers: Resolvers = {
  DateTime,
  Long,
  Query: {
    rewardEvents: (_root, { afterPosition, first }, { caller, rewards }) =>
      rewardEventsAfter(rewards.dataSource, caller, afterPosition, first),
    rewardsAuditLog: (_root, args, { caller, rewards }) => readAuditForService(rewards.dataSource.manager, caller, 'rewards', args),
    rewards: async (_root, { first, after, sort, ...filters }, { caller, rewards }) => {
      const limit = pageSize(first);
      const order = sort ?? 'POINTS_COST_ASC';
      const cursor = decodeCursor(after, 2);
      const rows = await listRewards(rewards.dataSource, rewards.standings, caller, { ...filters, sort: order }, limit, cursor);
      return toConnection(rows, limit, rewardSortKey(order));
    },
    reward: async (_root, { id }, { loaders }) => {
      const reward = await loaders.reward.load(checkId(id, 'id'));
      if (!reward) throw notFound(`No reward with id ${id}`);
      return reward;
    },
    redemption: (_root, { id }, { caller, loaders }) => readRedemption(caller, loaders.redemption, id),
  },
  RewardEvent: {
    payload: (event) => JSON.stringify(event.payload),
  },
  RewardsAuditEntry: {
    details: (entry) => JSON.stringify(entry.details),
  },
  Mutation: {
    redeemReward: async (_root, args, { caller, rewards, loaders }) =>
      present(await loaders.redemption.load(await redeemReward(rewards, caller, args))),
    cancelRedemption: async (_root, { redemptionId }, { caller, rewards, loaders }) =>
      present(await loaders.redemption.load(await cancelRedemption(rewards, caller, redemptionId))),
    useVoucher: async (_root, { voucherCode }, { caller, rewards, loaders }) =>
      present(await loaders.redemption.load(await useVoucher(rewards, caller, voucherCode))),
    createReward: async (_root, { input }, { caller, rewards, loaders }) =>
      present(await loaders.reward.load(await createReward(rewards.dataSource, caller, input))),
    updateReward: async (_root, { input }, { caller, rewards, loaders }) =>
      present(await loaders.reward.load(await updateReward(rewards.dataSource, caller, input))),
    retireReward: async (_root, { rewardId }, { caller, rewards, loaders }) =>
      present(await loaders.reward.load(await retireReward(rewards.dataSource, caller, rewardId))),
    adjustRewardStock: async (_root, { input }, { caller, rewards, loaders }) =>
      present(await loaders.reward.load(await adjustRewardStock(rewards.dataSource, caller, input))),
  },
  Reward: {
    __resolveReference: (reference, { loaders }) => loaders.reward.load(reference.id),
    partner: (reward) => ({ id: reward.partnerId }),
    cashOption: (reward) => cashOptionOf(reward),
    // Identified callers read stock current (they redeem on it); only anonymous callers' answers
    // may be reused for the 5 s the SDL hints, by the gateway's caches. (No cache control: the
    // answer is uncacheable anyway, shared/cacheHints.ts.)
    stockRemaining: (reward, _args, { caller }, info) => {
      if (caller.kind !== 'anonymous') maybeCacheControlFromInfo(info)?.setCacheHint({ maxAge: 0 });
      return reward.stockRemaining;
    },
  },
  Redemption: {
    __resolveReference: (reference, { caller, loaders }) => readReferencedRedemption(caller, loaders.redemption, reference.id),
    member: (redemption) => ({ id: redemption.memberId }),
    reward: async (redemption, _args, { loaders }) => present(await loaders.reward.load(redemption.rewardId)),
    // CANCELLING is internal: the cancellation is committed and completes by itself.
    status: (redemption) => (redemption.status === 'CANCELLING' ? 'CANCELLED' : redemption.status),
    failureReason: (redemption) => (redemption.status === 'FAILED' ? redemption.failureMessage : null),
    cash: (redemption) =>
      redemption.cashAmountMinor !== null && redemption.cashCurrency !== null
        ? { amountMinor: Number(redemption.cashAmountMinor), currency: redemption.cashCurrency }
        : null,
  },
  Member: {
    __resolveReference: (reference) => reference,
    redemptions: async (member, { first, after }, { caller, loaders }) => {
      const limit = pageSize(first);
      const rows = await readRedemptionsOfMember(caller, loaders.redemptionsOfMember, member.id, { limit, after: decodeCursor(after, 2) });
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
      return toConnection(
        await loaders.rewardsOfPartner.load({ parent: partner.id, options: { limit, after: decodeCursor(after, 2) } }),
        limit,
        cheapestFirst,
      );
    },
  },
};
