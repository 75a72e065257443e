import { openSubgraphDatabase } from '../../shared/database';
import { LEDGER_EVENTS_CHANNEL, type EventBus } from '../../shared/eventBus';
import { SubgraphClient } from '../../shared/internalClient';
import { startRelay } from '../../shared/outbox';
import { startPeriodic } from '../../shared/periodic';
import { startSubgraphServer, type RunningServer } from '../../shared/subgraphServer';
import { subgraphSdl } from '../../shared/supergraph';
import { checkCheckoutConfig, type CheckoutConfig } from './checkout';
import { checkLookupConfig, type LookupConfig } from './identifiers';
import { checkPinConfig, type PinConfig } from './pins';
import type { MembersContext } from './context';
import { MEMBERS_ENTITIES } from './entities';
import { type LedgerConfig, type LedgerDeps } from './ledger';
import { askSettlement, KeptPartnerTerms } from './partnerTerms';
import { KeptCampaignReach } from './campaignReach';
import { runMaintenance } from './maintenance';
import { createMembersLoaders } from './loaders';
import { Ledger1764000000000 } from './migrations/1764000000000-Ledger';
import { MembersAuditLog1765000000001 } from './migrations/1765000000001-AuditLog';
import { PointOfSale1768100000000 } from './migrations/1768100000000-PointOfSale';
import { BurnCashParts1768500000001 } from './migrations/1768500000001-BurnCashParts';
import { PurchaseClaims1768500000000 } from './migrations/1768500000000-PurchaseClaims';
import { BasketLines1768100000001 } from './migrations/1768100000001-BasketLines';
import { MembersOutboxTraceparent1768200000000 } from './migrations/1768200000000-OutboxTraceparent';
import { Campaigns1768600000000 } from './migrations/1768600000000-Campaigns';
import { RecordedPurchases1768700000000 } from './migrations/1768700000000-RecordedPurchases';
import { PinsAndLookupBudgets1768710000000 } from './migrations/1768710000000-PinsAndLookupBudgets';
import { CampaignEvents1768720000000 } from './migrations/1768720000000-CampaignEvents';
import { CampaignTargeting1768730000000 } from './migrations/1768730000000-CampaignTargeting';
import { IssuanceShards1768740000000 } from './migrations/1768740000000-IssuanceShards';
import { DistinctCategories1768750000000 } from './migrations/1768750000000-DistinctCategories';
import { resolvers } from './resolvers';
import { seedDemoMembers } from './seed';

export interface MembersConfig {
  databaseUrl: string;
  host: string;
  port: number;
  secret: string;
  poolMax: number;
  seedDemo: boolean;
  settlementUrl: string;
  bus: EventBus;
  ledger: LedgerConfig;
  checkout: CheckoutConfig;
  pins: PinConfig;
  lookups: LookupConfig;
  /** How often the ledger expires due lots, posts ended holds and releases stale reservations. */
  maintenanceIntervalMs: number;
}

export async function startMembersSubgraph(config: MembersConfig): Promise<RunningServer> {
  const dataSource = await openSubgraphDatabase({
    url: config.databaseUrl,
    schema: 'members',
    entities: MEMBERS_ENTITIES,
    migrations: [
      Ledger1764000000000,
      MembersAuditLog1765000000001,
      PointOfSale1768100000000,
      BasketLines1768100000001,
      MembersOutboxTraceparent1768200000000,
      PurchaseClaims1768500000000,
      BurnCashParts1768500000001,
      Campaigns1768600000000,
      RecordedPurchases1768700000000,
      PinsAndLookupBudgets1768710000000,
      CampaignEvents1768720000000,
      CampaignTargeting1768730000000,
      IssuanceShards1768740000000,
      DistinctCategories1768750000000,
    ],
    poolMax: config.poolMax,
    applicationName: 'members',
  });
  if (config.seedDemo) await seedDemoMembers(dataSource);
  const relay = startRelay(dataSource, config.bus, LEDGER_EVENTS_CHANNEL, config.secret);
  const partners = new KeptPartnerTerms(askSettlement(new SubgraphClient('settlement', config.settlementUrl, 'members', config.secret)));
  await partners.listen(config.bus);
  const campaignReach = new KeptCampaignReach(dataSource, config.bus);
  await campaignReach.listen();
  const ledger: LedgerDeps = {
    dataSource,
    partners,
    config: config.ledger,
    checkout: checkCheckoutConfig(config.checkout),
    pins: checkPinConfig(config.pins),
    lookups: checkLookupConfig(config.lookups),
    onEventsAppended: relay.nudge,
    publishEvents: relay.flush,
    campaignReach,
  };
  const maintenance = startPeriodic('[members] ledger maintenance', config.maintenanceIntervalMs, () =>
    runMaintenance(ledger, { kind: 'service', service: 'ledger-maintenance' }),
  );
  const server = await startSubgraphServer<MembersContext>({
    name: 'members',
    sdl: subgraphSdl('members'),
    resolvers,
    host: config.host,
    port: config.port,
    secret: config.secret,
    createContext: (caller) => ({ caller, ledger, loaders: createMembersLoaders(dataSource), pseudonymSecret: config.secret }),
    isReady: async () => (await dataSource.query('SELECT 1')).length === 1,
  });
  return {
    url: server.url,
    async stop() {
      // Requests in flight finish while the maintenance run in progress does; then the relay's pass in
      // progress (an event it leaves unpublished is published by the next relay to run: the outbox
      // is the record); then the bus and the pool close.
      await Promise.all([server.stop(), maintenance.stop()]);
      await relay.stop();
      await partners.stop();
      await campaignReach.stop();
      await config.bus.close();
      await dataSource.destroy();
    },
  };
}
