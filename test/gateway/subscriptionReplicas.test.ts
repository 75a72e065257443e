import { randomUUID } from 'node:crypto';
import { dataOf, graphql } from '../../scripts/gatewayClient';
import { eventBusFromEnvironment, LEDGER_EVENTS_CHANNEL } from '../../shared/eventBus';
import { eventually } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';
import { subscribe, wsClient } from '../support/subscriptionClient';

/**
 * Many gateway replicas on a shared bus (Redis here; NATS and PostgreSQL NOTIFY are the same
 * interface): a subscriber on one gateway receives an earn posted through another, and a stream
 * survives its gateway restarting, resuming with afterSequence with no gap and no duplicate.
 */

const FRESHMART = 'demo-partner-city-bonus-freshmart';

describe.each(['redis', 'nats'])('subscriptions across gateway replicas on the %s bus', (bus) => {
  let isolated: IsolatedStack;
  beforeAll(async () => {
    isolated = await startIsolatedStack(`replicas_${bus}`, { EVENT_BUS: bus });
  }, 120_000);
  afterAll(() => isolated?.stop());

  /** An earn posted through the given gateway. */
  const earn = async (gatewayUrl: string, memberId: string) =>
    dataOf(
      await graphql(
        gatewayUrl,
        `
          mutation ($input: EarnPointsInput!) {
            earnPoints(input: $input) {
              id
            }
          }
        `,
        { input: { memberId, purchaseAmountMinor: 1_000, currency: 'EUR', reference: 'r', idempotencyKey: randomUUID() } },
        FRESHMART,
      ),
    );
  const WATCH = `subscription($m: ID!, $a: Int) { balanceChanged(memberId: $m, afterSequence: $a) { sequence delta } }`;

  it("carries the ledger relay's signals on that bus", async () => {
    const heard: string[] = [];
    const listener = eventBusFromEnvironment(process.env.TEST_DATABASE_URL!, bus);
    await listener.subscribe(LEDGER_EVENTS_CHANNEL, (message) => heard.push(message));
    try {
      const { enrollMember } = dataOf(
        await isolated.gql(
          `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
          { input: { displayName: 'B', email: `b-${randomUUID()}@example.test`, idempotencyKey: randomUUID() } },
          FRESHMART,
        ),
      );
      await earn(isolated.stack.gatewayUrl, enrollMember.id);
      const messages = await eventually(
        async () => heard,
        (list) => list.length > 0,
      );
      expect(JSON.parse(messages[0]!)).toHaveProperty('position');
    } finally {
      await listener.close();
    }
  });

  it('delivers an earn posted through another gateway, and resumes after its gateway restarts', async () => {
    const second = await isolated.stack.addGateway();
    try {
      const { enrollMember } = dataOf(
        await isolated.gql(
          `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
          { input: { displayName: 'R', email: `r-${randomUUID()}@example.test`, idempotencyKey: randomUUID() } },
          FRESHMART,
        ),
      );
      const memberId = enrollMember.id;
      // Subscribed on the second gateway; the earns go through the first.
      const client = wsClient(second.url, FRESHMART);
      const events = subscribe(client, WATCH, { m: memberId, a: 0 });
      await earn(isolated.stack.gatewayUrl, memberId);
      await earn(isolated.stack.gatewayUrl, memberId);
      const seen = [(await events.next()).data!.balanceChanged.sequence, (await events.next()).data!.balanceChanged.sequence];
      expect(seen).toEqual([1, 2]);

      // The first gateway restarts while earns keep coming through the second.
      let closedWith: number | null = null;
      const streaming = subscribe(wsClient(isolated.stack.gatewayUrl, FRESHMART, { onClosed: (code) => (closedWith = code) }), WATCH, {
        m: memberId,
        a: 2,
      });
      await earn(isolated.stack.gatewayUrl, memberId);
      const before = (await streaming.next()).data!.balanceChanged.sequence;
      expect(before).toBe(3);
      // While it is down, earns go through the second gateway.
      await isolated.stack.restart('gateway', {
        whileDown: async () => {
          for (let i = 0; i < 3; i += 1) await earn(second.url, memberId);
        },
      });
      // A graceful shutdown closes open subscriptions with "going away", not a dropped socket.
      expect(closedWith).toBe(1001);
      // The client reconnects with the last sequence it saw.
      const resumed = subscribe(wsClient(isolated.stack.gatewayUrl, FRESHMART), WATCH, { m: memberId, a: before });
      const after: number[] = [];
      for (let i = 0; i < 3; i += 1) after.push((await resumed.next()).data!.balanceChanged.sequence);
      expect(after).toEqual([4, 5, 6]);
      // And the second gateway's subscriber saw all six, once each.
      for (let i = 0; i < 4; i += 1) seen.push((await events.next()).data!.balanceChanged.sequence);
      expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
      events.dispose();
      resumed.dispose();
      await client.dispose();
    } finally {
      await second.stop();
    }
  }, 120_000);
});
