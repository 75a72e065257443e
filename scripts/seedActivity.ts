import { DEMO_CURRENCY, DEMO_MEMBERS, DEMO_PARTNERS, DEMO_REWARDS } from '../shared/demo';
import { dataOf, graphql } from './gatewayClient';

const EARN = `mutation Earn($input: EarnPointsInput!) { earnPoints(input: $input) { id points } }`;
const REDEEM = `mutation Redeem($memberId: ID!, $rewardId: ID!, $key: String!) {
  redeemReward(memberId: $memberId, rewardId: $rewardId, idempotencyKey: $key) { id status }
}`;

/**
 * Demo history, posted through the gateway as partner apps and members would: purchases at
 * several partners and one redemption. Fixed idempotency keys make a second run change nothing.
 */
export async function seedDemoActivity(gatewayUrl: string): Promise<void> {
  const purchases: [member: number, partner: number, amountMinor: number][] = [
    [0, 1, 8_450],
    [0, 3, 2_400],
    [0, 0, 6_200],
    [1, 4, 129_900],
    [1, 5, 45_000],
    [2, 3, 3_600],
    [2, 1, 5_120],
    [3, 5, 61_000],
    [3, 6, 18_500],
  ];
  for (const [index, [member, partner, amountMinor]] of purchases.entries()) {
    const partnerRow = DEMO_PARTNERS[partner]!;
    dataOf(
      await graphql(
        gatewayUrl,
        EARN,
        {
          input: {
            memberId: DEMO_MEMBERS[member]!.id,
            purchaseAmountMinor: amountMinor,
            currency: DEMO_CURRENCY,
            reference: `demo-receipt-${index + 1}`,
            idempotencyKey: `demo-seed-earn-${index + 1}`,
          },
        },
        `demo-partner-${partnerRow.code}`,
      ),
    );
  }
  const ben = DEMO_MEMBERS[1]!;
  dataOf(
    await graphql(
      gatewayUrl,
      REDEEM,
      { memberId: ben.id, rewardId: DEMO_REWARDS[4]!.id, key: 'demo-seed-redeem-1' },
      `demo-member-${ben.handle}`,
    ),
  );
}
