import { dataOf, gatewayUrl, gql, OPERATOR, partner } from '../support/helpers';
import { CREATE_CAMPAIGN, SET_CAMPAIGN_STATUS, settlementOperations } from '../support/settlement';
import { subscribe, wsClient, type Subscription } from '../support/subscriptionClient';

/**
 * The funder's subscription to its campaign's events (gateway/subscriptions/campaignChanged.ts),
 * over graphql-ws through the gateway: the whole life of a campaign in order with no gap, a resume
 * after a disconnection, another partner refused exactly as `campaign(id)` refuses it, and grants
 * of racing earns each delivered once. Every campaign has a funder of its own (the stack is shared).
 */

const ops = settlementOperations(gql);
const CREATE_KEY = `mutation($p: ID!) { createPartnerApiKey(partnerId: $p, label: "campaigns", scopes: [LEDGER_WRITE]) { secret } }`;
const WATCH = `subscription Watch($c: ID!, $after: Int) {
  campaignChanged(campaignId: $c, afterSequence: $after) {
    sequence type points status budgetLeftPoints occurredAt
    campaign { id name }
  }
}`;

interface Event {
  sequence: number;
  type: string;
  points: number | null;
  status: string;
  budgetLeftPoints: number;
  occurredAt: string;
  campaign: { id: string; name: string };
}

/** A funder of its own, and its API key (new partners have no demo credential). */
async function newFunder(): Promise<{ id: string; key: string }> {
  const id = await ops.newPartner(9000, 7000);
  return { id, key: dataOf(await gql(CREATE_KEY, { p: id }, OPERATOR)).createPartnerApiKey.secret };
}

/** The next `count` events of a subscription; fails on an error message. */
async function nextEvents(subscription: Subscription<{ campaignChanged: Event }>, count: number): Promise<Event[]> {
  const events: Event[] = [];
  for (let i = 0; i < count; i += 1) {
    const message = await subscription.next();
    expect(message.errors).toBeUndefined();
    events.push(message.data!.campaignChanged);
  }
  return events;
}

const setStatus = async (campaignId: string, status: string, credential: string) =>
  dataOf(await gql(SET_CAMPAIGN_STATUS, { id: campaignId, s: status }, credential)).setCampaignStatus;

describe('campaignChanged over graphql-ws', () => {
  it('gives the funder activation, grants, the low budget, a refund, the pause and the end, in order, with no gap, resumed after a disconnection', async () => {
    const funder = await newFunder();
    // 10 points a purchase from a budget of 25: two full bonuses, one cut to the 5 left, which is
    // under a tenth of the budget.
    const input = ops.campaignInput(funder.id, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 10, budgetPoints: 25, name: 'Watched' });
    const campaignId = dataOf(await gql(CREATE_CAMPAIGN, { input }, funder.key)).createCampaign.id as string;
    const client = wsClient(gatewayUrl(), funder.key);
    try {
      const first = subscribe<{ campaignChanged: Event }>(client, WATCH, { c: campaignId, after: 0 });
      await setStatus(campaignId, 'ACTIVE', funder.key);
      const memberId = await ops.enrollAt(funder.id);
      const earns = [];
      for (let i = 0; i < 3; i += 1) earns.push(await ops.earnAt(funder.id, memberId, 1_000));
      const live = await nextEvents(first, 5);
      first.dispose();

      // Offline: a refund of the first purchase (its whole bonus back to the budget), a pause, the end.
      expect(await ops.reverse(earns[0]!.id)).toEqual({ pointsReversed: 20, pointsClawedBack: 0 });
      await setStatus(campaignId, 'PAUSED', funder.key);
      await setStatus(campaignId, 'ENDED', funder.key);
      const resumed = subscribe<{ campaignChanged: Event }>(client, WATCH, { c: campaignId, after: live.at(-1)!.sequence });
      const events = [...live, ...(await nextEvents(resumed, 3))];
      resumed.dispose();

      expect(
        events.map(({ sequence, type, points, status, budgetLeftPoints }) => [sequence, type, points, status, budgetLeftPoints]),
      ).toEqual([
        [1, 'ACTIVATED', null, 'ACTIVE', 25],
        [2, 'BONUS_GRANTED', 10, 'ACTIVE', 15],
        [3, 'BONUS_GRANTED', 10, 'ACTIVE', 5],
        [4, 'BONUS_GRANTED', 5, 'ACTIVE', 0],
        [5, 'BUDGET_LOW', null, 'ACTIVE', 0],
        [6, 'BONUS_REVERSED', 10, 'ACTIVE', 10],
        [7, 'PAUSED', null, 'PAUSED', 10],
        [8, 'ENDED', null, 'ENDED', 10],
      ]);
      expect(events.every((e) => e.campaign.id === campaignId && e.campaign.name === 'Watched')).toBe(true);
      const times = events.map((e) => Date.parse(e.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      // The same events, read as a page, for a client catching up without a socket.
      const page = dataOf(
        await gql(
          'query($c: ID!) { campaignEvents(campaignId: $c, afterSequence: 0) { sequence type } campaign(id: $c) { lastEventSequence } }',
          { c: campaignId },
          funder.key,
        ),
      );
      expect(page.campaignEvents.map((e: { type: string }) => e.type)).toEqual(events.map((e) => e.type));
      expect(page.campaign.lastEventSequence).toBe(8);
      // A page holds at most 100 events; a sequence past the last is no event.
      const tooMany = await gql(
        'query($c: ID!) { campaignEvents(campaignId: $c, afterSequence: 0, first: 101) { sequence } }',
        { c: campaignId },
        funder.key,
      );
      expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const past = await gql('query($c: ID!) { campaignEvent(campaignId: $c, sequence: 9) { type } }', { c: campaignId }, funder.key);
      expect(past.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      await client.dispose();
    }
  });

  it("refuses another partner with the error campaign(id) gives it, and keeps the connection for the partner's other subscriptions", async () => {
    const funder = await newFunder();
    const campaignId = await ops.activeCampaign(funder.id, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 10 });
    const other = partner(1).credential;
    const asQuery = await gql('query($c: ID!) { campaign(id: $c) { id } }', { c: campaignId }, other);
    expect(asQuery.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const client = wsClient(gatewayUrl(), other);
    try {
      const refused = subscribe<{ campaignChanged: Event }>(client, WATCH, { c: campaignId, after: 0 });
      const answer = await refused.next();
      expect(answer.data).toBeUndefined();
      expect(answer.errors?.map((e) => [e.message, e.extensions?.code])).toEqual(
        asQuery.errors?.map((e) => [e.message, e.extensions?.code]),
      );
      // Nor may it read the events or the stream's position another way.
      const events = await gql(
        'query($c: ID!) { campaignEvents(campaignId: $c, afterSequence: 0) { sequence } }',
        { c: campaignId },
        other,
      );
      expect(events.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      // The connection stays usable: the same socket serves a query.
      const me = subscribe(client, '{ me { id } }');
      expect(await me.next()).toEqual({ data: { me: null } });
    } finally {
      await client.dispose();
    }
    // A member sees the campaign among its offers, but not how far its stream is.
    const offers = await gql('{ me { offers { campaign { id lastEventSequence } } } }', {}, 'demo-member-ava');
    expect(offers.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('delivers the grants of racing earns each exactly once, numbered with no gap, to the funder and the operator', async () => {
    const funder = await newFunder();
    const campaignId = await ops.activeCampaign(funder.id, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 7, budgetPoints: 1_000 });
    const members = await Promise.all(Array.from({ length: 12 }, () => ops.enrollAt(funder.id)));
    const funderClient = wsClient(gatewayUrl(), funder.key);
    const operatorClient = wsClient(gatewayUrl(), OPERATOR);
    try {
      // After the activation (sequence 1): the grants come live.
      const watchers = [funderClient, operatorClient].map((client) =>
        subscribe<{ campaignChanged: Event }>(client, WATCH, { c: campaignId, after: 1 }),
      );
      await Promise.all(members.map((memberId) => ops.earnAt(funder.id, memberId, 1_000 + Math.floor(Math.random() * 1_000))));
      // The end comes after every grant: a duplicate would show before it, a gap in the numbers.
      await setStatus(campaignId, 'ENDED', OPERATOR);
      for (const watcher of watchers) {
        const events = await nextEvents(watcher, 13);
        watcher.dispose();
        expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: 13 }, (_, i) => i + 2));
        expect(events.slice(0, 12).every((e) => e.type === 'BONUS_GRANTED' && e.points === 7)).toBe(true);
        // Each grant saw the budget its own debit left: 7 less each time, in sequence order.
        expect(events.slice(0, 12).map((e) => e.budgetLeftPoints)).toEqual(Array.from({ length: 12 }, (_, i) => 1_000 - 7 * (i + 1)));
        expect(events[12]).toMatchObject({ type: 'ENDED', status: 'ENDED', budgetLeftPoints: 1_000 - 84 });
      }
    } finally {
      await funderClient.dispose();
      await operatorClient.dispose();
    }
  });

  it('refuses an afterSequence below 0', async () => {
    const funder = await newFunder();
    const campaignId = await ops.activeCampaign(funder.id, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 1 });
    const client = wsClient(gatewayUrl(), funder.key);
    try {
      const refused = subscribe(client, WATCH, { c: campaignId, after: -1 });
      expect((await refused.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    } finally {
      await client.dispose();
    }
  });
});
