import { randomUUID } from 'node:crypto';
import { dataOf } from '../../scripts/gatewayClient';
import { DEMO_PARTNERS } from '../../shared/demo';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';
import { subscribe, wsClient } from '../support/subscriptionClient';

/**
 * The PostgreSQL event bus after its listening connections are lost, as in a database restart or
 * failover (here: every listener backend of this stack's database terminated). Position updates are
 * carried by the bus alone, so without a reconnect partnerPositionChanged would stall for good.
 */

let isolated: IsolatedStack;
beforeAll(async () => {
  isolated = await startIsolatedStack('bus_reconnect');
}, 120_000);
afterAll(() => isolated?.stop());

const ROADRUNNER = DEMO_PARTNERS.find((p) => p.code === 'travel-together-roadrunner')!;
const CREDENTIAL = `demo-partner-${ROADRUNNER.code}`;
const POSITION = `subscription($partnerId: ID!) { partnerPositionChanged(partnerId: $partnerId) { pointsIssued } }`;

async function earn(memberId: string): Promise<number> {
  return dataOf(
    await isolated.gql(
      `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { points } }`,
      { input: { memberId, purchaseAmountMinor: 10_000, currency: 'EUR', reference: 'bus', idempotencyKey: randomUUID() } },
      CREDENTIAL,
    ),
  ).earnPoints.points;
}

it('keeps position updates flowing after the listening connections are lost', async () => {
  const memberId = dataOf(
    await isolated.gql(
      `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
      { input: { displayName: 'Bus', email: `bus-${randomUUID()}@example.test`, idempotencyKey: randomUUID() } },
      CREDENTIAL,
    ),
  ).enrollMember.id;
  const client = wsClient(isolated.stack.gatewayUrl, CREDENTIAL);
  try {
    const positions = subscribe(client, POSITION, { partnerId: ROADRUNNER.id });
    const start = BigInt((await positions.next()).data!.partnerPositionChanged.pointsIssued);
    const expectIssued = async (points: bigint) => {
      let latest = start;
      while (latest < points) latest = BigInt((await positions.next(15_000)).data!.partnerPositionChanged.pointsIssued);
      expect(latest).toBe(points);
    };
    const first = await earn(memberId);
    await expectIssued(start + BigInt(first));

    const { rows } = await isolated.pool.query(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
        WHERE application_name = 'event-bus-listener' AND datname = current_database()`,
    );
    // The gateway's listener and settlement's (members only publishes): both are cut off.
    expect(rows.length).toBeGreaterThanOrEqual(2);

    const second = await earn(memberId);
    await expectIssued(start + BigInt(first) + BigInt(second));
    positions.dispose();
  } finally {
    await client.dispose();
  }
}, 60_000);
