import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { eventBusFromEnvironment, type EventBus } from '../../shared/eventBus';
import { KeptCampaignReach } from '../../subgraphs/members/campaignReach';
import { closeDatabase, database, dataOf, eventually, gql, OPERATOR } from '../support/helpers';
import { CREATE_CAMPAIGN, SET_CAMPAIGN_STATUS, settlementOperations } from '../support/settlement';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * Members keeps which partners' purchases an ACTIVE campaign may reach, and an earn elsewhere skips
 * the campaigns' read (subgraphs/members/campaignReach.ts). Nothing kept may cost a bonus: an
 * activation applies to the very next earn at the replica that made it, and reaches the other
 * replicas by the bus; a pause or an end applies to the very next earn, as before. Through the
 * gateway: partners of their own on the shared stack, an earn made before each change (where other
 * tests' coalition-wide campaigns are ACTIVE, every partner is reached and these earns read the
 * campaigns: what is kept is then shown by the replicas below, on campaigns of their own).
 */

afterAll(closeDatabase);

const ops = settlementOperations(gql);
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id points } }`;

async function setStatus(campaignId: string, status: string): Promise<void> {
  expect(dataOf(await gql(SET_CAMPAIGN_STATUS, { id: campaignId, s: status }, OPERATOR)).setCampaignStatus.status).toBe(status);
}

/** A DRAFT campaign of the funder's granting 20 points on every purchase there. */
async function draftCampaign(funderId: string): Promise<string> {
  const input = ops.campaignInput(funderId, { ruleKind: 'PURCHASE_BONUS', bonusPoints: 20 });
  return dataOf(await gql(CREATE_CAMPAIGN, { input }, OPERATOR)).createCampaign.id as string;
}

/** The bonus points a 10-euro earn at the partner (with these lines) got (0 when none). */
async function bonusOfAnEarn(partnerId: string, memberId: string, lines?: unknown[]): Promise<number> {
  const input = {
    memberId,
    partnerId,
    purchaseAmountMinor: 1000,
    currency: 'EUR',
    reference: 'receipt',
    lines,
    idempotencyKey: randomUUID(),
  };
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
    // Only lines of this test's own product get its bonus: other tests' earns, at any partner, never do.
    const sku = `reach-${randomUUID()}`;
    const line = { sku, categoryCode: 'TEST', quantity: 1, unitPriceMinor: 1_000, lineAmountMinor: 1_000 };
    const input = ops.campaignInput(funder, { ruleKind: 'LINE_BONUS', bonusPoints: 20, skus: [sku], coalitionWide: true });
    const campaignId = dataOf(await gql(CREATE_CAMPAIGN, { input }, OPERATOR)).createCampaign.id as string;
    expect(await bonusOfAnEarn(elsewhere, memberId, [line])).toBe(0);
    await setStatus(campaignId, 'ACTIVE');
    expect(await bonusOfAnEarn(elsewhere, memberId, [line])).toBe(20);
    await setStatus(campaignId, 'ENDED');
  });

  describe('across replicas', () => {
    // Two replicas' KeptCampaignReach on campaigns of their own (a table like members.campaigns, in a
    // schema of the test's) and a bus of their own (NOTIFY on a database of the test's): the shared
    // stack's campaigns and announcements, other tests', never reach them.
    const schema = `reach_${randomUUID().slice(0, 8)}`;
    let busDatabase: TestDatabase;
    let dataSource: DataSource;
    const buses: EventBus[] = [];
    const replicas: KeptCampaignReach[] = [];

    beforeAll(async () => {
      await database().query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.campaigns (LIKE members.campaigns INCLUDING ALL)`);
      busDatabase = await createTestDatabase('reach');
      dataSource = new DataSource({
        type: 'postgres',
        url: process.env.TEST_DATABASE_URL,
        extra: { max: 2, options: `-c search_path=${schema}` },
      });
      await dataSource.initialize();
      for (let i = 0; i < 2; i++) {
        const bus = eventBusFromEnvironment(busDatabase.url, 'postgres');
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
      await busDatabase?.drop();
      await database().query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });

    it('keeps the reach until another replica announces an activation, then reads it again', async () => {
      const [here, there] = replicas as [KeptCampaignReach, KeptCampaignReach];
      const funder = await ops.newPartner(9000, 7000);
      const elsewhere = randomUUID();
      const campaignId = await draftCampaign(funder);
      await database().query(`INSERT INTO ${schema}.campaigns SELECT * FROM members.campaigns WHERE id = $1`, [campaignId]);
      expect(await there.mayReach(funder)).toBe(false);
      // Activated without an announcement: what `there` keeps stands...
      await database().query(`UPDATE ${schema}.campaigns SET status = 'ACTIVE' WHERE id = $1`, [campaignId]);
      expect(await there.mayReach(funder)).toBe(false);
      // ...until a replica announces an activation, as each commit of one in setCampaignStatus does.
      await here.activated();
      expect(
        await eventually(
          () => there.mayReach(funder),
          (reached) => reached,
          5_000,
        ),
      ).toBe(true);
      expect(await there.mayReach(elsewhere)).toBe(false);
      // A coalition-wide campaign reaches every partner.
      await database().query(`UPDATE ${schema}.campaigns SET coalition_wide = true WHERE id = $1`, [campaignId]);
      await here.activated();
      expect(
        await eventually(
          () => there.mayReach(elsewhere),
          (reached) => reached,
          5_000,
        ),
      ).toBe(true);
    });
  });
});
