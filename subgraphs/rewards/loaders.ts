import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { RedemptionRow, RewardRow } from './entities';

/** Per-request batch loaders (see subgraphs/members/loaders.ts for the contract). */
export interface RewardsLoaders {
  reward: DataLoader<string, RewardRow | null>;
  redemption: DataLoader<string, RedemptionRow | null>;
}

function loaderOf<T extends { id: string }>(dataSource: DataSource, entity: new () => T): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await dataSource.getRepository(entity).createQueryBuilder('e').where('e.id IN (:...ids)', { ids }).getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export function createRewardsLoaders(dataSource: DataSource): RewardsLoaders {
  return { reward: loaderOf(dataSource, RewardRow), redemption: loaderOf(dataSource, RedemptionRow) };
}
