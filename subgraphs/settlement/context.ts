import type { DataSource } from 'typeorm';
import type { AuditSource } from '../../shared/audit';
import type { Caller } from '../../shared/identity';
import type { SettlementLoaders } from './loaders';
import type { PeriodCalendar } from './periods';
import type { WebhookSettings } from './webhooks';

/** What the settlement core needs besides its database. */
export interface SettlementDeps {
  dataSource: DataSource;
  /** The settlement period calendar (SETTLEMENT_PERIOD, SETTLEMENT_TIME_ZONE). */
  periodCalendar: PeriodCalendar;
  /** Counts every ledger event published so far (before a close or a reconciliation). */
  catchUp(): Promise<void>;
  /** The ledger's totals per transfer kind and direction for events in [from, to) published up to a position. */
  ledgerTotals(from: Date, to: Date, uptoPosition: bigint): Promise<{ kind: string; memberCredited: boolean; points: string }[]>;
  /** The points float by the ledger's accounts, as of the events before `before` published up to a position. */
  ledgerFloat(uptoPosition: bigint, before: Date): Promise<{ floatPoints: string; clawbackDebtPoints: string }>;
  /** The other subgraphs' audit logs, merged into `auditLog`. */
  auditSources: AuditSource[];
  /** The fewest distinct members an analytics figure may describe. */
  analyticsMinGroupSize: number;
  /** Webhook limits, retry schedule, target rules and the key of the stored secrets. */
  webhooks: WebhookSettings;
  /** Wakes the webhook worker after a commit that queued deliveries. */
  onWebhooksEnqueued(): void;
  /**
   * Tells the subgraphs that keep partner terms (members) that a partner's changed: called after
   * the commit of a contract or a status change; a rejection fails the write's call, to be retried.
   */
  onPartnerTermsChanged(partnerId: string): Promise<void>;
}

export interface SettlementContext {
  caller: Caller;
  settlement: SettlementDeps;
  loaders: SettlementLoaders;
}
