import type { DataSource } from 'typeorm';
import { openSubgraphDatabase } from '../../shared/database';
import { LEDGER_EVENTS_CHANNEL, PARTNER_TERMS_CHANNEL, REWARD_EVENTS_CHANNEL, type EventBus } from '../../shared/eventBus';
import { remoteAuditSource } from '../../shared/audit';
import { SubgraphClient } from '../../shared/internalClient';
import { startSubgraphServer, type RunningServer } from '../../shared/subgraphServer';
import { subgraphSdl } from '../../shared/supergraph';
import type { SettlementContext, SettlementDeps } from './context';
import type { PeriodCalendar } from './periods';
import { SETTLEMENT_ENTITIES } from './entities';
import { startLedgerFeed } from './ledgerFeed';
import { createSettlementLoaders } from './loaders';
import { Settlement1764000000000 } from './migrations/1764000000000-Settlement';
import { EntryMembers1765000000000 } from './migrations/1765000000000-EntryMembers';
import { SettlementAuditLog1765000000001 } from './migrations/1765000000001-AuditLog';
import { EntriesByPartner1766000000000 } from './migrations/1766000000000-EntriesByPartner';
import { StatementLines1767000000000 } from './migrations/1767000000000-StatementLines';
import { OperatorAdjustments1767000000001 } from './migrations/1767000000001-OperatorAdjustments';
import { Webhooks1768400000000 } from './migrations/1768400000000-Webhooks';
import { EntryEffectiveAt1768700000000 } from './migrations/1768700000000-EntryEffectiveAt';
import { BonusLines1768720000000 } from './migrations/1768720000000-BonusLines';
import { resolvers } from './resolvers';
import { seedDemoPartners } from './seed';
import { startWebhookWorker } from './webhookDelivery';
import { startExpiryNotices, startWebhookFanOut, webhookOfLedgerEvent, webhookOfRewardEvent, type LedgerFeedEvent } from './webhookEvents';
import type { WebhookSettings } from './webhooks';

export interface SettlementConfig {
  databaseUrl: string;
  host: string;
  port: number;
  secret: string;
  poolMax: number;
  seedDemo: boolean;
  membersUrl: string;
  rewardsUrl: string;
  bus: EventBus;
  /** Settlement periods: their length (a month by default) and the time zone of their boundaries (UTC by default). */
  periodCalendar: PeriodCalendar;
  /** The fewest distinct members an analytics figure may describe (ANALYTICS_MIN_GROUP_SIZE). */
  analyticsMinGroupSize: number;
  /** Webhooks: limits, retries, target rules, the key of the stored secrets (WEBHOOK_*). */
  webhooks: WebhookSettings;
}

/** The settlement schema on `databaseUrl`, migrated: what the subgraph (and a test of its core) runs on. */
export function openSettlementDatabase(databaseUrl: string, poolMax: number): Promise<DataSource> {
  return openSubgraphDatabase({
    url: databaseUrl,
    schema: 'settlement',
    entities: SETTLEMENT_ENTITIES,
    migrations: [
      Settlement1764000000000,
      EntryMembers1765000000000,
      SettlementAuditLog1765000000001,
      EntriesByPartner1766000000000,
      StatementLines1767000000000,
      OperatorAdjustments1767000000001,
      Webhooks1768400000000,
      EntryEffectiveAt1768700000000,
      BonusLines1768720000000,
    ],
    poolMax,
    applicationName: 'settlement',
  });
}

export async function startSettlementSubgraph(config: SettlementConfig): Promise<RunningServer> {
  const dataSource = await openSettlementDatabase(config.databaseUrl, config.poolMax);
  if (config.seedDemo) await seedDemoPartners(dataSource);
  const members = new SubgraphClient('members', config.membersUrl, 'settlement', config.secret);
  const rewardsClient = new SubgraphClient('rewards', config.rewardsUrl, 'settlement', config.secret);
  // Webhooks: the worker sends what the fan-outs (the ledger's and rewards' feeds) and settlement's
  // own writes queue.
  const webhookWorker = startWebhookWorker(dataSource, config.webhooks);
  const webhookFanOuts = [
    startWebhookFanOut<LedgerFeedEvent>({
      dataSource,
      bus: config.bus,
      pollIntervalMs: 2000,
      onEnqueued: webhookWorker.nudge,
      source: {
        feed: 'webhooks:ledger',
        client: members,
        query: `query LedgerEvents($after: Long!, $first: Int!) {
          ledgerEvents(afterPosition: $after, first: $first) {
            position id type memberId memberSequence payload occurredAt memberEnrolledViaPartnerId
          }
        }`,
        field: 'ledgerEvents',
        channel: LEDGER_EVENTS_CHANNEL,
        map: webhookOfLedgerEvent,
      },
    }),
    startWebhookFanOut({
      dataSource,
      bus: config.bus,
      pollIntervalMs: 2000,
      onEnqueued: webhookWorker.nudge,
      source: {
        feed: 'webhooks:rewards',
        client: rewardsClient,
        query: `query RewardEvents($after: Long!, $first: Int!) {
          rewardEvents(afterPosition: $after, first: $first) { position id type memberId memberSequence payload occurredAt }
        }`,
        field: 'rewardEvents',
        channel: REWARD_EVENTS_CHANNEL,
        map: webhookOfRewardEvent,
      },
    }),
    startExpiryNotices({
      dataSource,
      members,
      noticeDays: config.webhooks.expiryNoticeDays,
      intervalMs: config.webhooks.expiryScanIntervalMs,
      onEnqueued: webhookWorker.nudge,
    }),
  ];
  const feed = startLedgerFeed({
    dataSource,
    members,
    bus: config.bus,
    channel: LEDGER_EVENTS_CHANNEL,
    periodCalendar: config.periodCalendar,
  });
  const settlement: SettlementDeps = {
    dataSource,
    periodCalendar: config.periodCalendar,
    catchUp: () => feed.catchUp(),
    async ledgerTotals(from, to, uptoPosition) {
      const data = await members.request<{ ledgerTotals: Awaited<ReturnType<SettlementDeps['ledgerTotals']>> }>(
        `query Totals($from: DateTime!, $to: DateTime!, $upto: Long!) {
          ledgerTotals(from: $from, to: $to, uptoPosition: $upto) { kind memberCredited points }
        }`,
        { from: from.toISOString(), to: to.toISOString(), upto: uptoPosition.toString() },
      );
      return data.ledgerTotals;
    },
    async ledgerFloat(uptoPosition, before) {
      const data = await members.request<{ ledgerFloat: Awaited<ReturnType<SettlementDeps['ledgerFloat']>> }>(
        `query Float($upto: Long!, $before: DateTime!) { ledgerFloat(uptoPosition: $upto, before: $before) { floatPoints clawbackDebtPoints } }`,
        { upto: uptoPosition.toString(), before: before.toISOString() },
      );
      return data.ledgerFloat;
    },
    auditSources: [remoteAuditSource(members, 'members'), remoteAuditSource(rewardsClient, 'rewards')],
    analyticsMinGroupSize: config.analyticsMinGroupSize,
    webhooks: config.webhooks,
    onWebhooksEnqueued: webhookWorker.nudge,
    onPartnerTermsChanged: (partnerId) => config.bus.publish(PARTNER_TERMS_CHANNEL, JSON.stringify({ partnerId })),
  };
  const server = await startSubgraphServer<SettlementContext>({
    name: 'settlement',
    sdl: subgraphSdl('settlement'),
    resolvers,
    host: config.host,
    port: config.port,
    secret: config.secret,
    createContext: (caller) => ({ caller, settlement, loaders: createSettlementLoaders(dataSource, config.periodCalendar) }),
    isReady: async () => (await dataSource.query('SELECT 1')).length === 1,
  });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await Promise.all([feed.stop(), ...webhookFanOuts.map((fanOut) => fanOut.stop())]);
      await webhookWorker.stop();
      await config.bus.close();
      await dataSource.destroy();
    },
  };
}
