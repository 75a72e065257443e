import type { DataSource } from 'typeorm';
import { preparedQuery } from '../../shared/database';
import { CAMPAIGN_REACH_CHANNEL, type EventBus } from '../../shared/eventBus';
import { createLogger } from '../../shared/logger';

const log = createLogger('campaign reach');

/**
 * Which partners' purchases an ACTIVE campaign may reach, as members keeps it: an earn at a partner
 * that none reaches (most earns: campaigns are few, and most are a funder's own) skips the
 * campaigns' read, a statement per earn. Only what can add a bonus has to be known at once: a
 * campaign reaching a partner for the first time does so by becoming ACTIVE (a new one is a DRAFT).
 * Whatever takes a bonus away (a pause, an end, a spent budget, a window not yet open, a member not
 * targeted) needs nothing kept to be current: where a campaign may reach, the earn reads the
 * campaigns under their locks (grantBonuses) as it always did, so a pause or an end applies to the
 * very next earn.
 *
 * Kept until one of these says a campaign may have become ACTIVE:
 * - this replica commits an activation (setCampaignStatus): dropped before it answers;
 * - another replica announces one on CAMPAIGN_REACH_CHANNEL after its commit: dropped on arrival;
 * - the bus lost its connection (an announcement may have been lost with it);
 * - it is REACH_MAX_AGE_MS old: a bound on what a lost announcement the bus did not notice could
 *   cost (a bonus not granted), not a freshness the earn relies on.
 * Before the subscription is in place nothing is kept: every earn reads the campaigns. A read
 * started before a drop is never kept. The window left: an earn whose check ran before an
 * activation committed (or, at another replica, before its announcement arrived) earns as if it
 * came just before the activation, as an earn racing it always could.
 */
export const REACH_MAX_AGE_MS = 5 * 60_000;

/** ACTIVE campaigns read at most: with more, every partner counts as reached (the earn reads the campaigns). */
export const MAX_REACH_CAMPAIGNS = 1000;

interface Reach {
  /** Funders of ACTIVE campaigns not past their end: their own purchases may get a bonus. */
  funderIds: ReadonlySet<string>;
  /** Whether every partner's purchases may be reached: by an ACTIVE coalition-wide campaign, or past MAX_REACH_CAMPAIGNS. */
  coalitionWide: boolean;
}

export interface CampaignReach {
  /** Whether an ACTIVE campaign may reach a purchase at the partner; false only when none can. */
  mayReach(partnerId: string): Promise<boolean>;
  /** After a commit that made a campaign ACTIVE: drops what is kept here, and tells the other replicas. */
  activated(): Promise<void>;
}

export class KeptCampaignReach implements CampaignReach {
  private kept: { reach: Promise<Reach>; expiresAtMs: number } | null = null;
  private listening = false;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  /** Listens for other replicas' announcements; until it resolves, every earn reads the campaigns. */
  async listen(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(
      CAMPAIGN_REACH_CHANNEL,
      () => this.drop(),
      () => this.drop(),
    );
    this.drop();
    this.listening = true;
  }

  async stop(): Promise<void> {
    this.listening = false;
    this.drop();
    await this.unsubscribe?.();
  }

  async mayReach(partnerId: string): Promise<boolean> {
    if (!this.listening) return true;
    let kept = this.kept;
    if (!kept || Date.now() >= kept.expiresAtMs) kept = this.read();
    const reach = await kept.reach;
    return reach.coalitionWide || reach.funderIds.has(partnerId);
  }

  async activated(): Promise<void> {
    this.drop();
    try {
      await this.bus.publish(CAMPAIGN_REACH_CHANNEL, '{}');
    } catch (error) {
      // The activation is committed; other replicas see it within REACH_MAX_AGE_MS (or at their next bus gap).
      log.error({ err: error }, 'campaign activation not announced to the other replicas');
    }
  }

  /** A read in flight is dropped too: callers after the drop read again. */
  private drop(): void {
    this.kept = null;
  }

  /** Reads the reach; kept (and shared while in flight) until a drop or REACH_MAX_AGE_MS. Failures are not kept. */
  private read(): { reach: Promise<Reach>; expiresAtMs: number } {
    const entry = {
      reach: preparedQuery<{ funder_partner_id: string; coalition_wide: boolean }>(
        this.dataSource.manager,
        // Not past their end: an end is final, and a campaign's window never moves. Not yet started
        // ones count: a start needs no announcement.
        `SELECT funder_partner_id, coalition_wide FROM campaigns WHERE status = 'ACTIVE' AND ends_at > now() LIMIT $1`,
        [MAX_REACH_CAMPAIGNS + 1],
      ).then((rows) => ({
        funderIds: new Set(rows.map((row) => row.funder_partner_id)),
        coalitionWide: rows.length > MAX_REACH_CAMPAIGNS || rows.some((row) => row.coalition_wide),
      })),
      expiresAtMs: Date.now() + REACH_MAX_AGE_MS,
    };
    this.kept = entry;
    entry.reach.catch(() => {
      if (this.kept === entry) this.kept = null;
    });
    return entry;
  }
}
