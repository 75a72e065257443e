import { randomUUID } from 'node:crypto';
import { DEMO_MEMBERS, DEMO_REWARDS } from '../../shared/demo';
import {
  availablePoints,
  closeDatabase,
  database,
  dataOf,
  earn,
  enrollMember,
  errorCode,
  gql,
  OPERATOR,
  partner,
} from '../support/helpers';

afterAll(closeDatabase);

const REDEEM = `mutation Redeem($memberId: ID!, $rewardId: ID!, $key: String!) {
  redeemReward(memberId: $memberId, rewardId: $rewardId, idempotencyKey: $key) {
    id status pointsSpent voucherCode reward { id title } member { id balance { availablePoints } }
  }
}`;

const airline = partner(4);
const lounge = DEMO_REWARDS[4]; // 4000 points, stock 100
const dessert = DEMO_REWARDS[0]; // 300 points, unlimited

/** Current stock, read as the operator (anonymous catalog answers may be cached for 5 s). */
async function stockOf(rewardId: string): Promise<number | null> {
  return dataOf(await gql('query($id: ID!) { reward(id: $id) { stockRemaining } }', { id: rewardId }, OPERATOR)).reward.stockRemaining;
}

describe('the catalog', () => {
  it('pages the public catalog cheapest first, with a bounded page size', async () => {
    // The demo's travel category: other tests add rewards to other categories meanwhile.
    const query = `query($first: Int, $after: String) { rewards(category: "travel", first: $first, after: $after) {
      edges { node { id pointsCost } } pageInfo { hasNextPage endCursor } } }`;
    const costs: number[] = [];
    let after: string | null = null;
    do {
      const page: any = dataOf(await gql(query, { first: 2, after })).rewards;
      costs.push(...page.edges.map((e: { node: { pointsCost: number } }) => e.node.pointsCost));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(costs).toEqual(
      DEMO_REWARDS.filter((r) => r.category === 'travel')
        .map((r) => r.pointsCost)
        .sort((a, b) => a - b),
    );
    expect(errorCode(await gql(query, { first: 0 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(query, { first: 500 }))).toBe('BAD_USER_INPUT');
  });

  it("lists a partner's rewards on the partner", async () => {
    const { partner: found } = dataOf(
      await gql('query($id: ID!) { partner(id: $id) { name rewards { edges { node { title } } } } }', { id: airline.id }),
    );
    expect(found.rewards.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual([lounge.title]);
  });
});

describe('redeemReward', () => {
  it('spends the points through the ledger, takes one unit of stock and issues a voucher', async () => {
    const memberId = await enrollMember(airline.credential);
    await earn(airline.credential, memberId, 100_000); // 5 points per euro: 5000 points
    const stockBefore = await stockOf(lounge.id);
    const key = randomUUID();
    const { redeemReward } = dataOf(await gql(REDEEM, { memberId, rewardId: lounge.id, key }, OPERATOR));
    expect(redeemReward).toMatchObject({
      status: 'ISSUED',
      pointsSpent: 4_000,
      reward: { title: lounge.title },
      member: { balance: { availablePoints: 1_000 } },
    });
    expect(redeemReward.voucherCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(await stockOf(lounge.id)).toBe(stockBefore! - 1);

    const retry = dataOf(await gql(REDEEM, { memberId, rewardId: lounge.id, key }, OPERATOR));
    expect(retry.redeemReward.id).toBe(redeemReward.id);
    expect(await availablePoints(memberId)).toBe(1_000);
    expect(await stockOf(lounge.id)).toBe(stockBefore! - 1);
    expect(errorCode(await gql(REDEEM, { memberId, rewardId: dessert.id, key }, OPERATOR))).toBe('IDEMPOTENCY_CONFLICT');

    // The points went to the airline's redemption account: the ledger recorded the move.
    const { rows } = await database().query(
      `SELECT a.kind, a.owner_id FROM members.transfers t JOIN members.accounts a ON a.id = t.to_account_id WHERE t.id = (
         SELECT ledger_transfer_id FROM rewards.redemptions WHERE id = $1)`,
      [redeemReward.id],
    );
    expect(rows).toEqual([{ kind: 'PARTNER_REDEMPTION', owner_id: airline.id }]);
  });

  it('fails with INSUFFICIENT_POINTS, gives the stock back and spends nothing; a retry fails the same way', async () => {
    const memberId = await enrollMember(airline.credential);
    await earn(airline.credential, memberId, 10_000); // 500 points
    const stockBefore = await stockOf(lounge.id);
    const key = randomUUID();
    const response = await gql(REDEEM, { memberId, rewardId: lounge.id, key }, OPERATOR);
    expect(errorCode(response)).toBe('INSUFFICIENT_POINTS');
    expect(await stockOf(lounge.id)).toBe(stockBefore);
    expect(await availablePoints(memberId)).toBe(500);
    expect(errorCode(await gql(REDEEM, { memberId, rewardId: lounge.id, key }, OPERATOR))).toBe('INSUFFICIENT_POINTS');
  });

  it('lets a member redeem for itself only', async () => {
    const ava = DEMO_MEMBERS[0];
    const ben = DEMO_MEMBERS[1];
    const response = await gql(REDEEM, { memberId: ben.id, rewardId: dessert.id, key: randomUUID() }, `demo-member-${ava.handle}`);
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(errorCode(await gql(REDEEM, { memberId: ben.id, rewardId: dessert.id, key: randomUUID() }))).toBe('UNAUTHENTICATED');
  });

  it('refuses unknown and malformed rewards with clear errors', async () => {
    const memberId = await enrollMember(airline.credential);
    expect(errorCode(await gql(REDEEM, { memberId, rewardId: '99999999-0000-4000-8000-000000000000', key: randomUUID() }, OPERATOR))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await gql(REDEEM, { memberId, rewardId: 'bad', key: randomUUID() }, OPERATOR))).toBe('BAD_USER_INPUT');
  });

  it('never spends more than the balance when one member redeems concurrently', async () => {
    const memberId = await enrollMember(airline.credential);
    await earn(airline.credential, memberId, 20_000); // 1000 points: three desserts at 300
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => gql(REDEEM, { memberId, rewardId: dessert.id, key: randomUUID() }, OPERATOR)),
    );
    const issued = responses.filter((r) => r.data?.redeemReward?.status === 'ISSUED');
    expect(issued).toHaveLength(3);
    expect(responses.filter((r) => errorCode(r) === 'INSUFFICIENT_POINTS')).toHaveLength(5);
    expect(await availablePoints(memberId)).toBe(100);
  });
});
