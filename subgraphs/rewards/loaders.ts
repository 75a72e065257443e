import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../shared/loaders';
import { RedemptionRow, RewardRow } from './entities';

/** Per-request batch loaders (contract in shared/loaders.ts). */
export interface RewardsLoaders {
  reward: DataLoader<string, RewardRow | null>;
  redemption: DataLoader<string, RedemptionRow | null>;
}

export function createRewardsLoaders(dataSource: DataSource): RewardsLoaders {
  return { reward: byIdLoader(dataSource, RewardRow), redemption: byIdLoader(dataSource, RedemptionRow) };
}
