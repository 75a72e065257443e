import './tracing';
import { gatewaySecret, intEnv, mode, requiredEnv } from '../../shared/config';
import { eventBusFromEnvironment } from '../../shared/eventBus';
import { runService } from '../../shared/process';
import { isIanaTimeZone, type PeriodLength } from './periods';
import { startSettlementSubgraph } from './server';
import { DEFAULT_MIN_GROUP_SIZE } from './analytics';
import { WEBHOOK_LIMITS, webhookSecretsKey, type WebhookSettings } from './webhooks';

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

/** An integer setting within bounds, refused at start-up otherwise. */
function boundedEnv(name: string, fallback: number, min: number, max: number): number {
  const value = intEnv(name, fallback);
  if (value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}, not ${value}`);
  return value;
}

/** The signing secrets are encrypted with a key derived from WEBHOOK_SECRETS_KEY, or else from the gateway secret. */
function webhookSettings(): WebhookSettings {
  const configured = process.env.WEBHOOK_SECRETS_KEY;
  if (configured !== undefined && configured.length < 32) throw new Error('WEBHOOK_SECRETS_KEY must be at least 32 characters');
  const day = 24 * 3600 * 1000;
  return {
    targets: { production: mode() === 'production' },
    secretsKey: webhookSecretsKey(configured || gatewaySecret()),
    maxEndpointsPerPartner: boundedEnv('WEBHOOK_MAX_ENDPOINTS_PER_PARTNER', 10, 1, 100),
    timeoutMs: boundedEnv('WEBHOOK_TIMEOUT_MS', WEBHOOK_LIMITS.maxTimeoutMs, 100, WEBHOOK_LIMITS.maxTimeoutMs),
    retryBaseMs: boundedEnv('WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3_600_000),
    retryMaxDelayMs: boundedEnv('WEBHOOK_RETRY_MAX_DELAY_MS', 3_600_000, 10, day),
    retryWindowMs: boundedEnv('WEBHOOK_RETRY_WINDOW_MS', day, 100, 7 * day),
    concurrencyPerEndpoint: boundedEnv('WEBHOOK_CONCURRENCY_PER_ENDPOINT', 4, 1, 32),
    disableAfterFailures: boundedEnv('WEBHOOK_DISABLE_AFTER_FAILURES', 100, 1, 100_000),
    pollIntervalMs: boundedEnv('WEBHOOK_POLL_INTERVAL_MS', 1_000, 50, 60_000),
    expiryNoticeDays: boundedEnv('WEBHOOK_EXPIRY_NOTICE_DAYS', 30, 1, 365),
    expiryScanIntervalMs: boundedEnv('WEBHOOK_EXPIRY_SCAN_INTERVAL_MS', 3_600_000, 100, day),
  };
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
    webhooks: webhookSettings(),
  }),
);
