import { DEMO_CURRENCY, DEMO_PARTNERS } from '../../shared/demo';
import { dataOf, graphql } from '../../scripts/gatewayClient';

/**
 * The benchmark's data, written through the gateway as the operator, as partner apps and members
 * would have written it: more rewards, then members who each enrolled at a partner, earned at
 * several partners and redeemed at least one reward. So every wallet has transactions at partners,
 * a tier, redemptions and affordable rewards, and the catalog has full pages.
 */

/** Extra rewards per demo partner (the demo seed has one each): catalog pages of 20 are full. */
const REWARDS_PER_PARTNER = 4;
/** Purchases per member, each at a different partner. */
const EARNS_PER_MEMBER = 3;
/** Requests in flight while seeding: enough to overlap round trips, few enough to stay in the pools. */
const SEED_CONCURRENCY = 8;
const CREATE_REWARD = `mutation CreateReward($input: CreateRewardInput!) { createReward(input: $input) { id pointsCost } }`;
const ENROLL = `mutation Enroll($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;
const EARN = `mutation Earn($input: EarnPointsInput!) { earnPoints(input: $input) { points } }`;
const REDEEM = `mutation Redeem($memberId: ID!, $rewardId: ID!, $key: String!) {
  redeemReward(memberId: $memberId, rewardId: $rewardId, idempotencyKey: $key) { status pointsSpent }
}`;
const POSITIONS = `{ partners { position { pointsIssued pointsRedeemed } } }`;
const CURRENT_PERIOD = `{ settlementPeriods(first: 1) { id } }`;
const RECONCILE = `query Reconcile($periodId: ID!) { reconciliation(periodId: $periodId) { balanced } }`;

export interface SeededData {
  /** Every seeded member's id, in enrolment order. */
  memberIds: string[];
  pointsEarned: number;
  pointsRedeemed: number;
  /** What settlement counted of them once it had caught up with the ledger. */
  settlementCounted: { pointsIssuedCounted: number; pointsRedeemedCounted: number };
}

/** Runs `task` for 0..count-1 with at most `concurrency` in flight; rejects on the first failure. */
async function forEachConcurrently(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export async function seedBenchData(
  gatewayUrl: string,
  operatorToken: string,
  memberCount: number,
  /** Told after every tenth of the members, so a long seed shows it is moving. */
  onProgress: (membersSeeded: number) => void = () => undefined,
): Promise<SeededData> {
  const call = async <T>(query: string, variables: Record<string, unknown>): Promise<T> =>
    dataOf(await graphql<T>(gatewayUrl, query, variables, operatorToken));

  // Cheap rewards with unlimited stock and no per-member limit: every member can redeem one.
  const cheapRewardIds: string[] = [];
  for (const [partnerIndex, partner] of DEMO_PARTNERS.entries()) {
    for (let i = 0; i < REWARDS_PER_PARTNER; i++) {
      const { createReward } = await call<{ createReward: { id: string; pointsCost: number } }>(CREATE_REWARD, {
        input: {
          partnerId: partner.id,
          title: `${partner.name} treat ${i + 1}`,
          description: `Benchmark reward ${i + 1} of ${partner.name}.`,
          kind: 'FREE_ITEM',
          category: 'bench',
          pointsCost: 50 + 25 * i + partnerIndex,
          idempotencyKey: `bench-reward-${partner.code}-${i}`,
        },
      });
      if (i === 0) cheapRewardIds.push(createReward.id);
    }
  }

  const memberIds: string[] = new Array(memberCount);
  let pointsEarned = 0;
  let pointsRedeemed = 0;
  let membersSeeded = 0;
  const progressStep = Math.max(1, Math.ceil(memberCount / 10));
  await forEachConcurrently(memberCount, SEED_CONCURRENCY, async (m) => {
    const { enrollMember } = await call<{ enrollMember: { id: string } }>(ENROLL, {
      input: {
        displayName: `Bench Member ${m}`,
        email: `bench-member-${m}@example.com`,
        partnerId: DEMO_PARTNERS[m % DEMO_PARTNERS.length]!.id,
        idempotencyKey: `bench-enroll-${m}`,
      },
    });
    memberIds[m] = enrollMember.id;
    for (let e = 0; e < EARNS_PER_MEMBER; e++) {
      const partner = DEMO_PARTNERS[(m + 2 * e) % DEMO_PARTNERS.length]!;
      const { earnPoints } = await call<{ earnPoints: { points: number } }>(EARN, {
        input: {
          memberId: enrollMember.id,
          partnerId: partner.id,
          // 50 to 550 EUR: a few hundred to a few thousand points, spread over the tiers.
          purchaseAmountMinor: 5_000 + ((m * 7_919 + e * 104_729) % 50_000),
          currency: DEMO_CURRENCY,
          reference: `bench-receipt-${m}-${e}`,
          idempotencyKey: `bench-earn-${m}-${e}`,
        },
      });
      pointsEarned += earnPoints.points;
    }
    // One redemption each, a second for every third member.
    for (let r = 0; r < (m % 3 === 0 ? 2 : 1); r++) {
      const { redeemReward } = await call<{ redeemReward: { status: string; pointsSpent: number } }>(REDEEM, {
        memberId: enrollMember.id,
        rewardId: cheapRewardIds[(m + r) % cheapRewardIds.length],
        key: `bench-redeem-${m}-${r}`,
      });
      if (redeemReward.status !== 'ISSUED') throw new Error(`seed redemption ended ${redeemReward.status}`);
      pointsRedeemed += redeemReward.pointsSpent;
    }
    membersSeeded += 1;
    if (membersSeeded % progressStep === 0) onProgress(membersSeeded);
  });
  const settlementCounted = await catchUpSettlement(call);
  return { memberIds, pointsEarned, pointsRedeemed, settlementCounted };
}

/**
 * Settlement counts ledger events asynchronously (outbox, then its own checkpoint). Measuring while
 * it still works through thousands of seed events would charge its CPU to whichever competitor runs
 * first. A reconciliation of the current period makes settlement count everything the ledger has
 * published before it answers, so once it has answered, settlement is idle. Whether it counted
 * exactly what was seeded is settlement's business (issue 5), not the benchmark's: a difference is
 * reported, not fatal.
 */
export async function catchUpSettlement(
  call: <T>(query: string, variables: Record<string, unknown>) => Promise<T>,
): Promise<{ pointsIssuedCounted: number; pointsRedeemedCounted: number }> {
  const { settlementPeriods } = await call<{ settlementPeriods: { id: string }[] }>(CURRENT_PERIOD, {});
  await call(RECONCILE, { periodId: settlementPeriods[0]!.id });
  const { partners } = await call<{ partners: { position: { pointsIssued: string; pointsRedeemed: string } }[] }>(POSITIONS, {});
  return {
    pointsIssuedCounted: partners.reduce((sum, p) => sum + Number(p.position.pointsIssued), 0),
    pointsRedeemedCounted: partners.reduce((sum, p) => sum + Number(p.position.pointsRedeemed), 0),
  };
}
