import { randomUUID } from 'node:crypto';
import { DEMO_MEMBERS, DEMO_REWARDS } from '../../shared/demo';
import { dataOf, earn, enrollMember, eventually, gql, OPERATOR, partner } from '../support/helpers';

const WALLET = `query Wallet($id: ID!) {
  member(id: $id) {
    displayName
    balance { availablePoints lifetimeEarnedPoints }
    tier { level nextLevel pointsToNextLevel }
    redemptions(first: 5) { edges { node { status pointsSpent reward { title partner { name } } } } }
    affordableRewards(first: 3) { title pointsCost }
    enrolledVia {
      name
      contract { earnRateMilliPointsPerUnit issuePriceMicrosPerPoint redemptionValueMicrosPerPoint currency }
      position { pointsIssued issuedAmountMinor pointsRedeemed redeemedAmountMinor netAmountMinor direction }
    }
  }
}`;

const POSITION = `query($id: ID!) { partner(id: $id) {
  position { currency pointsIssued issuedAmountMinor pointsRedeemed redeemedAmountMinor netAmountMinor direction }
} }`;

describe('one query across all three subgraphs', () => {
  it('returns a seeded member with balance and tier, redemptions with reward titles, and its partner with contract and position', async () => {
    const ben = DEMO_MEMBERS[1];
    const { member } = dataOf(await gql(WALLET, { id: ben.id }, OPERATOR));
    expect(member.displayName).toBe(ben.displayName);
    expect(member.balance.availablePoints).toBeGreaterThan(0);
    expect(member.tier.level).toMatch(/^(BASE|SILVER|GOLD|PLATINUM)$/);
    expect(member.redemptions.edges[0].node).toMatchObject({
      status: 'ISSUED',
      reward: { title: DEMO_REWARDS[4].title, partner: { name: 'SkyBridge Airways' } },
    });
    for (const reward of member.affordableRewards) expect(reward.pointsCost).toBeLessThanOrEqual(member.balance.availablePoints);
    expect(member.enrolledVia).toMatchObject({
      name: 'SkyBridge Airways',
      contract: { earnRateMilliPointsPerUnit: 5000, issuePriceMicrosPerPoint: 10000, redemptionValueMicrosPerPoint: 8000, currency: 'EUR' },
    });
    expect(BigInt(member.enrolledVia.position.pointsIssued)).toBeGreaterThan(0n);
  });

  it("keeps the partner's position current from ledger events, priced exactly", async () => {
    const hotel = partner(5); // 4 points per euro; issue 9500 micros, redemption 8000 micros per point
    const before = dataOf(await gql(POSITION, { id: hotel.id }, hotel.credential)).partner.position;
    const memberId = await enrollMember(hotel.credential);
    expect(await earn(hotel.credential, memberId, 12_345)).toBe(493); // €123.45 x 4 = 493.8
    const redeem = dataOf(
      await gql(
        `mutation($m: ID!, $r: ID!, $k: String!) { redeemReward(memberId: $m, rewardId: $r, idempotencyKey: $k) { status } }`,
        { m: memberId, r: DEMO_REWARDS[0].id, k: randomUUID() }, // 300 points at the trattoria, not the hotel
        OPERATOR,
      ),
    );
    expect(redeem.redeemReward.status).toBe('ISSUED');

    const expectedPoints = BigInt(before.pointsIssued) + 493n;
    const after = await eventually(
      async () => dataOf(await gql(POSITION, { id: hotel.id }, hotel.credential)).partner.position,
      (position) => BigInt(position.pointsIssued) === expectedPoints,
    );
    expect(BigInt(after.pointsIssued)).toBe(expectedPoints);
    // Amounts are recomputed from all points at once, rounded half to even once: 9500 micros is 0.95 cents.
    const micros = expectedPoints * 9500n;
    const minor =
      micros / 10000n + ((micros % 10000n) * 2n > 10000n || ((micros % 10000n) * 2n === 10000n && (micros / 10000n) % 2n === 1n) ? 1n : 0n);
    expect(after.issuedAmountMinor).toBe(minor.toString());
    expect(after.pointsRedeemed).toBe(before.pointsRedeemed); // the redemption was at another partner
  });
});
