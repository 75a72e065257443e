import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { eventBusFromEnvironment, type EventBus } from '../../shared/eventBus';
import { KeptCampaignReach } from '../../subgraphs/members/campaignReach';
import { MEMBERS_ENTITIES } from '../../subgraphs/members/entities';
import { closeDatabase, database, dataOf, eventually, gql, OPERATOR } from '../support/helpers';
import { CREATE_CAMPAIGN, SET_CAMPAIGN_STATUS, settlementOperations } from '../support/settlement';

/**
 * Members keeps which partners' purchases an ACTIVE campaign may reach, and an earn elsewhere skips
 * the campaigns' read (subgraphs/members/campaignReach.ts). Nothing kept may cost a bonus: an
 * activation applies to the very next earn at the replica that made it, and reaches the other
 * replicas by the bus; a pause or an end applies to the very next earn, as before. Partners of
 * their own on the shared stack, each earn made first with the reach kept (earns before the change).
 */

afterAll(closeDatabase);

const ops = settlementOperations(gql);
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id points } }`;

async function setStatus(campaignId: string, status: string): Promise<void> {
  expect(dataOf(await gql(SET_CAMPAIGN_STATUS, { id: campaignId, s: status }, OPERATOR)).setCampaignStatus.status).toBe(status);
}

/** A DRAFT campaign of the funder's granting 20 points on every purchase (coalition-wide if asked). */
async function draftCampaign(funderId: string, coalitionWide = false): Promise<string> {
  const input = ops.campaignInput(funderId, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 20, coalitionWide });
  return dataOf(await gql(CREATE_CAMPAIGN, { input }, OPERATOR)).createCampaign.id as string;
}

/** The bonus points a 10-euro earn at the partner got (0 when none). */
async function bonusOfAnEarn(partnerId: string, memberId: string): Promise<number> {
  const input = { memberId, partnerId, purchaseAmountMinor: 1000, currency: 'EUR', reference: 'receipt', idempotencyKey: randomUUID() };
  const { id } = dataOf(await gql(EARN, { input }, OPERATOR)).earnPoints as { id: string };
  const { rows } = await database().query(
    `SELECT coalesce(sum(t.points), 0)::int AS points FROM members.campaign_grants g JOIN members.transfers t ON t.id = g.transfer_id
      WHERE g.earn_id = $1`,
    [id],
  );
  return rows[0].points as number;
}

describe('campaign reach kept by members', () => {
  it('grants from the very next earn after an activation, and none from the very next after a pause or an end', async () => {
    const funder = await ops.newPartner(9000, 7000);
    const memberId = await ops.enrollAt(funder);
    expect(await bonusOfAnEarn(funder, memberId)).toBe(0);
    const campaignId = await draftCampaign(funder);
    expect(await bonusOfAnEarn(funder, memberId)).toBe(0);
    await setStatus(campaignId, 'ACTIVE');
    expect(await bonusOfAnEarn(funder, memberId)).toBe(20);
    await setStatus(campaignId, 'PAUSED');
    expect(await bonusOfAnEarn(funder, memberId)).toBe(0);
    await setStatus(campaignId, 'ACTIVE');
    expect(await bonusOfAnEarn(funder, memberId)).toBe(20);
    await setStatus(campaignId, 'ENDED');
    expect(await bonusOfAnEarn(funder, memberId)).toBe(0);
  });

  it("reaches every partner's purchases from a coalition-wide campaign's activation", async () => {
    const funder = await ops.newPartner(9000, 7000);
    const elsewhere = await ops.newPartner(9000, 7000);
    const memberId = await ops.enrollAt(elsewhere);
    const campaignId = await draftCampaign(funder, true);
    expect(await bonusOfAnEarn(elsewhere, memberId)).toBe(0);
    await setStatus(campaignId, 'ACTIVE');
    expect(await bonusOfAnEarn(elsewhere, memberId)).toBe(20);
    await setStatus(campaignId, 'ENDED');
  });

  describe('across replicas', () => {
    let dataSource: DataSource;
    const buses: EventBus[] = [];
    const replicas: KeptCampaignReach[] = [];

    beforeAll(async () => {
      dataSource = new DataSource({
        type: 'postgres',
        url: process.env.TEST_DATABASE_URL,
        entities: MEMBERS_ENTITIES,
        extra: { max: 2, options: '-c search_path=members' },
      });
      await dataSource.initialize();
      for (let i = 0; i < 2; i++) {
        const bus = eventBusFromEnvironment(process.env.TEST_DATABASE_URL!);
        buses.push(bus);
        const replica = new KeptCampaignReach(dataSource, bus);
        await replica.listen();
        replicas.push(replica);
      }
    });
    afterAll(async () => {
      for (const replica of replicas) await replica.stop();
      for (const bus of buses) await bus.close();
      await dataSource?.destroy();
    });

    it('keeps the reach until another replica announces an activation, then reads it again', async () => {
      const [here, there] = replicas as [KeptCampaignReach, KeptCampaignReach];
      const funder = await ops.newPartner(9000, 7000);
      const campaignId = await draftCampaign(funder);
      expect(await there.mayReach(funder)).toBe(false);
      // Activated without an announcement (in the database only): what `there` keeps stands...
      await database().query(`UPDATE members.campaigns SET status = 'ACTIVE' WHERE id = $1`, [campaignId]);
      expect(await there.mayReach(funder)).toBe(false);
      // ...until a replica announces an activation, as setCampaignStatus has each commit of one do.
      await here.activated();
      expect(
        await eventually(
          () => there.mayReach(funder),
          (reached) => reached,
          5_000,
        ),
      ).toBe(true);
      await setStatus(campaignId, 'ENDED');
    });
  });
});
