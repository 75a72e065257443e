import { openSubgraphDatabase } from '../../shared/database';
import { SubgraphClient } from '../../shared/internalClient';
import { startSubgraphServer, type RunningServer } from '../../shared/subgraphServer';
import { subgraphSdl } from '../../shared/supergraph';
import type { PointsLedger, RewardsDeps } from './catalog';
import type { RewardsContext } from './context';
import { REWARDS_ENTITIES } from './entities';
import { createRewardsLoaders } from './loaders';
import { Catalog1764000000000 } from './migrations/1764000000000-Catalog';
import { resolvers } from './resolvers';
import { seedDemoCatalog } from './seed';

export interface RewardsConfig {
  databaseUrl: string;
  host: string;
  port: number;
  secret: string;
  poolMax: number;
  seedDemo: boolean;
  membersUrl: string;
}

/** The members ledger, reached over its internal two-phase debit mutations. */
function membersLedger(client: SubgraphClient): PointsLedger {
  return {
    async reserve(input) {
      const data = await client.request<{ reservePoints: { id: string } }>(
        `mutation Reserve($input: ReservePointsInput!) { reservePoints(input: $input) { id } }`,
        { input },
      );
      return data.reservePoints.id;
    },
    async post(reservationId) {
      const data = await client.request<{ postReservation: { redeemTransferId: string } }>(
        `mutation Post($id: ID!) { postReservation(reservationId: $id) { redeemTransferId } }`,
        { id: reservationId },
      );
      return data.postReservation.redeemTransferId;
    },
  };
}

export async function startRewardsSubgraph(config: RewardsConfig): Promise<RunningServer> {
  const dataSource = await openSubgraphDatabase({
    url: config.databaseUrl,
    schema: 'rewards',
    entities: REWARDS_ENTITIES,
    migrations: [Catalog1764000000000],
    poolMax: config.poolMax,
    applicationName: 'rewards',
  });
  if (config.seedDemo) await seedDemoCatalog(dataSource);
  const rewards: RewardsDeps = {
    dataSource,
    ledger: membersLedger(new SubgraphClient('members', config.membersUrl, 'rewards', config.secret)),
  };
  const server = await startSubgraphServer<RewardsContext>({
    name: 'rewards',
    sdl: subgraphSdl('rewards'),
    resolvers,
    host: config.host,
    port: config.port,
    secret: config.secret,
    createContext: (caller) => ({ caller, rewards, loaders: createRewardsLoaders(dataSource) }),
    isReady: async () => (await dataSource.query('SELECT 1')).length === 1,
  });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await dataSource.destroy();
    },
  };
}
