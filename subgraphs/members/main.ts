import './tracing';
import { gatewaySecret, intEnv, requiredEnv } from '../../shared/config';
import { eventBusFromEnvironment } from '../../shared/eventBus';
import { runService } from '../../shared/process';
import { DEFAULT_CHECKOUT_CONFIG } from './checkout';
import { DEFAULT_LOOKUP_CONFIG } from './identifiers';
import { DEFAULT_PIN_CONFIG } from './pins';
import { DEFAULT_LEDGER_CONFIG } from './ledger';
import { startMembersSubgraph } from './server';

runService('members', () =>
  startMembersSubgraph({
    databaseUrl: requiredEnv('DATABASE_URL'),
    host: process.env.HOST ?? '127.0.0.1',
    port: intEnv('PORT', 4001),
    secret: gatewaySecret(),
    poolMax: intEnv('DB_POOL_MAX', 10),
    seedDemo: process.env.SEED_DEMO === '1',
    settlementUrl: requiredEnv('SETTLEMENT_URL'),
    bus: eventBusFromEnvironment(requiredEnv('DATABASE_URL')),
    ledger: {
      pointsLifetimeMonths: intEnv('LEDGER_POINTS_LIFETIME_MONTHS', DEFAULT_LEDGER_CONFIG.pointsLifetimeMonths),
      transferDailyLimitPoints: intEnv('LEDGER_TRANSFER_DAILY_LIMIT_POINTS', DEFAULT_LEDGER_CONFIG.transferDailyLimitPoints),
      reservationTimeoutMs: intEnv('LEDGER_RESERVATION_TIMEOUT_MS', DEFAULT_LEDGER_CONFIG.reservationTimeoutMs),
      claimWindowDays: intEnv('CLAIM_WINDOW_DAYS', DEFAULT_LEDGER_CONFIG.claimWindowDays),
    },
    checkout: {
      tokenTtlMs: intEnv('CHECKOUT_TOKEN_TTL_SECONDS', DEFAULT_CHECKOUT_CONFIG.tokenTtlMs / 1000) * 1000,
      maxFailedAttempts: intEnv('CHECKOUT_MAX_FAILED_ATTEMPTS', DEFAULT_CHECKOUT_CONFIG.maxFailedAttempts),
      failureWindowMs: intEnv('CHECKOUT_FAILURE_WINDOW_SECONDS', DEFAULT_CHECKOUT_CONFIG.failureWindowMs / 1000) * 1000,
      retentionMs: intEnv('CHECKOUT_TOKEN_RETENTION_HOURS', DEFAULT_CHECKOUT_CONFIG.retentionMs / 3600_000) * 3600_000,
    },
    pins: {
      maxWrongPins: intEnv('PIN_MAX_WRONG_ATTEMPTS', DEFAULT_PIN_CONFIG.maxWrongPins),
      wrongPinWindowMs: intEnv('PIN_WRONG_WINDOW_SECONDS', DEFAULT_PIN_CONFIG.wrongPinWindowMs / 1000) * 1000,
      lockMs: intEnv('PIN_LOCK_SECONDS', DEFAULT_PIN_CONFIG.lockMs / 1000) * 1000,
    },
    lookups: {
      limitPerWindow: intEnv('MEMBER_LOOKUP_LIMIT', DEFAULT_LOOKUP_CONFIG.limitPerWindow),
      windowMs: intEnv('MEMBER_LOOKUP_WINDOW_SECONDS', DEFAULT_LOOKUP_CONFIG.windowMs / 1000) * 1000,
    },
    maintenanceIntervalMs: intEnv('LEDGER_MAINTENANCE_INTERVAL_MS', 60_000),
  }),
);
