import type { Caller } from '../../shared/identity';
import type { RewardsDeps } from './catalog';
import type { RewardsLoaders } from './loaders';

export interface RewardsContext {
  caller: Caller;
  rewards: RewardsDeps;
  loaders: RewardsLoaders;
}
