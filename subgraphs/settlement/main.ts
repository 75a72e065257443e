import { gatewaySecret, intEnv, requiredEnv } from '../../shared/config';
import { eventBusFromEnvironment } from '../../shared/eventBus';
import { runService } from '../../shared/process';
import type { PeriodLength } from './periods';
import { startSettlementSubgraph } from './server';
import { DEFAULT_MIN_GROUP_SIZE } from './analytics';

/** A group of one would be no anonymity at all. */
function minimumGroupSize(value: number): number {
  if (value < 2) throw new Error(`ANALYTICS_MIN_GROUP_SIZE must be at least 2, not ${value}`);
  return value;
}

function periodLength(value: string): PeriodLength {
  if (value !== 'month' && value !== 'week' && value !== 'day')
    throw new Error(`SETTLEMENT_PERIOD must be month, week or day, not "${value}"`);
  return value;
}

runService('settlement', () =>
  startSettlementSubgraph({
    databaseUrl: requiredEnv('DATABASE_URL'),
    host: process.env.HOST ?? '127.0.0.1',
    port: intEnv('PORT', 4003),
    secret: gatewaySecret(),
    poolMax: intEnv('DB_POOL_MAX', 10),
    seedDemo: process.env.SEED_DEMO === '1',
    membersUrl: requiredEnv('MEMBERS_URL'),
    rewardsUrl: requiredEnv('REWARDS_URL'),
    bus: eventBusFromEnvironment(requiredEnv('DATABASE_URL')),
    periodLength: periodLength(process.env.SETTLEMENT_PERIOD ?? 'month'),
    analyticsMinGroupSize: minimumGroupSize(intEnv('ANALYTICS_MIN_GROUP_SIZE', DEFAULT_MIN_GROUP_SIZE)),
  }),
);
