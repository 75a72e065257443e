import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dataOf, graphql } from '../../scripts/gatewayClient';
import type { ServiceName } from '../../scripts/stack';
import { DEMO_MEMBERS } from '../../shared/demo';
import { eventually, OPERATOR } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';
import { subscribe, wsClient } from '../support/subscriptionClient';

/**
 * The launcher's supervision and each process's graceful shutdown, on a stack of its own (it kills
 * and stops processes): a crashed subgraph is restarted with backoff and logged; a service the
 * stack was asked to stop stays down; a gateway asked to stop refuses new connections, finishes
 * the request in flight, closes subscriptions with 1001 and exits 0.
 */

const AVA = DEMO_MEMBERS[0]!;
const FRESHMART = 'demo-partner-city-bonus-freshmart';

let isolated: IsolatedStack;
beforeAll(async () => {
  isolated = await startIsolatedStack('supervision');
}, 120_000);
afterAll(() => isolated?.stop());

const pidOrNull = (service: ServiceName): number | null => {
  try {
    return isolated.stack.pidOf(service);
  } catch {
    return null;
  }
};

const readyStatus = (url: string): Promise<number> =>
  fetch(new URL('/ready', url), { signal: AbortSignal.timeout(3_000) }).then(
    (response) => response.status,
    () => 0,
  );

/** Whether a new TCP connection to `url`'s port is refused (nothing listens there). */
const connectionRefused = (url: string): Promise<boolean> => {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
};

/** Kills `service`'s process from outside the stack, as a crash would, and waits until it is back and ready. */
async function crashAndWaitForRestart(service: ServiceName): Promise<{ crashed: number; restarted: number }> {
  const crashed = isolated.stack.pidOf(service);
  process.kill(crashed, 'SIGKILL');
  const restarted = await eventually(
    async () => pidOrNull(service),
    (pid) => pid !== null && pid !== crashed,
    20_000,
  );
  expect(restarted).not.toBeNull();
  expect(
    await eventually(
      () => readyStatus(isolated.stack.urls[service]),
      (status) => status === 200,
      30_000,
    ),
  ).toBe(200);
  return { crashed, restarted: restarted! };
}

describe('the launcher', () => {
  it('restarts a crashed subgraph on its port, waiting longer after each crash in a row, and logs it', async () => {
    const first = await crashAndWaitForRestart('settlement');
    // Killed again as soon as it is back: the second wait is twice the first.
    const second = await crashAndWaitForRestart('settlement');
    expect(second.crashed).toBe(first.restarted);
    // The whole graph answers again, settlement's part included.
    expect(
      await eventually(
        () => readyStatus(isolated.stack.gatewayUrl),
        (status) => status === 200,
      ),
    ).toBe(200);
    const { partners } = dataOf(await isolated.gql('{ partners { id } }', {}));
    expect(partners.length).toBeGreaterThan(0);

    const log = readFileSync(isolated.stack.logFile!, 'utf8');
    expect(log).toMatch(
      new RegExp(
        `\\[stack\\] \\S+ settlement \\(pid ${first.crashed}\\) exited unexpectedly \\(killed by SIGKILL\\) after \\d+ ms up; ` +
          `restarting it on port \\d+ in 500 ms \\(crash 1 in a row\\)`,
      ),
    );
    expect(log).toMatch(
      new RegExp(`settlement \\(pid ${second.crashed}\\) exited unexpectedly \\(killed by SIGKILL\\).* in 1000 ms \\(crash 2 in a row\\)`),
    );
    expect(log).toMatch(new RegExp(`\\[stack\\] \\S+ settlement restarted \\(pid ${second.restarted}\\), ready on http://`));
  }, 90_000);

  it('leaves a service it was asked to stop down (exit code 0) until it is started again', async () => {
    const exit = await isolated.stack.stopService('rewards');
    expect(exit).toEqual({ code: 0, signal: null });
    // Well past the first restart's backoff: nothing came back.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(pidOrNull('rewards')).toBeNull();
    expect(await connectionRefused(isolated.stack.urls.rewards)).toBe(true);
    await isolated.stack.startService('rewards');
    expect(await readyStatus(isolated.stack.urls.rewards)).toBe(200);
  }, 60_000);
});

describe('a gateway asked to stop', () => {
  it('refuses new connections, finishes the request in flight with 200, closes subscriptions with 1001 and exits 0', async () => {
    const gateway = await isolated.stack.addGateway();
    let members: number | null = null;
    try {
      // A subscription open on it, known to be live: it has delivered an event.
      let closedWith: number | null = null;
      const client = wsClient(gateway.url, `demo-member-${AVA.handle}`, { onClosed: (code) => (closedWith = code) });
      const events = subscribe(client, `subscription($m: ID!) { balanceChanged(memberId: $m, afterSequence: 0) { sequence } }`, {
        m: AVA.id,
      });
      dataOf(
        await graphql(
          gateway.url,
          `
            mutation ($input: EarnPointsInput!) {
              earnPoints(input: $input) {
                id
              }
            }
          `,
          { input: { memberId: AVA.id, purchaseAmountMinor: 1_000, currency: 'EUR', reference: 'r', idempotencyKey: randomUUID() } },
          FRESHMART,
        ),
      );
      expect((await events.next()).data?.balanceChanged.sequence).toBeGreaterThan(0);

      // The members subgraph holds its answer (stopped, its connections stay open): the request
      // below stays in flight at the gateway for as long as the test wants.
      members = isolated.stack.pidOf('members');
      process.kill(members, 'SIGSTOP');
      let settled = false;
      const inFlight = graphql(
        gateway.url,
        `
          query ($id: ID!) {
            member(id: $id) {
              displayName
            }
          }
        `,
        { id: AVA.id },
        OPERATOR,
      ).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const stopped = gateway.stop();

      // No new connections once it drains...
      expect(
        await eventually(
          () => connectionRefused(gateway.url),
          (refused) => refused,
          5_000,
        ),
      ).toBe(true);
      // ...while the request in flight is still waiting for members, and completes once they answer.
      expect(settled).toBe(false);
      process.kill(members, 'SIGCONT');
      members = null;
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ member: { displayName: AVA.displayName } });

      expect(await stopped).toEqual({ code: 0, signal: null });
      expect(closedWith).toBe(1001);
      events.dispose();
    } finally {
      if (members !== null) process.kill(members, 'SIGCONT');
      await gateway.stop();
    }
  }, 60_000);
});
