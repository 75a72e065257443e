import { randomUUID } from 'node:crypto';
import { DEMO_REWARDS } from '../../shared/demo';
import { graphql, type GraphQLResponse } from '../../scripts/gatewayClient';
import { closeDatabase, database, enrollMember, gatewayUrl, OPERATOR, partner } from '../support/helpers';

/**
 * The ledger's bank test, in the spirit of Jepsen's: concurrent clients send random earns (some
 * pending, later confirmed or voided), redemptions, member-to-member transfers, refunds,
 * adjustments and expiry runs through the gateway, with client timeouts, retrying every request
 * with its idempotency key until it gets an answer. Then the books must balance exactly.
 */

afterAll(closeDatabase);

const CLIENTS = 8;
const OPERATIONS_PER_CLIENT = 30;
const MEMBERS = 8;
const freshmart = partner(1);
const cinema = partner(3);
const dessert = DEMO_REWARDS[0]; // 300 points, unlimited stock

/** A small seeded generator, so a failing run can be repeated with its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}

const ACCEPTED_REFUSALS = new Set(['INSUFFICIENT_POINTS', 'LIMIT_EXCEEDED', 'BAD_USER_INPUT']);

interface Outcome {
  operation: string;
  ok: boolean;
  code?: string;
  id?: string;
}

describe('the ledger under concurrent, retried, timed-out operations', () => {
  it('keeps every invariant', async () => {
    const seed = Number(process.env.BANK_SEED ?? Date.now() % 1_000_000);
    console.log(`bank test seed: ${seed} (set BANK_SEED to repeat)`);
    const rng = random(seed);
    const members = await Promise.all(Array.from({ length: MEMBERS }, () => enrollMember(freshmart.credential)));
    const postedEarns: { id: string; credential: string }[] = [];
    const pendingEarns: { id: string; credential: string }[] = [];
    const unexpected: string[] = [];
    const outcomes: Outcome[] = [];
    let timeouts = 0;

    /**
     * Sends one operation until it gets an answer: a request that times out on the client may
     * still run on the server, so it is sent again with the same key and input. A second send
     * after an answer must give the same answer.
     */
    async function perform(
      operation: string,
      query: string,
      variables: Record<string, unknown>,
      credential: string,
      field: string,
    ): Promise<Outcome> {
      let response: GraphQLResponse<any> | null = null;
      for (let attempt = 0; attempt < 50 && !response; attempt += 1) {
        const timeoutMs = rng.next() < 0.3 ? rng.int(2, 40) : 10_000;
        try {
          response = await graphql(gatewayUrl(), query, variables, credential, AbortSignal.timeout(timeoutMs));
        } catch {
          timeouts += 1;
          response = null; // timed out: the server may or may not have applied it; retry with the same key
        }
      }
      if (!response) throw new Error(`${operation} got no answer in 50 attempts`);
      const code = response.errors?.[0]?.extensions?.code;
      const outcome: Outcome = { operation, ok: !response.errors, code, id: response.data?.[field]?.id };
      if (code && !ACCEPTED_REFUSALS.has(code)) unexpected.push(`${operation}: ${code} ${response.errors?.[0]?.message}`);
      if (outcome.ok && rng.next() < 0.2) {
        const again = await graphql<any>(gatewayUrl(), query, variables, credential);
        if (again.data?.[field]?.id !== outcome.id)
          unexpected.push(`${operation}: a retry after success returned ${JSON.stringify(again)}`);
      }
      outcomes.push(outcome);
      return outcome;
    }

    const operations: Record<string, () => Promise<void>> = {
      async earn() {
        const credential = rng.pick([freshmart.credential, cinema.credential]);
        const pending = rng.next() < 0.3;
        const input = {
          memberId: rng.pick(members),
          purchaseAmountMinor: rng.int(100, 30_000),
          currency: 'EUR',
          reference: `bank-${randomUUID()}`,
          pendingUntil: pending ? new Date(Date.now() + 3600_000).toISOString() : undefined,
          idempotencyKey: randomUUID(),
        };
        const outcome = await perform(
          'earn',
          `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id } }`,
          { input },
          credential,
          'earnPoints',
        );
        if (outcome.ok) (pending ? pendingEarns : postedEarns).push({ id: outcome.id!, credential });
      },
      async settlePending() {
        const earn = pendingEarns.length ? pendingEarns.splice(rng.int(0, pendingEarns.length - 1), 1)[0]! : null;
        if (!earn) return;
        const confirm = rng.next() < 0.6;
        const field = confirm ? 'confirmPendingEarn' : 'voidPendingEarn';
        const outcome = await perform(
          field,
          `mutation($input: SettlePendingEarnInput!) { ${field}(input: $input) { id } }`,
          { input: { earnId: earn.id, idempotencyKey: randomUUID() } },
          earn.credential,
          field,
        );
        if (outcome.ok && confirm) postedEarns.push(earn);
      },
      async refund() {
        if (!postedEarns.length) return;
        const earn = rng.pick(postedEarns);
        const whole = rng.next() < 0.4;
        await perform(
          'refund',
          `mutation($input: ReverseEarnInput!) { reverseEarn(input: $input) { member { id } } }`,
          {
            input: {
              earnId: earn.id,
              refundAmountMinor: whole ? undefined : rng.int(1, 3_000),
              reference: 'bank refund',
              idempotencyKey: randomUUID(),
            },
          },
          earn.credential,
          'reverseEarn',
        );
      },
      async redeem() {
        await perform(
          'redeem',
          `mutation($m: ID!, $r: ID!, $k: String!) { redeemReward(memberId: $m, rewardId: $r, idempotencyKey: $k) { id } }`,
          { m: rng.pick(members), r: dessert.id, k: randomUUID() },
          OPERATOR,
          'redeemReward',
        );
      },
      async transfer() {
        const from = rng.pick(members);
        const to = rng.pick(members.filter((m) => m !== from));
        await perform(
          'transfer',
          `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id } }`,
          { input: { fromMemberId: from, toMemberId: to, points: rng.int(1, 700), idempotencyKey: randomUUID() } },
          OPERATOR,
          'transferPoints',
        );
      },
      async adjust() {
        const adding = rng.next() < 0.6;
        const expiresSoon = adding && rng.next() < 0.5;
        await perform(
          'adjust',
          `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`,
          {
            input: {
              memberId: rng.pick(members),
              points: adding ? rng.int(1, 800) : -rng.int(1, 400),
              reason: 'bank test',
              expiresAt: expiresSoon ? new Date(Date.now() + rng.int(200, 1_500)).toISOString() : undefined,
              idempotencyKey: randomUUID(),
            },
          },
          OPERATOR,
          'adjustPoints',
        );
      },
      async expire() {
        await perform('expire', `mutation { runLedgerMaintenance { lotsExpired } }`, {}, OPERATOR, 'runLedgerMaintenance');
      },
    };
    const weighted = ['earn', 'earn', 'earn', 'settlePending', 'refund', 'redeem', 'transfer', 'transfer', 'adjust', 'adjust', 'expire'];

    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = 0; i < OPERATIONS_PER_CLIENT; i += 1) await operations[rng.pick(weighted)]!();
      }),
    );
    console.log(
      `bank test: ${outcomes.length} operations, ${outcomes.filter((o) => o.ok).length} applied, ${timeouts} client timeouts retried`,
    );
    expect(unexpected).toEqual([]);
    const succeeded = (operation: string) => outcomes.filter((o) => o.operation === operation && o.ok).length;
    expect(succeeded('earn')).toBeGreaterThan(10);
    expect(succeeded('transfer') + succeeded('redeem') + succeeded('refund')).toBeGreaterThan(10);

    // The books, read in one snapshot.
    const client = await database().connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const one = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows;

      // 1. Double entry: all accounts sum to zero, and each equals its transfers in less out.
      expect(await one('SELECT coalesce(sum(balance_points), 0)::text AS total FROM members.accounts')).toEqual([{ total: '0' }]);
      expect(
        await one(`SELECT a.id FROM members.accounts a WHERE a.balance_points <>
          coalesce((SELECT sum(points) FROM members.transfers WHERE to_account_id = a.id), 0) -
          coalesce((SELECT sum(points) FROM members.transfers WHERE from_account_id = a.id), 0)`),
      ).toEqual([]);
      // 2. No member below zero except by a recorded clawback, and no hold below zero: each
      //    member's available points are exactly its lots less its clawback debt.
      expect(
        await one(`SELECT id FROM members.accounts WHERE kind IN ('MEMBER_PENDING', 'MEMBER_RESERVED') AND balance_points < 0`),
      ).toEqual([]);
      expect(
        await one(`SELECT m.id FROM members.members m
          LEFT JOIN members.accounts a ON a.kind = 'MEMBER' AND a.owner_id = m.id
          WHERE coalesce(a.balance_points, 0) <> coalesce((SELECT sum(points_remaining) FROM members.lots WHERE member_id = m.id), 0) - m.clawback_debt_points`),
      ).toEqual([]);
      // 3. No key applied twice: each successful operation made exactly one transfer of its kind.
      const kindsOf = async (kinds: string[]) =>
        Number(
          (
            await one(
              `SELECT count(*)::int AS n FROM members.transfers WHERE kind = ANY($1) AND (member_id = ANY($2) OR counterparty_member_id = ANY($2))`,
              [kinds, members],
            )
          )[0].n,
        );
      expect(await kindsOf(['EARN', 'EARN_PENDING'])).toBe(succeeded('earn'));
      expect(await kindsOf(['TRANSFER'])).toBe(succeeded('transfer'));
      expect(await kindsOf(['ADJUSTMENT'])).toBe(succeeded('adjust'));
      expect(await kindsOf(['EARN_POST', 'EARN_VOID'])).toBe(succeeded('confirmPendingEarn') + succeeded('voidPendingEarn'));
      expect(await kindsOf(['REDEEM'])).toBe(succeeded('redeem'));
      // 4. Every transfer has exactly one event for each member whose points it moved.
      expect(
        await one(`SELECT t.id FROM members.transfers t
          JOIN members.accounts f ON f.id = t.from_account_id JOIN members.accounts o ON o.id = t.to_account_id
          WHERE (SELECT count(*) FROM members.outbox_events e WHERE e.transfer_id = t.id) <>
                (SELECT count(DISTINCT owner) FROM (VALUES
                   (CASE WHEN f.kind LIKE 'MEMBER%' THEN f.owner_id END), (CASE WHEN o.kind LIKE 'MEMBER%' THEN o.owner_id END)) AS s(owner))`),
      ).toEqual([]);
      // 5. Each member's events are numbered 1, 2, 3... with no gap.
      expect(
        await one(
          `SELECT member_id FROM members.outbox_events GROUP BY member_id HAVING count(*) <> max(member_sequence) OR min(member_sequence) <> 1`,
        ),
      ).toEqual([]);
      // 6. A pending earn was posted or voided, never both; a reservation likewise.
      expect(
        await one(
          `SELECT transfer_id FROM members.earns WHERE (SELECT count(*) FROM members.transfers t WHERE t.id = settle_transfer_id) > 1`,
        ),
      ).toEqual([]);
      expect(await one(`SELECT id FROM members.reservations WHERE status = 'RESERVED' AND member_id = ANY($1)`, [members])).toEqual([]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });
});
