import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  adjust,
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
  wallet,
} from '../support/helpers';

afterAll(closeDatabase);

const cinema = partner(3);
const grocer = partner(1);

const CREATE = `mutation($input: CreateRewardInput!) { createReward(input: $input) {
  id title pointsCost stockRemaining perMemberLimit minTier status partner { id } } }`;
const REDEEM = `mutation($m: ID!, $r: ID!, $k: String!) { redeemReward(memberId: $m, rewardId: $r, idempotencyKey: $k) {
  id status voucherCode voucherExpiresAt pointsSpent } }`;
const CANCEL = `mutation($id: ID!) { cancelRedemption(redemptionId: $id) { id status } }`;
const USE = `mutation($code: String!) { useVoucher(voucherCode: $code) { id status } }`;
// Read as the operator: anonymous catalog answers may come from the gateway's cache (5 s for stock).
const STOCK = `query($id: ID!) { reward(id: $id) { stockRemaining status } }`;

let rewardCount = 0;
/** A reward created by the cinema for one test, so tests do not share stock. */
async function createReward(overrides: Record<string, unknown> = {}, credential = cinema.credential) {
  rewardCount += 1;
  const input = {
    title: `Test reward ${rewardCount}`,
    description: 'Made by a test.',
    kind: 'FREE_ITEM',
    category: 'test-catalog',
    pointsCost: 100,
    idempotencyKey: randomUUID(),
    ...overrides,
  };
  return dataOf(await gql(CREATE, { input }, credential)).createReward;
}

async function memberWithPoints(points: number): Promise<string> {
  const memberId = await enrollMember(cinema.credential);
  await adjust(memberId, points);
  return memberId;
}

describe('catalog management', () => {
  it("lets a partner create, update, restock and retire its own rewards, and not another partner's", async () => {
    const reward = await createReward({ stock: 3, perMemberLimit: 1, minTier: 'SILVER' });
    expect(reward).toMatchObject({ stockRemaining: 3, perMemberLimit: 1, minTier: 'SILVER', status: 'ACTIVE', partner: { id: cinema.id } });
    const update = `mutation($input: UpdateRewardInput!) { updateReward(input: $input) { title pointsCost } }`;
    expect(
      dataOf(await gql(update, { input: { rewardId: reward.id, title: 'Renamed', pointsCost: 150 } }, cinema.credential)).updateReward,
    ).toEqual({
      title: 'Renamed',
      pointsCost: 150,
    });
    expect(errorCode(await gql(update, { input: { rewardId: reward.id, title: 'Hijacked' } }, grocer.credential))).toBe('FORBIDDEN');
    const restock = `mutation($input: AdjustRewardStockInput!) { adjustRewardStock(input: $input) { stockRemaining } }`;
    expect(
      dataOf(await gql(restock, { input: { rewardId: reward.id, delta: 7, idempotencyKey: randomUUID() } }, cinema.credential))
        .adjustRewardStock.stockRemaining,
    ).toBe(10);
    expect(
      errorCode(await gql(restock, { input: { rewardId: reward.id, delta: -11, idempotencyKey: randomUUID() } }, cinema.credential)),
    ).toBe('BAD_USER_INPUT');
    expect(
      errorCode(await gql(restock, { input: { rewardId: reward.id, delta: 1, idempotencyKey: randomUUID() } }, grocer.credential)),
    ).toBe('FORBIDDEN');
    const retire = `mutation($id: ID!) { retireReward(rewardId: $id) { status } }`;
    expect(errorCode(await gql(retire, { id: reward.id }, grocer.credential))).toBe('FORBIDDEN');
    expect(dataOf(await gql(retire, { id: reward.id }, cinema.credential)).retireReward.status).toBe('RETIRED');
    const memberId = await memberWithPoints(1_000);
    expect(errorCode(await gql(REDEEM, { m: memberId, r: reward.id, k: randomUUID() }, OPERATOR))).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['an empty title', { title: ' ' }],
    ['a zero cost', { pointsCost: 0 }],
    ['negative stock', { stock: -1 }],
    ['a category with spaces', { category: 'Not Valid' }],
    ['a value without a currency', { cashValueMinor: 500 }],
    ['an unknown currency', { cashValueMinor: 500, currency: 'XYZW' }],
    ['a window that ends before it starts', { validFrom: '2030-01-02T00:00:00Z', validUntil: '2030-01-01T00:00:00Z' }],
  ])('refuses %s', async (_case, override) => {
    expect(
      errorCode(
        await gql(
          CREATE,
          {
            input: {
              title: 'x',
              description: 'x',
              kind: 'VOUCHER',
              category: 'x',
              pointsCost: 1,
              idempotencyKey: randomUUID(),
              ...override,
            },
          },
          cinema.credential,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('refuses anonymous callers and members', async () => {
    const input = { title: 'x', description: 'x', kind: 'VOUCHER', category: 'x', pointsCost: 1, idempotencyKey: randomUUID() };
    expect(errorCode(await gql(CREATE, { input }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(CREATE, { input }, 'demo-member-ava'))).toBe('FORBIDDEN');
  });
});

describe('catalog queries', () => {
  it('filter by kind, cost range, affordability and availability, and sort', async () => {
    const category = `cat-${randomUUID().slice(0, 8)}`;
    const cheap = await createReward({ category, pointsCost: 50, kind: 'VOUCHER', cashValueMinor: 300, currency: 'EUR' });
    const middle = await createReward({ category, pointsCost: 500 });
    const dear = await createReward({ category, pointsCost: 5_000, kind: 'EXPERIENCE' });
    const future = await createReward({ category, pointsCost: 10, validFrom: new Date(Date.now() + 86_400_000).toISOString() });
    const ids = (response: any) => dataOf<any>(response).rewards.edges.map((e: { node: { id: string } }) => e.node.id);
    const query = `query($category: String, $kind: RewardKind, $min: Int, $max: Int, $member: ID, $now: Boolean, $sort: RewardSort, $first: Int, $after: String) {
      rewards(category: $category, kind: $kind, minPointsCost: $min, maxPointsCost: $max, affordableForMemberId: $member,
              availableNow: $now, sort: $sort, first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    expect(ids(await gql(query, { category }))).toEqual([cheap.id, middle.id, dear.id]);
    expect(ids(await gql(query, { category, now: false }))).toEqual([future.id, cheap.id, middle.id, dear.id]);
    expect(ids(await gql(query, { category, kind: 'EXPERIENCE' }))).toEqual([dear.id]);
    expect(ids(await gql(query, { category, min: 100, max: 1_000 }))).toEqual([middle.id]);
    expect(ids(await gql(query, { category, sort: 'POINTS_COST_DESC' }))).toEqual([dear.id, middle.id, cheap.id]);
    expect(ids(await gql(query, { category, sort: 'NEWEST' }))).toEqual([dear.id, middle.id, cheap.id]);
    const page = dataOf(await gql(query, { category, sort: 'POINTS_COST_DESC', first: 2 })).rewards;
    expect(ids(await gql(query, { category, sort: 'POINTS_COST_DESC', first: 2, after: page.pageInfo.endCursor }))).toEqual([cheap.id]);

    const memberId = await memberWithPoints(600);
    expect(ids(await gql(query, { category, member: memberId }, `demo-operator`))).toEqual([cheap.id, middle.id]);
    expect(errorCode(await gql(query, { category, member: memberId }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(query, { category, member: memberId }, 'demo-member-ava'))).toBe('FORBIDDEN');
  });
});

describe('the redemption lifecycle', () => {
  it('issues a voucher the partner accepts once, at itself only', async () => {
    const reward = await createReward({ pointsCost: 120, voucherValidDays: 7 });
    const memberId = await memberWithPoints(500);
    const redemption = dataOf(await gql(REDEEM, { m: memberId, r: reward.id, k: randomUUID() }, OPERATOR)).redeemReward;
    expect(redemption.status).toBe('ISSUED');
    const days = (new Date(redemption.voucherExpiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect(errorCode(await gql(USE, { code: redemption.voucherCode }, grocer.credential))).toBe('NOT_FOUND');
    expect(dataOf(await gql(USE, { code: redemption.voucherCode.toLowerCase() }, cinema.credential)).useVoucher.status).toBe('USED');
    expect(errorCode(await gql(USE, { code: redemption.voucherCode }, cinema.credential))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(CANCEL, { id: redemption.id }, OPERATOR))).toBe('BAD_USER_INPUT');
    expect((await wallet(memberId)).balance.availablePoints).toBe(380);
  });

  it('cancels an issued voucher: points come back with their expiry dates, and the stock', async () => {
    const reward = await createReward({ pointsCost: 200, stock: 4 });
    const memberId = await memberWithPoints(500);
    const before = (await wallet(memberId)).balance.nextExpiry;
    const redemption = dataOf(await gql(REDEEM, { m: memberId, r: reward.id, k: randomUUID() }, `demo-operator`)).redeemReward;
    expect(dataOf(await gql(STOCK, { id: reward.id }, OPERATOR)).reward.stockRemaining).toBe(3);
    expect(errorCode(await gql(CANCEL, { id: redemption.id }, cinema.credential))).toBe('FORBIDDEN');
    expect(dataOf(await gql(CANCEL, { id: redemption.id }, OPERATOR)).cancelRedemption.status).toBe('CANCELLED');
    expect(dataOf(await gql(CANCEL, { id: redemption.id }, OPERATOR)).cancelRedemption.status).toBe('CANCELLED');
    expect(dataOf(await gql(STOCK, { id: reward.id }, OPERATOR)).reward.stockRemaining).toBe(4);
    const after = (await wallet(memberId)).balance;
    expect(after.availablePoints).toBe(500);
    expect(after.nextExpiry).toEqual(before);
    expect(errorCode(await gql(USE, { code: redemption.voucherCode }, cinema.credential))).toBe('BAD_USER_INPUT');
  });

  it('expires an unused voucher past its date without giving the points back', async () => {
    const reward = await createReward({ pointsCost: 100 });
    const memberId = await memberWithPoints(300);
    const redemption = dataOf(await gql(REDEEM, { m: memberId, r: reward.id, k: randomUUID() }, OPERATOR)).redeemReward;
    // Time travel for this one voucher: its date is moved into the past.
    await database().query(`UPDATE rewards.redemptions SET voucher_expires_at = now() - interval '1 second' WHERE id = $1`, [
      redemption.id,
    ]);
    expect(errorCode(await gql(USE, { code: redemption.voucherCode }, cinema.credential))).toBe('BAD_USER_INPUT');
    const status = dataOf(await gql(`query($id: ID!) { redemption(id: $id) { status } }`, { id: redemption.id }, OPERATOR)).redemption
      .status;
    expect(status).toBe('EXPIRED');
    expect((await wallet(memberId)).balance.availablePoints).toBe(200);
  });

  it('enforces the minimum tier and the validity window, changing nothing', async () => {
    const gold = await createReward({ pointsCost: 10, minTier: 'GOLD', stock: 2 });
    const memberId = await memberWithPoints(100);
    expect(errorCode(await gql(REDEEM, { m: memberId, r: gold.id, k: randomUUID() }, OPERATOR))).toBe('FORBIDDEN');
    expect(dataOf(await gql(STOCK, { id: gold.id }, OPERATOR)).reward.stockRemaining).toBe(2);
    expect((await wallet(memberId)).balance.availablePoints).toBe(100);
    const later = await createReward({ pointsCost: 10, validFrom: new Date(Date.now() + 3_600_000).toISOString() });
    expect(errorCode(await gql(REDEEM, { m: memberId, r: later.id, k: randomUUID() }, OPERATOR))).toBe('BAD_USER_INPUT');
  });

  it('publishes redemption events on the bus', async () => {
    const listener = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await listener.connect();
    try {
      const reward = await createReward({ pointsCost: 10 });
      const memberId = await memberWithPoints(50);
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(n.payload ?? ''));
      await listener.query('LISTEN coalition_reward_events');
      const redemption = dataOf(await gql(REDEEM, { m: memberId, r: reward.id, k: randomUUID() }, OPERATOR)).redeemReward;
      await gql(CANCEL, { id: redemption.id }, OPERATOR);
      const events = await eventually(
        async () =>
          (
            await database().query(
              `SELECT type, position FROM rewards.outbox_events WHERE payload->>'redemptionId' = $1 ORDER BY member_sequence`,
              [redemption.id],
            )
          ).rows,
        (rows) => rows.length === 3 && rows.every((r: { position: string | null }) => r.position !== null),
      );
      expect(events.map((e: { type: string }) => e.type)).toEqual(['redemption.issued', 'redemption.cancelling', 'redemption.cancelled']);
      const last = Math.max(...events.map((e: { position: string }) => Number(e.position)));
      await eventually(
        async () => heard.map((h) => Number(JSON.parse(h).position)),
        (positions) => positions.some((p) => p >= last),
      );
      expect(heard.map((h) => Number(JSON.parse(h).position)).some((p) => p >= last)).toBe(true);
    } finally {
      await listener.end();
    }
  });
});

describe('redemptions under concurrency', () => {
  it('never oversell: of many members racing for K units exactly K succeed, and points move for K only', async () => {
    const stock = 5;
    const reward = await createReward({ pointsCost: 100, stock });
    const members = await Promise.all(Array.from({ length: 16 }, () => memberWithPoints(1_000)));
    const keys = members.map(() => randomUUID());
    const responses = await Promise.all(members.map((m, i) => gql(REDEEM, { m, r: reward.id, k: keys[i] }, OPERATOR)));
    const issued = responses.filter((r) => r.data?.redeemReward?.status === 'ISSUED');
    expect(issued).toHaveLength(stock);
    expect(responses.filter((r) => errorCode(r) === 'OUT_OF_STOCK')).toHaveLength(members.length - stock);
    expect(dataOf(await gql(STOCK, { id: reward.id }, OPERATOR)).reward.stockRemaining).toBe(0);
    const balances = await Promise.all(members.map(async (m) => (await wallet(m)).balance.availablePoints));
    expect(balances.filter((b) => b === 900)).toHaveLength(stock);
    expect(balances.filter((b) => b === 1_000)).toHaveLength(members.length - stock);
    // A retry with the same key returns the same redemption (or the same refusal).
    const retries = await Promise.all(members.map((m, i) => gql(REDEEM, { m, r: reward.id, k: keys[i] }, OPERATOR)));
    retries.forEach((retry, i) => {
      expect(retry.data?.redeemReward?.id ?? errorCode(retry)).toBe(responses[i]!.data?.redeemReward?.id ?? errorCode(responses[i]!));
    });
  });

  it('hold the per-member limit when one member races itself', async () => {
    const reward = await createReward({ pointsCost: 10, perMemberLimit: 2 });
    const memberId = await memberWithPoints(1_000);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => gql(REDEEM, { m: memberId, r: reward.id, k: randomUUID() }, OPERATOR)),
    );
    expect(responses.filter((r) => r.data?.redeemReward?.status === 'ISSUED')).toHaveLength(2);
    expect(responses.filter((r) => errorCode(r) === 'LIMIT_EXCEEDED')).toHaveLength(4);
    expect((await wallet(memberId)).balance.availablePoints).toBe(980);
  });
});

describe('burnPoints', () => {
  const BURN = `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { valueMinor currency transfer { kind points } } }`;
  it("spends points at the point of sale and prices them at the partner's redemption value, rounded half to even", async () => {
    const pulsefit = partner(2); // 6500 micros a point: 0.65 cents
    const memberId = await memberWithPoints(1_000);
    // Each payment at the front desk with the member there: a checkout token of its own.
    const burn = async (points: number) => {
      const { token } = await checkoutToken(memberId);
      const input = { memberId, checkoutToken: token, points, reference: 'front desk', idempotencyKey: randomUUID() };
      return dataOf(await gql(BURN, { input }, pulsefit.credential)).burnPoints;
    };
    expect(await burn(400)).toEqual({ valueMinor: 260, currency: 'EUR', transfer: { kind: 'BURN', points: 400 } });
    expect((await burn(10)).valueMinor).toBe(6); // 6.5 -> 6 (even)
    expect((await burn(30)).valueMinor).toBe(20); // 19.5 -> 20 (even)
    expect((await burn(1)).valueMinor).toBe(1); // 0.65 -> 1
    expect((await wallet(memberId)).balance.availablePoints).toBe(559);
    expect(
      errorCode(
        await gql(
          BURN,
          {
            input: {
              memberId,
              checkoutToken: (await checkoutToken(memberId)).token,
              points: 560,
              reference: 't',
              idempotencyKey: randomUUID(),
            },
          },
          pulsefit.credential,
        ),
      ),
    ).toBe('INSUFFICIENT_POINTS');
    expect(errorCode(await gql(BURN, { input: { memberId, points: 1, reference: 't', idempotencyKey: randomUUID() } }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      errorCode(await gql(BURN, { input: { memberId, points: 1, reference: 't', idempotencyKey: randomUUID() } }, 'demo-member-ava')),
    ).toBe('FORBIDDEN');
  });
});
