import { openSubgraphDatabase } from '../../shared/database';
import { REWARD_EVENTS_CHANNEL, type EventBus } from '../../shared/eventBus';
import { SubgraphClient } from '../../shared/internalClient';
import { startRelay } from '../../shared/outbox';
import { startPeriodic } from '../../shared/periodic';
import { startSubgraphServer, type RunningServer } from '../../shared/subgraphServer';
import { subgraphSdl } from '../../shared/supergraph';
import type { MemberStandings } from './catalog';
import type { RewardsDeps } from './context';
import { recover, type PointsLedger } from './redemptions';
import type { RewardsContext } from './context';
import { REWARDS_ENTITIES } from './entities';
import { createRewardsLoaders } from './loaders';
import { Catalog1764000000000 } from './migrations/1764000000000-Catalog';
import { RewardsAuditLog1765000000001 } from './migrations/1765000000001-AuditLog';
import { RewardsCheckoutToken1768100000000 } from './migrations/1768100000000-CheckoutToken';
import { RewardsOutboxTraceparent1768200000000 } from './migrations/1768200000000-OutboxTraceparent';
import { RewardsPointsAndCash1768700000000 } from './migrations/1768700000000-PointsAndCash';
import { resolvers } from './resolvers';
import { seedDemoCatalog } from './seed';
import { createLogger } from '../../shared/logger';

const log = createLogger('redemption recovery');

export interface RewardsConfig {
  databaseUrl: string;
  host: string;
  port: number;
  secret: string;
  poolMax: number;
  seedDemo: boolean;
  membersUrl: string;
  bus: EventBus;
  /** How often unfinished redemptions are completed or compensated and vouchers expired. */
  recoveryIntervalMs: number;
  /** Recovery leaves younger redemptions to the request that is still running them. */
  recoveryMinAgeMs: number;
}

/** The members ledger, reached over its internal (@inaccessible) operations. */
function membersLedger(client: SubgraphClient): PointsLedger & MemberStandings {
  return {
    async reserve(input) {
      const data = await client.request<{ reservePoints: { id: string } }>(
        `mutation Reserve($input: ReservePointsInput!) { reservePoints(input: $input) { id } }`,
        { input },
      );
      return data.reservePoints.id;
    },
    async checkoutTokenForPin(input) {
      const data = await client.request<{ checkoutTokenForPin: string }>(
        `mutation Pin($memberId: ID!, $partnerId: ID!, $pin: String!) { checkoutTokenForPin(memberId: $memberId, partnerId: $partnerId, pin: $pin) }`,
        input,
      );
      return data.checkoutTokenForPin;
    },
    async resolveMember(reference, partnerId) {
      const data = await client.request<{ resolveMemberReference: string }>(
        `query Resolve($reference: MemberReferenceInput!, $partnerId: ID) { resolveMemberReference(reference: $reference, partnerId: $partnerId) }`,
        { reference, partnerId },
      );
      return data.resolveMemberReference;
    },
    async post(reservationId) {
      const data = await client.request<{ postReservation: { redeemTransferId: string } }>(
        `mutation Post($id: ID!) { postReservation(reservationId: $id) { redeemTransferId } }`,
        { id: reservationId },
      );
      return data.postReservation.redeemTransferId;
    },
    async refund(reservationId) {
      await client.request(`mutation Refund($id: ID!) { refundReservation(reservationId: $id) { id } }`, { id: reservationId });
    },
    async availablePoints(memberId) {
      const data = await client.request<{ memberStanding: { availablePoints: number } }>(
        `query Standing($id: ID!) { memberStanding(memberId: $id) { availablePoints } }`,
        { id: memberId },
      );
      return data.memberStanding.availablePoints;
    },
  };
}

export async function startRewardsSubgraph(config: RewardsConfig): Promise<RunningServer> {
  const dataSource = await openSubgraphDatabase({
    url: config.databaseUrl,
    schema: 'rewards',
    entities: REWARDS_ENTITIES,
    migrations: [
      Catalog1764000000000,
      RewardsAuditLog1765000000001,
      RewardsCheckoutToken1768100000000,
      RewardsOutboxTraceparent1768200000000,
      RewardsPointsAndCash1768700000000,
    ],
    poolMax: config.poolMax,
    applicationName: 'rewards',
  });
  if (config.seedDemo) await seedDemoCatalog(dataSource);
  const relay = startRelay(dataSource, config.bus, REWARD_EVENTS_CHANNEL, config.secret);
  const members = membersLedger(new SubgraphClient('members', config.membersUrl, 'rewards', config.secret));
  const rewards: RewardsDeps = { dataSource, ledger: members, standings: members, onEventsAppended: relay.nudge };
  const runRecovery = () =>
    recover(rewards, config.recoveryMinAgeMs).catch((error: Error) => log.error({ err: error }, 'redemption recovery failed'));
  // At start-up first: whatever a crash left half done is finished before new work piles up.
  await runRecovery();
  const recovery = startPeriodic('[rewards] recovery', config.recoveryIntervalMs, () => recover(rewards, config.recoveryMinAgeMs));
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
      // Requests in flight finish while the recovery run in progress does; then the relay's pass in
      // progress (an event it leaves unpublished is published by the next relay to run: the outbox
      // is the record); then the bus and the pool close.
      await Promise.all([server.stop(), recovery.stop()]);
      await relay.stop();
      await config.bus.close();
      await dataSource.destroy();
    },
  };
}
