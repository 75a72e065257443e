import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { dataOf } from '../../scripts/gatewayClient';
import type { ServiceName, Stack } from '../../scripts/stack';
import { eventually } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';

/**
 * Crash tests for the redemption saga: a stack of its own (its own database), a subgraph process
 * killed with SIGKILL while redemptions are in flight, restarted, and then every redemption must be
 * complete (voucher issued, points posted, stock taken) or fully undone.
 */

const OPERATOR = 'demo-operator';
const CINEMA = 'demo-partner-city-bonus-lumiere';
const MEMBERS = 15;
const POINTS_EACH = 1_000;
const COST = 100;
const STOCK = 40;

let isolated: IsolatedStack;
let stack: Stack;
let pool: Pool;

beforeAll(async () => {
  // Recovery looks often and leaves only very young redemptions to their own requests.
  isolated = await startIsolatedStack('crash', { REWARDS_RECOVERY_INTERVAL_MS: '300', REWARDS_RECOVERY_MIN_AGE_MS: '300' });
  ({ stack, pool } = isolated);
}, 120_000);

afterAll(() => isolated?.stop());

const gql = (query: string, variables: Record<string, unknown>, credential: string) => isolated.gql(query, variables, credential);

async function setUp(): Promise<{ rewardId: string; members: string[] }> {
  const { createReward } = dataOf(
    await gql(
      `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`,
      {
        input: {
          title: 'Crash test ticket',
          description: 'x',
          kind: 'FREE_ITEM',
          category: 'crash',
          pointsCost: COST,
          stock: STOCK,
          idempotencyKey: randomUUID(),
        },
      },
      CINEMA,
    ),
  );
  const members: string[] = [];
  for (let i = 0; i < MEMBERS; i += 1) {
    const { enrollMember } = dataOf(
      await gql(
        `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
        { input: { displayName: 'Crash', email: `crash-${randomUUID()}@example.test`, idempotencyKey: randomUUID() } },
        CINEMA,
      ),
    );
    dataOf(
      await gql(
        `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`,
        { input: { memberId: enrollMember.id, points: POINTS_EACH, reason: 'crash test', idempotencyKey: randomUUID() } },
        OPERATOR,
      ),
    );
    members.push(enrollMember.id);
  }
  return { rewardId: createReward.id, members };
}

/** Fires three redemptions per member at once and kills `victim` once the first are recorded. */
async function redeemThroughACrash(victim: ServiceName, rewardId: string, members: string[]) {
  const requests = members.flatMap((memberId) =>
    [1, 2, 3].map(() =>
      gql(
        `mutation($m: ID!, $r: ID!, $k: String!) { redeemReward(memberId: $m, rewardId: $r, idempotencyKey: $k) { id status } }`,
        { m: memberId, r: rewardId, k: randomUUID() },
        OPERATOR,
      ).catch((error: Error) => ({ status: 0, errors: [{ message: error.message, extensions: { code: 'CONNECTION_LOST' } }] }) as any),
    ),
  );
  // Kill as soon as the first redemptions are recorded: the rest are then somewhere in flight.
  await eventually(
    async () => (await pool.query('SELECT count(*)::int AS n FROM rewards.redemptions WHERE reward_id = $1', [rewardId])).rows[0].n,
    (n) => n >= 3,
    10_000,
  );
  let pendingAtCrash = -1;
  await stack.restart(victim, {
    crash: true,
    whileDown: async () => {
      pendingAtCrash = (
        await pool.query(`SELECT count(*)::int AS n FROM rewards.redemptions WHERE reward_id = $1 AND status = 'PENDING'`, [rewardId])
      ).rows[0].n;
    },
  });
  return { responses: await Promise.all(requests), pendingAtCrash };
}

/** Every redemption complete or undone, and stock and points agreeing with them. */
async function checkBooks(rewardId: string, members: string[]) {
  const unfinished = await eventually(
    async () =>
      (
        await pool.query(
          `SELECT count(*)::int AS n FROM rewards.redemptions WHERE reward_id = $1 AND status IN ('PENDING', 'CANCELLING')`,
          [rewardId],
        )
      ).rows[0].n,
    (n) => n === 0,
    30_000,
  );
  expect(unfinished).toBe(0);
  const redemptions = (
    await pool.query(
      `SELECT d.id, d.member_id, d.status, d.voucher_code, d.ledger_transfer_id, r.status AS reservation_status, r.settle_transfer_id
         FROM rewards.redemptions d LEFT JOIN members.reservations r ON r.reference = 'redemption:' || d.id
        WHERE d.reward_id = $1`,
      [rewardId],
    )
  ).rows;
  const issued = redemptions.filter((d) => d.status === 'ISSUED');
  for (const d of redemptions) {
    if (d.status === 'ISSUED') {
      expect(d).toMatchObject({ reservation_status: 'POSTED', settle_transfer_id: d.ledger_transfer_id });
      expect(d.voucher_code).toMatch(/^[0-9A-Z]{12}$/);
    } else {
      expect(d.status).toBe('FAILED');
      expect(d.voucher_code).toBeNull();
      expect(['VOIDED', null]).toContain(d.reservation_status); // nothing spent
    }
  }
  const { stock } = (await pool.query('SELECT stock_remaining AS stock FROM rewards.rewards WHERE id = $1', [rewardId])).rows[0];
  expect(stock).toBe(STOCK - issued.length);
  for (const memberId of members) {
    const { available } = (
      await pool.query(
        `SELECT coalesce(balance_points, 0)::int AS available FROM members.accounts WHERE kind = 'MEMBER' AND owner_id = $1`,
        [memberId],
      )
    ).rows[0];
    expect(available).toBe(POINTS_EACH - COST * issued.filter((d) => d.member_id === memberId).length);
  }
  const held = await pool.query(`SELECT id FROM members.reservations WHERE status = 'RESERVED' AND member_id = ANY($1)`, [members]);
  expect(held.rows).toEqual([]);
  return { issued: issued.length, total: redemptions.length };
}

describe('the redemption saga through a crash', () => {
  it.each(['rewards', 'members'] as const)(
    'completes or undoes every redemption when %s is killed mid-way',
    async (victim) => {
      const { rewardId, members } = await setUp();
      const { responses, pendingAtCrash } = await redeemThroughACrash(victim, rewardId, members);
      const interrupted = responses.filter(
        (r) => r.errors && !['OUT_OF_STOCK', 'INSUFFICIENT_POINTS'].includes(r.errors[0].extensions?.code),
      );
      const books = await checkBooks(rewardId, members);
      console.log(
        `${victim} killed: ${responses.length} requests, ${interrupted.length} interrupted, ${pendingAtCrash} redemptions pending while it was down, ` +
          `${books.total} recorded, ${books.issued} issued after recovery`,
      );
      // The crash landed in the middle: requests were cut off, redemptions were half done (PENDING)
      // while the service was down, and recovery finished them.
      expect(interrupted.length).toBeGreaterThan(0);
      expect(pendingAtCrash).toBeGreaterThan(0);
      // Callers learn that a service did not answer, not where it lives.
      for (const response of interrupted) expect(JSON.stringify(response.errors)).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED/);
      expect(books.issued).toBeGreaterThan(0);
      // After the restart the service works again.
      const after = await gql(
        `mutation($m: ID!, $r: ID!, $k: String!) { redeemReward(memberId: $m, rewardId: $r, idempotencyKey: $k) { status } }`,
        { m: members[0], r: rewardId, k: randomUUID() },
        OPERATOR,
      );
      expect(after.data?.redeemReward?.status ?? after.errors?.[0]?.extensions?.code).toMatch(/ISSUED|OUT_OF_STOCK|INSUFFICIENT_POINTS/);
    },
    120_000,
  );
});
