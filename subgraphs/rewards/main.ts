import './tracing';
import { gatewaySecret, intEnv, requiredEnv } from '../../shared/config';
import { eventBusFromEnvironment } from '../../shared/eventBus';
import { runService } from '../../shared/process';
import { startRewardsSubgraph } from './server';

runService('rewards', () =>
  startRewardsSubgraph({
    databaseUrl: requiredEnv('DATABASE_URL'),
    host: process.env.HOST ?? '127.0.0.1',
    port: intEnv('PORT', 4002),
    secret: gatewaySecret(),
    poolMax: intEnv('DB_POOL_MAX', 10),
    seedDemo: process.env.SEED_DEMO === '1',
    membersUrl: requiredEnv('MEMBERS_URL'),
    bus: eventBusFromEnvironment(requiredEnv('DATABASE_URL')),
    recoveryIntervalMs: intEnv('REWARDS_RECOVERY_INTERVAL_MS', 5_000),
    recoveryMinAgeMs: intEnv('REWARDS_RECOVERY_MIN_AGE_MS', 10_000),
  }),
);
