import { randomUUID } from 'node:crypto';
import {
  adjust,
  availablePoints,
  checkoutToken,
  closeDatabase,
  database,
  dataOf,
  enrollMember,
  errorCode,
  eventually,
  gql,
  OPERATOR,
  partner,
} from '../support/helpers';
import { webhookOfRewardEvent } from '../../subgraphs/settlement/webhookEvents';

/**
 * Points + cash redemptions (subgraphs/rewards/catalog.ts, splitPrice; redemptions.ts): a reward
 * declares a cash option (a floor on the points part, a cash price per point not paid); a
 * redemption pays a points part and the rest in money, recorded for the partner and answered on
 * the redemption. The ledger spends, and settlement counts, only the points part.
 */

afterAll(closeDatabase);

const cinema = partner(3);

const CREATE = `mutation($input: CreateRewardInput!) { createReward(input: $input) {
  id pointsCost cashOption { minPointsPart cashMicrosPerPoint currency } } }`;
const REDEEM = `mutation($m: ID, $member: MemberReferenceInput, $r: ID!, $p: Int, $k: String!) {
  redeemReward(memberId: $m, member: $member, rewardId: $r, pointsPart: $p, idempotencyKey: $k) {
    id status pointsSpent voucherCode cash { amountMinor currency } } }`;
const UPDATE = `mutation($input: UpdateRewardInput!) { updateReward(input: $input) { pointsCost } }`;

/** 1000 points, of which at least 400 in points; each point not paid 0.5 cent (5000 micro-euros). */
const CASH_OPTION = { minPointsPart: 400, cashMicrosPerPoint: 5_000, currency: 'EUR' };

async function createReward(overrides: Record<string, unknown> = {}) {
  const input = {
    title: `Points and cash ${randomUUID().slice(0, 8)}`,
    description: 'Made by a test.',
    kind: 'FREE_ITEM',
    category: 'test-cash',
    pointsCost: 1_000,
    cashOption: CASH_OPTION,
    idempotencyKey: randomUUID(),
    ...overrides,
  };
  return gql(CREATE, { input }, cinema.credential);
}

async function memberWithPoints(points: number): Promise<string> {
  const memberId = await enrollMember(cinema.credential);
  await adjust(memberId, points);
  return memberId;
}

describe('points + cash redemptions', () => {
  it('spends only the points part, answers the cash part, and settlement counts only the points', async () => {
    const reward = dataOf(await createReward()).createReward;
    expect(reward.cashOption).toEqual(CASH_OPTION);
    const memberId = await memberWithPoints(1_000);
    const variables = { m: memberId, r: reward.id, p: 600, k: randomUUID() };
    const redemption = dataOf(await gql(REDEEM, variables, OPERATOR)).redeemReward;
    // 400 points not paid at 0.5 cent: 2.00 EUR.
    expect(redemption).toMatchObject({ status: 'ISSUED', pointsSpent: 600, cash: { amountMinor: 200, currency: 'EUR' } });
    expect(await availablePoints(memberId)).toBe(400);

    // A retry answers the same redemption; another points part (another cash part) under the key is a conflict.
    expect(dataOf(await gql(REDEEM, variables, OPERATOR)).redeemReward.id).toBe(redemption.id);
    expect(errorCode(await gql(REDEEM, { ...variables, p: 700 }, OPERATOR))).toBe('IDEMPOTENCY_CONFLICT');
    expect(await availablePoints(memberId)).toBe(400);

    const { rows } = await database().query('SELECT cash_amount_minor::int, cash_currency FROM rewards.redemptions WHERE id = $1', [
      redemption.id,
    ]);
    expect(rows).toEqual([{ cash_amount_minor: 200, cash_currency: 'EUR' }]);
    // The redemption's event names the cash part, and so does the partner's webhook made from it.
    const { rows: events } = await database().query(
      `SELECT id, type, member_id, member_sequence, payload, occurred_at, position FROM rewards.outbox_events
        WHERE type = 'redemption.issued' AND payload->>'redemptionId' = $1`,
      [redemption.id],
    );
    expect(events.map((e) => e.payload.cash)).toEqual([{ amountMinor: 200, currency: 'EUR' }]);
    const [event] = events;
    const webhook = webhookOfRewardEvent({
      id: event.id,
      type: event.type,
      memberId: event.member_id,
      memberSequence: event.member_sequence,
      payload: event.payload,
      occurredAt: event.occurred_at,
      position: String(event.position),
    });
    expect(webhook?.data).toMatchObject({ redemptionId: redemption.id, points: 600, cash: { amountMinor: 200, currency: 'EUR' } });
    const redeemed = await eventually(
      async () =>
        (
          await database().query(
            `SELECT coalesce(sum(points), 0)::int AS points, count(*)::int AS n FROM settlement.settlement_entries WHERE member_id = $1 AND kind = 'REDEMPTION'`,
            [memberId],
          )
        ).rows[0],
      (row) => row.n === 1,
    );
    expect(redeemed).toEqual({ points: 600, n: 1 });

    // The whole cost in points, or no points part given: no cash.
    const rich = await memberWithPoints(2_000);
    expect(dataOf(await gql(REDEEM, { m: rich, r: reward.id, k: randomUUID() }, OPERATOR)).redeemReward).toMatchObject({
      pointsSpent: 1_000,
      cash: null,
    });
    expect(dataOf(await gql(REDEEM, { m: rich, r: reward.id, p: 1_000, k: randomUUID() }, OPERATOR)).redeemReward.cash).toBeNull();
  });

  it('a partner redeems points + cash at its till with the member’s checkout token, bound to the points part', async () => {
    const reward = dataOf(await createReward()).createReward;
    const memberId = await memberWithPoints(500);
    const { token } = await checkoutToken(memberId, { partnerId: cinema.id, maxPoints: 400 });
    const redemption = dataOf(
      await gql(REDEEM, { member: { checkoutToken: token }, r: reward.id, p: 400, k: randomUUID() }, cinema.credential),
    ).redeemReward;
    expect(redemption).toMatchObject({ status: 'ISSUED', pointsSpent: 400, cash: { amountMinor: 300, currency: 'EUR' } });
    expect(await availablePoints(memberId)).toBe(100);
  });

  it('rounds the cash part once, half to even', async () => {
    // 10 points, at least 2 in points; a point not paid costs a quarter of a cent.
    const reward = dataOf(
      await createReward({ pointsCost: 10, cashOption: { minPointsPart: 2, cashMicrosPerPoint: 2_500, currency: 'EUR' } }),
    ).createReward;
    const memberId = await memberWithPoints(100);
    const cashFor = async (pointsPart: number) =>
      dataOf(await gql(REDEEM, { m: memberId, r: reward.id, p: pointsPart, k: randomUUID() }, OPERATOR)).redeemReward.cash;
    expect(await cashFor(4)).toEqual({ amountMinor: 2, currency: 'EUR' }); // 6 x 0.25 = 1.5 -> 2
    expect(await cashFor(5)).toEqual({ amountMinor: 1, currency: 'EUR' }); // 5 x 0.25 = 1.25 -> 1
    expect(await cashFor(3)).toEqual({ amountMinor: 2, currency: 'EUR' }); // 7 x 0.25 = 1.75 -> 2
    // 2 x 0.25 = 0.5 -> 0 (half to even): no cash to pay, so refused, nothing spent.
    expect(errorCode(await gql(REDEEM, { m: memberId, r: reward.id, p: 8, k: randomUUID() }, OPERATOR))).toBe('BAD_USER_INPUT');
    expect(await availablePoints(memberId)).toBe(100 - 4 - 5 - 3);
  });

  it('refuses a points part outside the option, and an option that would give a reward away for a token point', async () => {
    const reward = dataOf(await createReward()).createReward;
    const memberId = await memberWithPoints(2_000);
    for (const p of [399, 1_001, 0, -5]) {
      expect(errorCode(await gql(REDEEM, { m: memberId, r: reward.id, p, k: randomUUID() }, OPERATOR))).toBe('BAD_USER_INPUT');
    }
    const pointsOnly = dataOf(await createReward({ cashOption: null })).createReward;
    expect(pointsOnly.cashOption).toBeNull();
    expect(errorCode(await gql(REDEEM, { m: memberId, r: pointsOnly.id, p: 600, k: randomUUID() }, OPERATOR))).toBe('BAD_USER_INPUT');
    expect(await availablePoints(memberId)).toBe(2_000);

    // The floor: 20% of the cost in points at least, and some of it payable in cash.
    for (const cashOption of [
      { ...CASH_OPTION, minPointsPart: 199 },
      { ...CASH_OPTION, minPointsPart: 1 },
      { ...CASH_OPTION, minPointsPart: 1_000 },
      { ...CASH_OPTION, cashMicrosPerPoint: 0 },
      { ...CASH_OPTION, currency: 'XXX' },
      { ...CASH_OPTION, currency: 'EURO' },
    ]) {
      expect(errorCode(await createReward({ cashOption }))).toBe('BAD_USER_INPUT');
    }
    expect(dataOf(await createReward({ cashOption: { ...CASH_OPTION, minPointsPart: 200 } })).createReward.cashOption.minPointsPart).toBe(
      200,
    );
    expect(errorCode(await createReward({ pointsCost: 1, cashOption: { ...CASH_OPTION, minPointsPart: 1 } }))).toBe('BAD_USER_INPUT');
    // A new cost must keep the option valid: 2500 points would put the floor (500) above its 400.
    expect(errorCode(await gql(UPDATE, { input: { rewardId: reward.id, pointsCost: 2_500 } }, cinema.credential))).toBe('BAD_USER_INPUT');
    expect(
      dataOf(await gql(UPDATE, { input: { rewardId: reward.id, pointsCost: 1_500 } }, cinema.credential)).updateReward.pointsCost,
    ).toBe(1_500);
  });
});
