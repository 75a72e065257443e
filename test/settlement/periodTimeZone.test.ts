import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { dataOf } from '../../scripts/gatewayClient';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';

/**
 * SETTLEMENT_TIME_ZONE through the gateway, on a stack of its own with day periods in a zone whose
 * offset is neither UTC's nor a whole number of hours (St. John's: -03:30, -02:30 in summer), so a
 * boundary on the UTC calendar, or in the wrong zone, cannot pass for local midnight. And a zone
 * that does not exist stops the settlement process at start-up.
 */

const TIME_ZONE = 'America/St_Johns';
const OPERATOR = 'demo-operator';
const ROOT = join(__dirname, '..', '..');
let isolated: IsolatedStack;

beforeAll(async () => {
  isolated = await startIsolatedStack('periods_tz', { SETTLEMENT_PERIOD: 'day', SETTLEMENT_TIME_ZONE: TIME_ZONE });
}, 120_000);
afterAll(() => isolated?.stop());

it('settlementPeriods start and end at local midnight in SETTLEMENT_TIME_ZONE', async () => {
  const before = DateTime.now().setZone(TIME_ZONE);
  const { settlementPeriods } = dataOf(await isolated.gql(`{ settlementPeriods(first: 5) { id status startsAt endsAt } }`, {}, OPERATOR));
  const after = DateTime.now().setZone(TIME_ZONE);
  expect(settlementPeriods.length).toBeGreaterThan(0);
  const current = settlementPeriods[0];
  expect(current.status).toBe('OPEN');
  const startsAt = DateTime.fromISO(current.startsAt, { zone: TIME_ZONE });
  const endsAt = DateTime.fromISO(current.endsAt, { zone: TIME_ZONE });
  // The local day of now (read before and after, in case the query ran across midnight there).
  const localToday = [before, after].map((now) => now.startOf('day').toUTC().toISO());
  expect(localToday).toContain(startsAt.toUTC().toISO());
  expect(endsAt.toUTC().toISO()).toBe(startsAt.plus({ days: 1 }).startOf('day').toUTC().toISO());
  for (const period of settlementPeriods) {
    for (const bound of [period.startsAt, period.endsAt]) {
      const local = DateTime.fromISO(bound, { zone: TIME_ZONE });
      expect(local.toFormat('HH:mm:ss.SSS')).toBe('00:00:00.000');
      // Local midnight there is never a UTC midnight, nor on the hour.
      expect(DateTime.fromISO(bound, { zone: 'UTC' }).minute).toBe(30);
    }
  }
});

it('refuses to start the settlement process with a time zone that does not exist', () => {
  const started = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['subgraphs/settlement/main.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: process.env.PATH,
      // Nothing listens on port 1: the process must stop before it connects to anything.
      DATABASE_URL: 'postgres://settlement@127.0.0.1:1/none',
      MEMBERS_URL: 'http://127.0.0.1:1/graphql',
      REWARDS_URL: 'http://127.0.0.1:1/graphql',
      SETTLEMENT_TIME_ZONE: 'Europe/Berlinn',
    },
  });
  expect(started.status).toBe(1);
  expect(started.stderr).toContain(
    'SETTLEMENT_TIME_ZONE must be an IANA time zone name such as Europe/Berlin or UTC, not "Europe/Berlinn"',
  );
});
