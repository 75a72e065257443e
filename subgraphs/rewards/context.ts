import type { Caller } from '../../shared/identity';
import type { MemberStandings } from './catalog';
import type { RewardsLoaders } from './loaders';
import type { RedemptionDeps } from './redemptions';

export interface RewardsDeps extends RedemptionDeps {
  standings: MemberStandings;
}

export interface RewardsContext {
  caller: Caller;
  rewards: RewardsDeps;
  loaders: RewardsLoaders;
}
