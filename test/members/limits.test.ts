import { randomUUID } from 'node:crypto';
import type { GraphQLResponse } from '../../scripts/gatewayClient';
import {
  closeDatabase,
  database,
  dataOf,
  EARN,
  enrollMember,
  errorCode,
  gql,
  internalCall,
  MAINTENANCE,
  OPERATOR,
  partner,
  TRANSFER,
  waitUntilPast,
  wallet,
} from '../support/helpers';

/**
 * The per-member limit (LEDGER.md, "Limits and settings"): balances, lifetime earned and qualifying
 * points are GraphQL Ints, so a posting that would take a member past 2,147,483,647 points is
 * refused before anything is written, and every posting that commits answers. The kernel's
 * figures one by one (debt, points earned) are in postings.test.ts.
 */

afterAll(closeDatabase);

const MAX_MEMBER_POINTS = 2_147_483_647;
const PER_TRANSFER = 10_000_000;
const freshmart = partner(1);

/** An adjustment that answers with the member's balance, as a client reading it back would. */
const GRANT = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) {
  id points member { balance { availablePoints pendingPoints reservedPoints lifetimeEarnedPoints } }
} }`;
const RESERVE = `mutation($input: ReservePointsInput!) { reservePoints(input: $input) { id status points } }`;
const POST = `mutation($id: ID!) { postReservation(reservationId: $id) { id status } }`;
const RELEASE = `mutation($id: ID!) { voidReservation(reservationId: $id) { id status } }`;
const REFUND = `mutation($id: ID!) { refundReservation(reservationId: $id) { id status } }`;

/** Every answer the test got, to show that no write, committed or refused, answered with an internal error. */
const answers: GraphQLResponse<any>[] = [];
async function ask(query: string, variables: Record<string, unknown>, credential?: string): Promise<GraphQLResponse<any>> {
  const answer = await gql(query, variables, credential);
  answers.push(answer);
  return answer;
}
async function askInternal(query: string, variables: Record<string, unknown>): Promise<GraphQLResponse<any>> {
  const answer = await internalCall('members', query, variables);
  answers.push(answer);
  return answer;
}

const grantInput = (memberId: string, points: number, idempotencyKey = randomUUID(), expiresAt?: Date) => ({
  input: { memberId, points, reason: 'limit test', expiresAt: expiresAt?.toISOString(), idempotencyKey },
});

/**
 * Grants a member `total` points as operator adjustments of at most the per-transfer maximum, a few
 * at a time (they queue on the member's lock anyway), checking that every one answers.
 */
async function grant(memberId: string, total: number, expiresAt?: Date): Promise<void> {
  const amounts: number[] = [];
  for (let left = total; left > 0; left -= PER_TRANSFER) amounts.push(Math.min(left, PER_TRANSFER));
  for (let i = 0; i < amounts.length; i += 6) {
    const batch = await Promise.all(
      amounts.slice(i, i + 6).map((points) => ask(GRANT, grantInput(memberId, points, undefined, expiresAt), OPERATOR)),
    );
    for (const answer of batch) expect(answer.errors).toBeUndefined();
  }
}

async function transferCount(memberId: string): Promise<number> {
  const { rows } = await database().query(
    'SELECT count(*)::int AS n FROM members.transfers WHERE member_id = $1 OR counterparty_member_id = $1',
    [memberId],
  );
  return rows[0].n;
}

/** No write through this file was answered with an internal error, whether it committed or not. */
function expectNoInternalErrors(): void {
  const internal = answers.filter((answer) => answer.errors?.some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR'));
  expect(internal.map((answer) => answer.errors)).toEqual([]);
}

describe('the per-member limit', () => {
  it('refuses, before writing, a posting that would take a member past 2147483647 points, and answers every posting it commits', async () => {
    const memberId = await enrollMember(freshmart.credential);
    await grant(memberId, MAX_MEMBER_POINTS); // 215 grants: the last answers with the member exactly at the limit
    const full = { availablePoints: MAX_MEMBER_POINTS, pendingPoints: 0, reservedPoints: 0 };
    expect((await wallet(memberId)).balance).toMatchObject(full);
    const written = await transferCount(memberId);

    // One more point is refused, and nothing is written; a retry under the same key gets the same refusal.
    const key = randomUUID();
    const over = await ask(GRANT, grantInput(memberId, 1, key), OPERATOR);
    expect(errorCode(over)).toBe('LIMIT_EXCEEDED');
    expect(over.errors![0]!.message).toMatch(/at most 2147483647 points.*per-member limit/);
    const retry = await ask(GRANT, grantInput(memberId, 1, key), OPERATOR);
    expect(errorCode(retry)).toBe('LIMIT_EXCEEDED');
    expect(retry.errors![0]!.message).toBe(over.errors![0]!.message);

    // So are an earn (spendable or pending) and a gift into the member; the giver keeps its points.
    const purchase = (pendingUntil?: Date) => ({
      input: {
        memberId,
        purchaseAmountMinor: 1_000,
        currency: 'EUR',
        reference: `r-${randomUUID()}`,
        pendingUntil: pendingUntil?.toISOString(),
        idempotencyKey: randomUUID(),
      },
    });
    expect(errorCode(await ask(EARN, purchase(), freshmart.credential))).toBe('LIMIT_EXCEEDED');
    expect(errorCode(await ask(EARN, purchase(new Date(Date.now() + 3600_000)), freshmart.credential))).toBe('LIMIT_EXCEEDED');
    const friend = await enrollMember(freshmart.credential);
    expect((await ask(GRANT, grantInput(friend, 10), OPERATOR)).errors).toBeUndefined();
    const gift = await ask(
      TRANSFER,
      { input: { fromMemberId: friend, toMemberId: memberId, points: 1, idempotencyKey: randomUUID() } },
      OPERATOR,
    );
    expect(errorCode(gift)).toBe('LIMIT_EXCEEDED');
    expect((await wallet(friend)).balance.availablePoints).toBe(10);
    expect((await wallet(memberId)).balance).toMatchObject(full);
    expect(await transferCount(memberId)).toBe(written);

    // Points moving between the member's own accounts are never refused at the limit: a hold and its release.
    const reserve = async () =>
      dataOf(
        await askInternal(RESERVE, {
          input: { memberId, partnerId: freshmart.id, points: PER_TRANSFER, reference: 'limit test', idempotencyKey: randomUUID() },
        }),
      ).reservePoints;
    const held = await reserve();
    expect((await wallet(memberId)).balance).toMatchObject({
      availablePoints: MAX_MEMBER_POINTS - PER_TRANSFER,
      reservedPoints: PER_TRANSFER,
    });
    expect(dataOf(await askInternal(RELEASE, { id: held.id })).voidReservation.status).toBe('VOIDED');
    expect((await wallet(memberId)).balance).toMatchObject(full);

    // Points given back from outside (a cancelled redemption) are refused until the member has room.
    const spent = await reserve();
    expect(dataOf(await askInternal(POST, { id: spent.id })).postReservation.status).toBe('POSTED');
    expect((await ask(GRANT, grantInput(memberId, PER_TRANSFER), OPERATOR)).errors).toBeUndefined();
    const refused = await askInternal(REFUND, { id: spent.id });
    expect(errorCode(refused)).toBe('LIMIT_EXCEEDED');
    expect((await wallet(memberId)).balance).toMatchObject(full);
    expect((await ask(GRANT, grantInput(memberId, -PER_TRANSFER), OPERATOR)).errors).toBeUndefined();
    expect(dataOf(await askInternal(REFUND, { id: spent.id })).refundReservation.status).toBe('REFUNDED');
    expect((await wallet(memberId)).balance).toMatchObject(full);

    // Room made, a new request is applied; the refused key keeps its refusal.
    expect((await ask(GRANT, grantInput(memberId, -1), OPERATOR)).errors).toBeUndefined();
    expect(dataOf(await ask(GRANT, grantInput(memberId, 1), OPERATOR)).adjustPoints.member.balance.availablePoints).toBe(MAX_MEMBER_POINTS);
    expect(errorCode(await ask(GRANT, grantInput(memberId, 1, key), OPERATOR))).toBe('LIMIT_EXCEEDED');
    expect((await wallet(memberId)).balance).toMatchObject(full);
    expectNoInternalErrors();
  });

  it('expires at most 2147483647 points in one maintenance run, and the next run expires the rest', async () => {
    // Two members whose points, 2,160,000,000 together, fall due at once.
    const expiresAt = new Date(Date.now() + 15_000);
    const members = await Promise.all([1, 2].map(() => enrollMember(freshmart.credential)));
    await Promise.all(members.map((memberId) => grant(memberId, 108 * PER_TRANSFER, expiresAt)));
    expect(Date.now()).toBeLessThan(expiresAt.getTime()); // the grants were all made before they fell due
    await waitUntilPast(expiresAt);

    const runs: number[] = [];
    const left = async () => (await Promise.all(members.map(wallet))).map((member) => member.balance.availablePoints);
    for (let attempt = 0; attempt < 5 && (await left()).some((points) => points > 0); attempt += 1) {
      const run = await ask(MAINTENANCE, {}, OPERATOR);
      expect(run.errors).toBeUndefined();
      runs.push(dataOf(run).runLedgerMaintenance.pointsExpired);
    }
    expect(await left()).toEqual([0, 0]);
    expect(runs.every((points) => points <= MAX_MEMBER_POINTS)).toBe(true);
    const { rows } = await database().query(
      `SELECT points::bigint::text AS points FROM members.transfers WHERE member_id = ANY($1::uuid[]) AND kind = 'EXPIRY'`,
      [members],
    );
    expect(rows).toEqual([{ points: '1080000000' }, { points: '1080000000' }]);
    expectNoInternalErrors();
  }, 120_000);
});
