import { randomUUID } from 'node:crypto';
import { availablePoints, closeDatabase, database, dataOf, errorCode, gql, OPERATOR, partner } from '../support/helpers';
import { CREATE_CAMPAIGN, SET_CAMPAIGN_STATUS, settlementOperations } from '../support/settlement';
import { signToken } from '../../gateway/credentials';
import { DEMO_CAMPAIGNS, DEMO_MEMBERS } from '../../shared/demo';
import { issuanceShardOf } from '../../subgraphs/members/postings';

/**
 * Coalition campaigns (subgraphs/members/campaigns.ts) through the gateway: each rule kind with
 * fixed numbers, stacking and the exclusive precedence, the per-member cap, a budget raced for by
 * many earns at once, a refund of a bonused purchase, and settlement billing the funder. Every
 * campaign belongs to a partner of its own (the stack is shared), so no other test's earn meets it.
 */

afterAll(closeDatabase);

const ops = settlementOperations(gql);
const CREATE = CREATE_CAMPAIGN;
const SET_STATUS = SET_CAMPAIGN_STATUS;
const READ = `query($id: ID!) { campaign(id: $id) { budgetLeftPoints } }`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id points } }`;

const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
const nextYear = () => new Date(Date.now() + 365 * 24 * 3600_000).toISOString();
const { campaignInput: createInput, activeCampaign } = ops;

async function earnAt(partnerId: string, memberId: string, purchaseAmountMinor: number, lines?: unknown[]) {
  const input = { memberId, partnerId, purchaseAmountMinor, currency: 'EUR', reference: 'receipt', lines, idempotencyKey: randomUUID() };
  return dataOf(await gql(EARN, { input }, OPERATOR)).earnPoints as { id: string; points: number };
}

/** The BONUS transfers an earn got, as [campaignId, points], by campaign. */
async function bonusesOf(earnId: string): Promise<[string, number][]> {
  const { rows } = await database().query(
    `SELECT g.campaign_id, t.points::int AS points FROM members.campaign_grants g JOIN members.transfers t ON t.id = g.transfer_id
      WHERE g.earn_id = $1 AND t.kind = 'BONUS' ORDER BY g.campaign_id`,
    [earnId],
  );
  return rows.map((r) => [r.campaign_id, r.points]);
}

const budgetLeft = async (id: string) => dataOf(await gql(READ, { id }, OPERATOR)).campaign.budgetLeftPoints as number;

describe('campaign rules at earn time', () => {
  it('SPEND_MULTIPLIER adds extraPermille of the points earned, as a BONUS transfer from the funder', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const campaignId = await activeCampaign(funder, { ruleKind: 'SPEND_MULTIPLIER', extraPermille: 1500 });
    const memberId = await ops.enrollAt(funder);
    const earned = await earnAt(funder, memberId, 10_001); // 100 points at one per euro
    expect(earned.points).toBe(100);
    expect(await bonusesOf(earned.id)).toEqual([[campaignId, 150]]);
    expect(await availablePoints(memberId)).toBe(250);
    expect(await budgetLeft(campaignId)).toBe(100_000 - 150);
  });

  it('LINE_BONUS pays per matching line, never on an excluded category; PURCHASE_BONUS once per purchase', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const lineCampaign = await activeCampaign(funder, {
      ruleKind: 'LINE_BONUS',
      extraPermille: 1000,
      bonusPoints: 5,
      categoryCodes: ['fruit'],
    });
    const purchaseCampaign = await activeCampaign(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 20 });
    dataOf(
      await gql(
        `mutation($p: ID, $c: [String!]!) { setExcludedCategories(partnerId: $p, categoryCodes: $c) }`,
        { p: funder, c: ['SWEETS'] },
        OPERATOR,
      ),
    );
    const memberId = await ops.enrollAt(funder);
    const lines = [
      { sku: 'bread', categoryCode: 'BAKERY', quantity: 1, unitPriceMinor: 1_250, lineAmountMinor: 1_250 },
      { sku: 'apples', categoryCode: 'FRUIT', quantity: 3, unitPriceMinor: 333, lineAmountMinor: 999 },
      { sku: 'pears', categoryCode: 'FRUIT', quantity: 1, unitPriceMinor: 450, lineAmountMinor: 450 },
      // A fruit gum is a sweet: excluded here, so neither points nor a bonus.
      { sku: 'fruit-gum', categoryCode: 'SWEETS', quantity: 1, unitPriceMinor: 2_000, lineAmountMinor: 2_000 },
    ];
    const earned = await earnAt(funder, memberId, 1_250 + 999 + 450 + 2_000, lines);
    expect(earned.points).toBe(12 + 9 + 4);
    // apples 9 + 5, pears 4 + 5; the purchase bonus once.
    const expected: [string, number][] = [
      [lineCampaign, 23],
      [purchaseCampaign, 20],
    ];
    expect(await bonusesOf(earned.id)).toEqual(expected.sort((a, b) => a[0].localeCompare(b[0])));
    expect(await availablePoints(memberId)).toBe(25 + 43);
  });

  it('FIRST_PURCHASE grants on the first purchase at the funder only', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const campaignId = await activeCampaign(funder, { ruleKind: 'FIRST_PURCHASE', bonusPoints: 500 });
    const memberId = await ops.enrollAt(funder);
    const first = await earnAt(funder, memberId, 2_000);
    const second = await earnAt(funder, memberId, 2_000);
    expect(await bonusesOf(first.id)).toEqual([[campaignId, 500]]);
    expect(await bonusesOf(second.id)).toEqual([]);
    expect(await availablePoints(memberId)).toBe(20 + 500 + 20);
  });

  it('stacking: non-exclusive campaigns add up, each cut to its per-member cap; an exclusive one applies alone', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const flat = await activeCampaign(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 10 });
    const capped = await activeCampaign(funder, { ruleKind: 'SPEND_MULTIPLIER', extraPermille: 500, perMemberCapPoints: 60 });
    const memberId = await ops.enrollAt(funder);
    const byId = (pairs: [string, number][]) => Object.fromEntries(pairs);
    expect(byId(await bonusesOf((await earnAt(funder, memberId, 10_000)).id))).toEqual({ [flat]: 10, [capped]: 50 });
    // The cap leaves 10 of the multiplier's 50.
    expect(byId(await bonusesOf((await earnAt(funder, memberId, 10_000)).id))).toEqual({ [flat]: 10, [capped]: 10 });
    expect(byId(await bonusesOf((await earnAt(funder, memberId, 10_000)).id))).toEqual({ [flat]: 10 });
    const exclusive = await activeCampaign(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 30, exclusive: true });
    expect(byId(await bonusesOf((await earnAt(funder, memberId, 10_000)).id))).toEqual({ [exclusive]: 30 });
    expect(await availablePoints(memberId)).toBe(400 + 60 + 20 + 10 + 30);
  });

  it('a paused, ended or not yet started campaign grants nothing', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const paused = await activeCampaign(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 10 });
    dataOf(await gql(SET_STATUS, { id: paused, s: 'PAUSED' }, OPERATOR));
    await activeCampaign(funder, {
      ruleKind: 'PURCHASE_BONUS',
      bonusPoints: 10,
      startsAt: nextYear(),
      endsAt: new Date(Date.now() + 400 * 86400_000).toISOString(),
    });
    const memberId = await ops.enrollAt(funder);
    expect(await bonusesOf((await earnAt(funder, memberId, 10_000)).id)).toEqual([]);
    dataOf(await gql(SET_STATUS, { id: paused, s: 'ENDED' }, OPERATOR));
    expect(errorCode(await gql(SET_STATUS, { id: paused, s: 'ACTIVE' }, OPERATOR))).toBe('BAD_USER_INPUT');
  });
});

describe('opt-in offers', () => {
  const OFFERS = `query($id: ID!) { member(id: $id) { offers { campaign { id optIn } activated capLeftPoints } } }`;
  const ACTIVATE = `mutation($m: ID!, $c: ID!) { activateOffer(memberId: $m, campaignId: $c) { activated capLeftPoints } }`;
  const offerOf = async (memberId: string, campaignId: string) =>
    dataOf(await gql(OFFERS, { id: memberId }, OPERATOR)).member.offers.find((o: any) => o.campaign.id === campaignId);

  it('a member sees its offers but not their funder report', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const campaignId = await activeCampaign(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 5 });
    const memberId = await ops.enrollAt(funder);
    const token = await signToken('member', memberId, 600);
    const mine = await gql(
      `query($id: ID!) { member(id: $id) { offers { campaign { id report { grantedPoints } } } } }`,
      { id: memberId },
      token,
    );
    expect(errorCode(mine)).toBe('FORBIDDEN');
    const plain = dataOf(
      await gql(`query($id: ID!) { member(id: $id) { offers { campaign { id } activated } } }`, { id: memberId }, token),
    );
    expect(plain.member.offers).toContainEqual({ campaign: { id: campaignId }, activated: false });
  });

  it('an opt-in campaign grants only after the member activated it; Member.offers shows what is left of the cap', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const campaignId = await activeCampaign(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 25, optIn: true, perMemberCapPoints: 50 });
    const memberId = await ops.enrollAt(funder);
    expect(await offerOf(memberId, campaignId)).toEqual({ campaign: { id: campaignId, optIn: true }, activated: false, capLeftPoints: 50 });
    expect(await bonusesOf((await earnAt(funder, memberId, 1_000)).id)).toEqual([]);
    // A partner may not activate offers for a member.
    expect(errorCode(await gql(ACTIVATE, { m: memberId, c: campaignId }, partner(1).credential))).toBe('FORBIDDEN');
    expect(dataOf(await gql(ACTIVATE, { m: memberId, c: campaignId }, OPERATOR)).activateOffer).toEqual({
      activated: true,
      capLeftPoints: 50,
    });
    // Again: nothing changes.
    expect(dataOf(await gql(ACTIVATE, { m: memberId, c: campaignId }, OPERATOR)).activateOffer).toEqual({
      activated: true,
      capLeftPoints: 50,
    });
    expect(await bonusesOf((await earnAt(funder, memberId, 1_000)).id)).toEqual([[campaignId, 25]]);
    expect((await offerOf(memberId, campaignId)).capLeftPoints).toBe(25);
    expect(await bonusesOf((await earnAt(funder, memberId, 1_000)).id)).toEqual([[campaignId, 25]]);
    // The cap is used up: no longer an offer.
    expect(await offerOf(memberId, campaignId)).toBeUndefined();
    expect(await availablePoints(memberId)).toBe(30 + 50);
    // Another member who did not activate it gets nothing.
    const other = await ops.enrollAt(funder);
    expect(await bonusesOf((await earnAt(funder, other, 1_000)).id)).toEqual([]);
  });

  it('refuses to activate a campaign that needs no activation, or one not active', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const plain = await activeCampaign(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 5 });
    const memberId = await ops.enrollAt(funder);
    expect(errorCode(await gql(ACTIVATE, { m: memberId, c: plain }, OPERATOR))).toBe('BAD_USER_INPUT');
    dataOf(await gql(SET_STATUS, { id: plain, s: 'PAUSED' }, OPERATOR));
    expect(errorCode(await gql(ACTIVATE, { m: memberId, c: plain }, OPERATOR))).toBe('NOT_FOUND');
  });
});

describe('the budget', () => {
  it('is never overspent by earns at many partners racing for its last points: the last bonus is cut to what is left, every earn succeeds', async () => {
    // Coalition-wide, so the earns run at six partners and do not queue on one partner's issuance
    // account; a SKU of this test's own keeps every other test's purchases out of it.
    const funder = await ops.newPartner(9000, 7000);
    const sku = `race-${randomUUID()}`;
    const campaignId = await activeCampaign(funder, {
      ruleKind: 'LINE_BONUS',
      bonusPoints: 7,
      skus: [sku],
      coalitionWide: true,
      budgetPoints: 50,
    });
    const stores = await Promise.all(Array.from({ length: 6 }, () => ops.newPartner(9000, 7000)));
    const members = await Promise.all(Array.from({ length: 12 }, (_, i) => ops.enrollAt(stores[i % 6]!)));
    const line = { sku, categoryCode: 'TEST', quantity: 1, unitPriceMinor: 1_000, lineAmountMinor: 1_000 };
    const earns = await Promise.all(members.map((memberId, i) => earnAt(stores[i % 6]!, memberId, 1_000, [line])));
    dataOf(await gql(SET_STATUS, { id: campaignId, s: 'ENDED' }, OPERATOR));
    expect(earns.every((e) => e.points === 10)).toBe(true);
    const bonuses = (await Promise.all(earns.map((e) => bonusesOf(e.id)))).flat().map(([, points]) => points);
    expect(bonuses.reduce((a, b) => a + b, 0)).toBe(50);
    expect(bonuses.sort((a, b) => a - b)).toEqual([1, 7, 7, 7, 7, 7, 7, 7]);
    expect(await budgetLeft(campaignId)).toBe(0);
    const balances = await Promise.all(members.map(availablePoints));
    expect(balances.reduce((a, b) => a + b, 0)).toBe(12 * 10 + 50);
  });

  it('earns at two partners, each granting a bonus the other funds, all succeed however their issuance locks cross', async () => {
    // An earn at A debits A's issuance, then its bonuses debit each funder's: one funded by B takes
    // B's. An earn at B takes them the other way round. On the same issuance shard (members of one
    // shard) the two wait on each other: PostgreSQL aborts one as a deadlock, and the write must
    // run again rather than fail.
    const [a, b] = await Promise.all([ops.newPartner(9000, 7000), ops.newPartner(9000, 7000)]);
    const sku = `crossed-${randomUUID()}`;
    const rule = { ruleKind: 'LINE_BONUS', bonusPoints: 3, skus: [sku], coalitionWide: true };
    await Promise.all([activeCampaign(a, rule), activeCampaign(b, rule)]);
    const enrolled = await Promise.all(Array.from({ length: 96 }, (_, i) => ops.enrollAt(i % 2 ? a : b)));
    const byShard = new Map<number, string[]>();
    for (const id of enrolled) byShard.set(issuanceShardOf(id), [...(byShard.get(issuanceShardOf(id)) ?? []), id]);
    const members = [...byShard.values()].sort((x, y) => y.length - x.length)[0]!.slice(0, 3);
    expect(members).toHaveLength(3);
    const line = { sku, categoryCode: 'TEST', quantity: 1, unitPriceMinor: 1_000, lineAmountMinor: 1_000 };
    const rounds = 4;
    const earns = await Promise.all(
      members.flatMap((memberId) => Array.from({ length: rounds }, (_, round) => earnAt(round % 2 ? a : b, memberId, 1_000, [line]))),
    );
    expect(earns.every((e) => e.points === 10)).toBe(true);
    const balances = await Promise.all(members.map(availablePoints));
    // Each earn: 10 points, and a bonus of 3 from each of the two campaigns.
    expect(balances).toEqual(members.map(() => rounds * (10 + 2 * 3)));
  });
});

describe('refunds and settlement', () => {
  it('a refund reverses the bonus in proportion, back to the budget; the funder is billed for the bonus at its issue price', async () => {
    const funder = await ops.newPartner(12_345, 7000);
    const campaignId = await activeCampaign(funder, { ruleKind: 'SPEND_MULTIPLIER', extraPermille: 1000 });
    const memberId = await ops.enrollAt(funder);
    const earned = await earnAt(funder, memberId, 10_000);
    expect(await availablePoints(memberId)).toBe(200);
    // A third of the purchase: floor(100 x 1/3) = 33 of the points and 33 of the bonus.
    expect(await ops.reverse(earned.id, 3_333)).toEqual({ pointsReversed: 66, pointsClawedBack: 0 });
    expect(await availablePoints(memberId)).toBe(134);
    expect(await budgetLeft(campaignId)).toBe(100_000 - 100 + 33);
    // The rest: exactly what is left of each.
    expect(await ops.reverse(earned.id)).toEqual({ pointsReversed: 134, pointsClawedBack: 0 });
    expect(await budgetLeft(campaignId)).toBe(100_000);
    const REPORT = `query($id: ID!) { campaign(id: $id) { report { grantedPoints reversedPoints membersReached bonusedPurchases budgetLeftPoints } } }`;
    expect(dataOf(await gql(REPORT, { id: campaignId }, OPERATOR)).campaign.report).toEqual({
      grantedPoints: 100,
      reversedPoints: 100,
      membersReached: 1,
      bonusedPurchases: 1,
      budgetLeftPoints: 100_000,
    });
    // Another partner sees neither the campaign nor its report.
    expect(errorCode(await gql(REPORT, { id: campaignId }, partner(1).credential))).toBe('FORBIDDEN');
    // Earned and bonus points on lines of their own, each rounded once: 100 x 12345 micros = 1.2345
    // EUR -> 123 cents each, issued and reversed alike.
    const billed = {
      pointsIssued: '100',
      issuedAmountMinor: '123',
      pointsReversed: '100',
      reversedAmountMinor: '123',
      pointsBonus: '100',
      bonusAmountMinor: '123',
      pointsBonusReversed: '100',
      bonusReversedAmountMinor: '123',
    };
    // positionReaches answers the last position read, reached or not: assert it.
    expect(await ops.positionReaches(funder, billed)).toEqual(billed);
  });

  it("a coalition-wide campaign bills the funder, not the partner where the purchase happened, and needs the operator's approval", async () => {
    const store = await ops.newPartner(9000, 7000);
    const funder = await ops.newPartner(20_000, 7000);
    const memberId = await ops.enrollAt(store);
    await earnAt(store, memberId, 5_000_000); // 50,000 points: PLATINUM from the next purchase on
    // Targeted at PLATINUM members and open only for this test: other tests' members never reach it.
    const input = createInput(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 40, coalitionWide: true, tiers: ['PLATINUM'] });
    const partnerOwn = partner(1);
    const asPartner = { ...input, partnerId: undefined };
    const own = dataOf(await gql(CREATE, { input: asPartner }, partnerOwn.credential)).createCampaign;
    expect(errorCode(await gql(SET_STATUS, { id: own.id, s: 'ACTIVE' }, partnerOwn.credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(SET_STATUS, { id: own.id, s: 'ENDED' }, partner(2).credential))).toBe('FORBIDDEN');
    dataOf(await gql(SET_STATUS, { id: own.id, s: 'ENDED' }, partnerOwn.credential));
    const campaignId = await activeCampaign(funder, { ...input, partnerId: funder });
    try {
      const earned = await earnAt(store, memberId, 10_000);
      expect(earned.points).toBe(200); // x2 at PLATINUM
      expect(await bonusesOf(earned.id)).toEqual([[campaignId, 40]]);
    } finally {
      dataOf(await gql(SET_STATUS, { id: campaignId, s: 'ENDED' }, OPERATOR));
    }
    // 40 x 20000 micros = 0.80 EUR, to the funder's bonus line; the store is billed its own 50,200 points only.
    const funderBilled = { pointsIssued: '0', pointsBonus: '40', bonusAmountMinor: '80' };
    expect(await ops.positionReaches(funder, funderBilled)).toEqual(funderBilled);
    const storeBilled = { pointsIssued: '50200', issuedAmountMinor: '45180', pointsBonus: '0' };
    expect(await ops.positionReaches(store, storeBilled)).toEqual(storeBilled);
  });

  it("lists a funder's campaigns a page at a time, newest first: the funder its own, the operator any", async () => {
    const funder = await ops.newPartner(9000, 7000);
    const LIST = `query($p: ID, $s: CampaignStatus, $first: Int, $after: String) {
      campaigns(partnerId: $p, status: $s, first: $first, after: $after) {
        edges { cursor node { id funderPartnerId status } } pageInfo { hasNextPage endCursor } } }`;
    const created: string[] = [];
    for (const name of ['first', 'second', 'third']) {
      created.push(
        dataOf(await gql(CREATE, { input: createInput(funder, { name, ruleKind: 'PURCHASE_BONUS', bonusPoints: 1 }) }, OPERATOR))
          .createCampaign.id,
      );
    }
    dataOf(await gql(SET_STATUS, { id: created[0], s: 'ENDED' }, OPERATOR));
    const page = async (variables: Record<string, unknown>, credential = OPERATOR) =>
      dataOf(await gql(LIST, variables, credential)).campaigns;
    const firstPage = await page({ p: funder, first: 2 });
    expect(firstPage.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([created[2], created[1]]);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const lastPage = await page({ p: funder, first: 2, after: firstPage.pageInfo.endCursor });
    expect(lastPage.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([created[0]]);
    expect(lastPage.pageInfo.hasNextPage).toBe(false);
    expect((await page({ p: funder, s: 'ENDED' })).edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([created[0]]);
    // A partner sees its own campaigns only, and may not name another funder.
    const own = partner(1);
    const ownList = await page({ first: 100 }, own.credential);
    expect(ownList.edges.every((e: { node: { funderPartnerId: string } }) => e.node.funderPartnerId === own.id)).toBe(true);
    expect(errorCode(await gql(LIST, { p: funder }, own.credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(LIST, {}, 'demo-member-ava'))).toBe('FORBIDDEN');
    expect(errorCode(await gql(LIST, {}))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(LIST, { p: funder, first: 101 }, OPERATOR))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(LIST, { p: funder, after: 'not-a-cursor' }, OPERATOR))).toBe('BAD_USER_INPUT');
  });

  it('refuses bad rules and other partners', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const bad = (fields: Record<string, unknown>) => gql(CREATE, { input: createInput(funder, fields) }, OPERATOR);
    expect(errorCode(await bad({ ruleKind: 'SPEND_MULTIPLIER' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await bad({ ruleKind: 'PURCHASE_BONUS', bonusPoints: 5, extraPermille: 10 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await bad({ ruleKind: 'LINE_BONUS', bonusPoints: 5 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await bad({ ruleKind: 'PURCHASE_BONUS', bonusPoints: 5, budgetPoints: 0 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await bad({ ruleKind: 'PURCHASE_BONUS', bonusPoints: 5, endsAt: hourAgo(), startsAt: nextYear() }))).toBe(
      'BAD_USER_INPUT',
    );
    const input = createInput(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 5 });
    expect(errorCode(await gql(CREATE, { input }, partner(1).credential))).toBe('FORBIDDEN');
  });
});

describe('the demo campaigns', () => {
  it('are seeded ACTIVE as opt-in offers a demo member sees, each listed for its funder', async () => {
    const [firstVisit, december] = DEMO_CAMPAIGNS;
    const OFFERS = `query($id: ID!) { member(id: $id) { offers { campaign { id name funderPartnerId optIn } activated } } }`;
    const ava = DEMO_MEMBERS[0];
    const offers = dataOf(await gql(OFFERS, { id: ava.id }, `demo-member-${ava.handle}`)).member.offers;
    expect(offers).toContainEqual({
      campaign: { id: firstVisit.id, name: firstVisit.name, funderPartnerId: firstVisit.funderPartnerId, optIn: true },
      activated: false,
    });
    // The December offer is among them in December only (its window), and listed for its funder always.
    const inDecember = new Date().getUTCMonth() === 11;
    expect(offers.some((o: { campaign: { id: string } }) => o.campaign.id === december.id)).toBe(inDecember);
    const LIST = `query($p: ID) { campaigns(partnerId: $p, status: ACTIVE) { edges { node { id ruleKind extraPermille startsAt endsAt } } } }`;
    const listed = dataOf(await gql(LIST, { p: december.funderPartnerId }, OPERATOR)).campaigns.edges.map((e: { node: unknown }) => e.node);
    const year = new Date().getUTCFullYear();
    expect(listed).toContainEqual({
      id: december.id,
      ruleKind: 'SPEND_MULTIPLIER',
      extraPermille: 1000,
      startsAt: new Date(Date.UTC(year, 11, 1)).toISOString(),
      endsAt: new Date(Date.UTC(year + 1, 0, 1)).toISOString(),
    });
  });
});
/** Moves an earn (its transfer) back in time: a purchase made days ago, which a test cannot wait for. */
async function backdate(earnId: string, days: number) {
  await database().query(`UPDATE members.transfers SET created_at = created_at - $2 * interval '1 day' WHERE id = $1`, [earnId, days]);
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86400_000).toISOString();
const line = (categoryCode: string, amountMinor: number) => ({
  sku: `sku-${categoryCode}`,
  categoryCode,
  quantity: 1,
  unitPriceMinor: amountMinor,
  lineAmountMinor: amountMinor,
});
/** A category code no other test uses: coalition-wide campaigns targeting it reach this test's members only. */
const ownCategory = () => `C${randomUUID().slice(0, 8).toUpperCase()}`;

describe('DISTINCT_PARTNERS', () => {
  it('grants once the member shopped at that many partners within the window, each grant using its purchases up; a refunded purchase no longer counts', async () => {
    const [funder, storeA, storeB] = (await Promise.all([0, 1, 2].map(() => ops.newPartner(9000, 7000)))) as [string, string, string];
    const category = ownCategory();
    const campaignId = await activeCampaign(funder, {
      ruleKind: 'DISTINCT_PARTNERS',
      distinctPartners: 2,
      windowDays: 7,
      bonusPoints: 200,
      coalitionWide: true,
      shopperCategoryCodes: [category],
      startsAt: daysAgo(30),
    });
    try {
      const memberId = await ops.enrollAt(funder);
      const bonus = async (partnerId: string, lines?: unknown[]) => {
        const earned = await earnAt(partnerId, memberId, 1_000, lines);
        return { earnId: earned.id, points: (await bonusesOf(earned.id)).map(([, points]) => points) };
      };
      // Eight days ago at the funder, buying in the category: the member shops there, but the
      // purchase is out of a 7-day window.
      const old = await bonus(funder, [line(category, 1_000)]);
      await backdate(old.earnId, 8);
      expect((await bonus(storeA)).points).toEqual([]); // A alone: one partner in the window
      expect((await bonus(storeB)).points).toEqual([200]); // A and B
      const refunded = await bonus(storeB);
      expect(refunded.points).toEqual([]); // after the grant: B only
      await ops.reverse(refunded.earnId);
      expect((await bonus(storeA)).points).toEqual([]); // B refunded in full counts no more: A only
      expect((await bonus(funder)).points).toEqual([200]); // A and the funder
      // A member who never bought the category at the funder is not targeted.
      const other = await ops.enrollAt(funder);
      await earnAt(funder, other, 1_000);
      expect(await bonusesOf((await earnAt(storeA, other, 1_000)).id)).toEqual([]);
    } finally {
      dataOf(await gql(SET_STATUS, { id: campaignId, s: 'ENDED' }, OPERATOR));
    }
  });

  it('is coalition-wide only and needs its partner count and window', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const bad = (fields: Record<string, unknown>) => gql(CREATE, { input: createInput(funder, fields) }, OPERATOR);
    const rule = { ruleKind: 'DISTINCT_PARTNERS', bonusPoints: 10, distinctPartners: 2, windowDays: 7 };
    expect(errorCode(await bad(rule))).toBe('BAD_USER_INPUT');
    expect(errorCode(await bad({ ...rule, coalitionWide: true, windowDays: undefined }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await bad({ ...rule, coalitionWide: true, distinctPartners: 1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await bad({ ruleKind: 'PURCHASE_BONUS', bonusPoints: 10, windowDays: 7 }))).toBe('BAD_USER_INPUT');
    expect(dataOf(await bad({ ...rule, coalitionWide: true })).createCampaign.status).toBe('DRAFT');
  });
});

describe('DISTINCT_CATEGORIES', () => {
  const RETURN = `mutation($input: ReverseEarnInput!) { reverseEarn(input: $input) { pointsReversed } }`;

  it("counts the categories of lines that earned and were not returned, at the funder only for the funder's own campaign", async () => {
    const [funder, store] = (await Promise.all([0, 1].map(() => ops.newPartner(9000, 7000)))) as [string, string];
    const [a, b, c, d, e, sweets] = Array.from({ length: 6 }, ownCategory) as [string, string, string, string, string, string];
    dataOf(
      await gql(
        `mutation($p: ID, $c: [String!]!) { setExcludedCategories(partnerId: $p, categoryCodes: $c) }`,
        { p: funder, c: [sweets] },
        OPERATOR,
      ),
    );
    const campaignId = await activeCampaign(funder, {
      ruleKind: 'DISTINCT_CATEGORIES',
      distinctCategories: 3,
      windowDays: 14,
      bonusPoints: 150,
      startsAt: daysAgo(30),
    });
    const memberId = await ops.enrollAt(funder);
    const buy = async (partnerId: string, categories: string[]) => {
      const lines = categories.map((category) => line(category, 1_000));
      const earned = await earnAt(partnerId, memberId, 1_000 * categories.length, lines);
      return { earnId: earned.id, points: (await bonusesOf(earned.id)).map(([, points]) => points) };
    };
    // Fifteen days ago: out of the 14-day window.
    await backdate((await buy(funder, [a])).earnId, 15);
    // Bought at another partner: not the funder's to count (and no bonus there: the campaign is the funder's own).
    expect((await buy(store, [c, d])).points).toEqual([]);
    // The sweets line is excluded at the funder: it earned nothing, so it adds no category.
    expect((await buy(funder, [b, sweets])).points).toEqual([]);
    // B and E; then E is returned (the purchase, partly refunded, still counts, but not E).
    const returned = await buy(funder, [e, b]);
    expect(returned.points).toEqual([]);
    const returnE = { earnId: returned.earnId, returnedLines: [1], reference: 'refund', idempotencyKey: randomUUID() };
    expect(dataOf(await gql(RETURN, { input: returnE }, OPERATOR)).reverseEarn.pointsReversed).toBe(10);
    expect((await buy(funder, [c])).points).toEqual([]); // B and C
    expect((await buy(funder, [d])).points).toEqual([150]); // B, C and D
    // The grant used its purchases up: afresh, one basket of three categories completes the set.
    expect((await buy(funder, [a, b, c])).points).toEqual([150]);
    expect((await buy(funder, [d, e])).points).toEqual([]);
    expect(
      dataOf(await gql(`query($id: ID!) { campaign(id: $id) { distinctCategories windowDays } }`, { id: campaignId }, OPERATOR)).campaign,
    ).toEqual({
      distinctCategories: 3,
      windowDays: 14,
    });
  });

  it('a coalition-wide campaign counts categories bought at every partner', async () => {
    const [funder, store] = (await Promise.all([0, 1].map(() => ops.newPartner(9000, 7000)))) as [string, string];
    const [a, b, target] = Array.from({ length: 3 }, ownCategory) as [string, string, string];
    // Targeted at shoppers of a category of this test's own: other tests' members never reach it.
    const campaignId = await activeCampaign(funder, {
      ruleKind: 'DISTINCT_CATEGORIES',
      distinctCategories: 3,
      windowDays: 7,
      bonusPoints: 40,
      coalitionWide: true,
      shopperCategoryCodes: [target],
    });
    try {
      const memberId = await ops.enrollAt(funder);
      // At the funder, in the targeted category: a shopper of it from the next purchase on.
      await earnAt(funder, memberId, 1_000, [line(target, 1_000)]);
      expect(await bonusesOf((await earnAt(store, memberId, 1_000, [line(a, 1_000)])).id)).toEqual([]);
      // The target category at the funder, A and B at the store: three.
      expect(await bonusesOf((await earnAt(store, memberId, 1_000, [line(b, 1_000)])).id)).toEqual([[campaignId, 40]]);
    } finally {
      dataOf(await gql(SET_STATUS, { id: campaignId, s: 'ENDED' }, OPERATOR));
    }
  });

  it('needs its category count and window, and only those', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const bad = (fields: Record<string, unknown>) => gql(CREATE, { input: createInput(funder, fields) }, OPERATOR);
    const rule = { ruleKind: 'DISTINCT_CATEGORIES', bonusPoints: 10, distinctCategories: 3, windowDays: 14 };
    expect(errorCode(await bad({ ...rule, windowDays: undefined }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await bad({ ...rule, distinctCategories: undefined }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await bad({ ...rule, distinctCategories: 1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await bad({ ...rule, distinctPartners: 2 }))).toBe('BAD_USER_INPUT');
    expect(
      errorCode(await bad({ ruleKind: 'DISTINCT_PARTNERS', bonusPoints: 10, distinctCategories: 2, windowDays: 7, coalitionWide: true })),
    ).toBe('BAD_USER_INPUT');
    expect(dataOf(await bad(rule)).createCampaign.status).toBe('DRAFT');
  });
});

describe('targeting by what the funder knows', () => {
  const OFFER_IDS = `query($id: ID!) { member(id: $id) { offers { campaign { id } } } }`;
  const offerIds = async (memberId: string) =>
    dataOf(await gql(OFFER_IDS, { id: memberId }, OPERATOR)).member.offers.map((o: any) => o.campaign.id as string);

  it('newCustomersOnly: members with no earlier purchase at the funder; the offer goes once they bought there', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const campaignId = await activeCampaign(funder, { ruleKind: 'SPEND_MULTIPLIER', extraPermille: 500, newCustomersOnly: true });
    const memberId = await ops.enrollAt(funder);
    expect(await offerIds(memberId)).toContain(campaignId);
    expect(await bonusesOf((await earnAt(funder, memberId, 4_000)).id)).toEqual([[campaignId, 20]]);
    expect(await offerIds(memberId)).not.toContain(campaignId);
    expect(await bonusesOf((await earnAt(funder, memberId, 4_000)).id)).toEqual([]);
  });

  it('shopperCategoryCodes: an earlier purchase in the category at the funder, not at other partners', async () => {
    const [funder, store] = (await Promise.all([0, 1].map(() => ops.newPartner(9000, 7000)))) as [string, string];
    const category = ownCategory();
    const campaignId = await activeCampaign(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 15, shopperCategoryCodes: [category] });
    const memberId = await ops.enrollAt(funder);
    // The category bought elsewhere is not the funder's to see.
    await earnAt(store, memberId, 1_000, [line(category, 1_000)]);
    expect(await offerIds(memberId)).not.toContain(campaignId);
    // The purchase that makes the member a shopper of the category gets nothing; the next ones do.
    expect(await bonusesOf((await earnAt(funder, memberId, 1_000, [line(category, 1_000)])).id)).toEqual([]);
    expect(await offerIds(memberId)).toContain(campaignId);
    expect(await bonusesOf((await earnAt(funder, memberId, 1_000)).id)).toEqual([[campaignId, 15]]);
  });
});

describe('campaignSimulation', () => {
  const SIMULATE = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
    campaignSimulation(campaignId: $id, from: $from, to: $to) {
      bonusPoints membersReached purchasesBonused purchasesReplayed budgetExhausted estimatedCostMinor costCurrency issuePriceMicrosPerPoint
    }
  }`;
  const REPORT = `query($id: ID!) { campaign(id: $id) { report { grantedPoints membersReached bonusedPurchases budgetLeftPoints } } }`;

  it('estimates, with caps, budget and the distinct-partners rule, exactly what the campaign then grants on the same purchases', async () => {
    const [funder, storeA, storeB] = (await Promise.all([0, 1, 2].map(() => ops.newPartner(9000, 7000)))) as [string, string, string];
    const category = ownCategory();
    const input = createInput(funder, {
      ruleKind: 'DISTINCT_PARTNERS',
      distinctPartners: 2,
      windowDays: 7,
      bonusPoints: 200,
      coalitionWide: true,
      shopperCategoryCodes: [category],
      perMemberCapPoints: 300,
      budgetPoints: 900,
    });
    const { id: campaignId } = dataOf(await gql(CREATE, { input }, OPERATOR)).createCampaign;
    /** The same shopping, for five fresh members; the earn ids of each. */
    const shop = async () => {
      const earns: string[][] = [];
      // The first one's purchase at A is a pending one, confirmed later: it counts, and is bonused, when it posts.
      const memberId = await ops.enrollAt(funder);
      const shopper = (await earnAt(funder, memberId, 1_000, [line(category, 1_000)])).id;
      const pendingInput = { memberId, partnerId: storeA, purchaseAmountMinor: 1_000, currency: 'EUR', reference: 'stay' };
      const pending = dataOf(
        await gql(EARN, { input: { ...pendingInput, pendingUntil: nextYear(), idempotencyKey: randomUUID() } }, OPERATOR),
      ).earnPoints.id as string;
      const CONFIRM = `mutation($input: SettlePendingEarnInput!) { confirmPendingEarn(input: $input) { id } }`;
      dataOf(await gql(CONFIRM, { input: { earnId: pending, idempotencyKey: randomUUID() } }, OPERATOR));
      earns.push([shopper, pending]);
      for (const withCategory of [true, true, false, true]) {
        const memberId = await ops.enrollAt(funder);
        const mine: string[] = [];
        mine.push((await earnAt(funder, memberId, 1_000, withCategory ? [line(category, 1_000)] : undefined)).id);
        for (const store of [storeA, storeB, storeA]) mine.push((await earnAt(store, memberId, 1_000)).id);
        earns.push(mine);
      }
      return earns;
    };
    const from = new Date(Date.now() - 1000).toISOString();
    await shop();
    const to = new Date(Date.now() + 1000).toISOString();
    const simulated = dataOf(await gql(SIMULATE, { id: campaignId, from, to }, OPERATOR)).campaignSimulation;
    // The first member gets 200 as its stay posts; the next two shop in the category: 200 at A, then
    // 100 (their cap) at A again; the fourth never bought the category; the fifth gets the 100 left
    // of the budget.
    // 900 points at the funder's 9000 micros: 8.10 EUR.
    expect(simulated).toMatchObject({
      bonusPoints: 900,
      membersReached: 4,
      purchasesBonused: 6,
      budgetExhausted: true,
      estimatedCostMinor: '810',
      costCurrency: 'EUR',
      issuePriceMicrosPerPoint: 9000,
    });
    expect(simulated.purchasesReplayed).toBeGreaterThanOrEqual(18);

    dataOf(await gql(SET_STATUS, { id: campaignId, s: 'ACTIVE' }, OPERATOR));
    try {
      const earns = await shop();
      const granted = await Promise.all(earns.map(async (mine) => (await Promise.all(mine.map(bonusesOf))).flat().map(([, p]) => p)));
      expect(granted).toEqual([[200], [200, 100], [200, 100], [], [100]]);
      expect(dataOf(await gql(REPORT, { id: campaignId }, OPERATOR)).campaign.report).toEqual({
        grantedPoints: simulated.bonusPoints,
        membersReached: simulated.membersReached,
        bonusedPurchases: simulated.purchasesBonused,
        budgetLeftPoints: 0,
      });
    } finally {
      dataOf(await gql(SET_STATUS, { id: campaignId, s: 'ENDED' }, OPERATOR));
    }
  });

  it('replays DISTINCT_CATEGORIES, and its cost is what settlement then bills the funder, to the cent', async () => {
    // 1150 micros a point: 300 bonus points cost 345,000 micros, 34.5 cents: 34, half to even (35 half up).
    const funder = await ops.newPartner(1150, 7000);
    const store = await ops.newPartner(9000, 7000);
    const [a, b, c] = Array.from({ length: 3 }, ownCategory) as [string, string, string];
    const input = createInput(funder, { ruleKind: 'DISTINCT_CATEGORIES', distinctCategories: 3, windowDays: 14, bonusPoints: 150 });
    const { id: campaignId } = dataOf(await gql(CREATE, { input }, OPERATOR)).createCampaign;
    /** The same shopping, for two fresh members; the earn ids of each. */
    const shop = async () => {
      const buy = async (partnerId: string, memberId: string, categories: string[]) =>
        (
          await earnAt(
            partnerId,
            memberId,
            1_000 * categories.length,
            categories.map((category) => line(category, 1_000)),
          )
        ).id;
      const completes = await ops.enrollAt(funder);
      const first: string[] = [];
      for (const categories of [[a], [b], [c], [a, b, c], [a]]) first.push(await buy(funder, completes, categories));
      // B and C at the store: not the funder's to count.
      const elsewhere = await ops.enrollAt(funder);
      const second = [await buy(funder, elsewhere, [a]), await buy(store, elsewhere, [b, c]), await buy(funder, elsewhere, [a])];
      return [first, second];
    };
    const from = new Date(Date.now() - 1000).toISOString();
    await shop();
    const to = new Date(Date.now() + 1000).toISOString();
    const simulated = dataOf(await gql(SIMULATE, { id: campaignId, from, to }, OPERATOR)).campaignSimulation;
    expect(simulated).toEqual({
      bonusPoints: 300,
      membersReached: 1,
      purchasesBonused: 2,
      purchasesReplayed: 7,
      budgetExhausted: false,
      estimatedCostMinor: '34',
      costCurrency: 'EUR',
      issuePriceMicrosPerPoint: 1150,
    });

    dataOf(await gql(SET_STATUS, { id: campaignId, s: 'ACTIVE' }, OPERATOR));
    try {
      const earns = await shop();
      const granted = await Promise.all(
        earns.map(async (mine) => (await Promise.all(mine.map(bonusesOf))).map((b) => b.map(([, p]) => p))),
      );
      expect(granted).toEqual([
        [[], [], [150], [150], []],
        [[], [], []],
      ]);
      expect(dataOf(await gql(REPORT, { id: campaignId }, OPERATOR)).campaign.report).toMatchObject({
        grantedPoints: simulated.bonusPoints,
        membersReached: simulated.membersReached,
        bonusedPurchases: simulated.purchasesBonused,
      });
      const billed = { pointsBonus: '300', bonusAmountMinor: simulated.estimatedCostMinor };
      expect(await ops.positionReaches(funder, billed)).toEqual(billed);
    } finally {
      dataOf(await gql(SET_STATUS, { id: campaignId, s: 'ENDED' }, OPERATOR));
    }
  });

  it('is for the funder and the operator, over at most 92 days', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const { id } = dataOf(
      await gql(CREATE, { input: createInput(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 5 }) }, OPERATOR),
    ).createCampaign;
    const period = { id, from: daysAgo(7), to: new Date().toISOString() };
    expect(errorCode(await gql(SIMULATE, period, partner(1).credential))).toBe('FORBIDDEN');
    expect(dataOf(await gql(SIMULATE, period, OPERATOR)).campaignSimulation).toMatchObject({
      bonusPoints: 0,
      purchasesReplayed: 0,
      estimatedCostMinor: '0',
    });
    expect(errorCode(await gql(SIMULATE, { ...period, from: daysAgo(93) }, OPERATOR))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(SIMULATE, { ...period, to: daysAgo(8) }, OPERATOR))).toBe('BAD_USER_INPUT');
  });
});

describe('incremental purchases in the report', () => {
  it("counts the reached members' purchases at the funder during the campaign against the same length of time before it", async () => {
    const funder = await ops.newPartner(9000, 7000);
    const reached = await ops.enrollAt(funder);
    const notReached = await ops.enrollAt(funder);
    // Before the campaign existed: two purchases 12 and 15 days ago, one 25 days ago (before the
    // 10-day baseline), and one of a member the campaign never reaches.
    for (const days of [12, 15, 25]) await backdate((await earnAt(funder, reached, 1_000)).id, days);
    await backdate((await earnAt(funder, notReached, 1_000)).id, 12);
    const campaignId = await activeCampaign(funder, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 5, startsAt: daysAgo(10) });
    for (let i = 0; i < 3; i += 1) await earnAt(funder, reached, 1_000);
    const REPORT = `query($id: ID!) { campaign(id: $id) { report {
      membersReached reachedMembersPurchasesDuring reachedMembersPurchasesBefore incrementalPurchases } } }`;
    expect(dataOf(await gql(REPORT, { id: campaignId }, OPERATOR)).campaign.report).toEqual({
      membersReached: 1,
      reachedMembersPurchasesDuring: 3,
      reachedMembersPurchasesBefore: 2,
      incrementalPurchases: 1,
    });
  });
});

describe('bonuses on pending earns', () => {
  const CONFIRM = `mutation($input: SettlePendingEarnInput!) { confirmPendingEarn(input: $input) { id kind points } }`;
  const VOID = `mutation($input: SettlePendingEarnInput!) { voidPendingEarn(input: $input) { id kind } }`;
  const earnPending = async (partnerId: string, memberId: string, purchaseAmountMinor: number) => {
    const input = {
      memberId,
      partnerId,
      purchaseAmountMinor,
      currency: 'EUR',
      reference: 'stay',
      pendingUntil: nextYear(),
      idempotencyKey: randomUUID(),
    };
    return dataOf(await gql(EARN, { input }, OPERATOR)).earnPoints as { id: string; points: number };
  };

  it('are granted when the pending earn posts, once, and never for a voided one; a first purchase is the first one made', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const first = await activeCampaign(funder, { ruleKind: 'FIRST_PURCHASE', bonusPoints: 500 });
    const multiplier = await activeCampaign(funder, { ruleKind: 'SPEND_MULTIPLIER', extraPermille: 1000 });
    const memberId = await ops.enrollAt(funder);
    const stay = await earnPending(funder, memberId, 30_000);
    expect(await bonusesOf(stay.id)).toEqual([]);
    // Bought at the bar during the stay: not the first purchase, the stay was.
    const bar = await earnAt(funder, memberId, 2_000);
    expect(await bonusesOf(bar.id)).toEqual([[multiplier, 20]]);
    const confirm = { earnId: stay.id, idempotencyKey: randomUUID() };
    dataOf(await gql(CONFIRM, { input: confirm }, OPERATOR));
    const byId = (pairs: [string, number][]) => Object.fromEntries(pairs);
    expect(byId(await bonusesOf(stay.id))).toEqual({ [first]: 500, [multiplier]: 300 });
    // Confirmed again (a retry, or another key): the earn posted once, and so did its bonuses.
    dataOf(await gql(CONFIRM, { input: confirm }, OPERATOR));
    dataOf(await gql(CONFIRM, { input: { ...confirm, idempotencyKey: randomUUID() } }, OPERATOR));
    expect(byId(await bonusesOf(stay.id))).toEqual({ [first]: 500, [multiplier]: 300 });
    expect(await availablePoints(memberId)).toBe(20 + 20 + 300 + 500 + 300);
    const cancelled = await earnPending(funder, memberId, 10_000);
    dataOf(await gql(VOID, { input: { earnId: cancelled.id, idempotencyKey: randomUUID() } }, OPERATOR));
    expect(await bonusesOf(cancelled.id)).toEqual([]);
  });
});
