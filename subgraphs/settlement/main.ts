import './tracing';
import { gatewaySecret, intEnv, requiredEnv } from '../../shared/config';
import { eventBusFromEnvironment } from '../../shared/eventBus';
import { runService } from '../../shared/process';
import { isIanaTimeZone, type PeriodLength } from './periods';
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

/** Checked here, at start-up: a misspelt zone must stop the process, not fail the first event booked. */
function periodTimeZone(value: string): string {
  if (!isIanaTimeZone(value))
    throw new Error(`SETTLEMENT_TIME_ZONE must be an IANA time zone name such as Europe/Berlin or UTC, not "${value}"`);
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
    periodCalendar: {
      length: periodLength(process.env.SETTLEMENT_PERIOD ?? 'month'),
      timeZone: periodTimeZone(process.env.SETTLEMENT_TIME_ZONE || 'UTC'),
    },
    analyticsMinGroupSize: minimumGroupSize(intEnv('ANALYTICS_MIN_GROUP_SIZE', DEFAULT_MIN_GROUP_SIZE)),
  }),
);
