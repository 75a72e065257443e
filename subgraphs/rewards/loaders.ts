import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader, perParentLoader } from '../../shared/loaders';
import { affordableRewards, redemptionsOfMembers, rewardsOfPartners, type Page } from './reads';
import { RedemptionRow, RewardRow } from './entities';

/** Per-request batch loaders (contract in shared/loaders.ts). */
export interface RewardsLoaders {
  reward: DataLoader<string, RewardRow | null>;
  redemption: DataLoader<string, RedemptionRow | null>;
  /** A member's redemptions (limit + 1), as far as `partnerId` narrows them. */
  redemptionsOfMember: DataLoader<{ parent: string; options: Page & { partnerId: string | null } }, RedemptionRow[], string>;
  /** The cheapest rewards in stock a points budget covers. */
  affordable: DataLoader<{ parent: number; options: { limit: number } }, RewardRow[], string>;
  /** A partner's rewards (limit + 1). */
  rewardsOfPartner: DataLoader<{ parent: string; options: Page }, RewardRow[], string>;
}

export function createRewardsLoaders(dataSource: DataSource): RewardsLoaders {
  const rewardById = byIdLoader(dataSource, RewardRow);
  return {
    reward: rewardById,
    redemption: byIdLoader(dataSource, RedemptionRow),
    // The rewards read with the redemptions answer this request's loads of them (Redemption.reward).
    redemptionsOfMember: perParentLoader(async (memberIds, options) =>
      (await redemptionsOfMembers(dataSource, memberIds, options)).map(({ redemptions, rewards }) => {
        for (const reward of rewards) rewardById.prime(reward.id, reward);
        return redemptions;
      }),
    ),
    affordable: perParentLoader((budgets, { limit }) => affordableRewards(dataSource, budgets, limit)),
    rewardsOfPartner: perParentLoader((partnerIds, options) => rewardsOfPartners(dataSource, partnerIds, options)),
  };
}
