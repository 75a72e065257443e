import { PARTNER_TERMS_CHANNEL, type EventBus } from '../../shared/eventBus';
import type { SubgraphClient } from '../../shared/internalClient';
import { createLogger } from '../../shared/logger';
import type { PartnerDirectory, PartnerTerms } from './ledger';

const log = createLogger('partner terms');

/**
 * Partner terms as members keeps them. Settlement owns partners and contracts; asking it for every
 * earn cost an internal call (a request to sign, verify, execute and answer) per earn, so members
 * keeps each partner's terms until one of these says they may have changed:
 * - settlement announces a change (a contract, a suspension) on PARTNER_TERMS_CHANNEL after its
 *   commit: the partner's terms are dropped, and the next earn there asks again;
 * - the terms' `termsUntil` passes (a scheduled contract takes effect): dropped then, unannounced;
 * - the bus lost its connection (an announcement may have been lost with it): everything is dropped;
 * - they are TERMS_MAX_AGE_MS old: a bound on what a lost announcement the bus did not notice
 *   (a dead connection not yet detected) could cost, not a freshness the ledger relies on.
 * Before the subscription is in place nothing is kept, only overlapping asks shared.
 *
 * Asks for one partner that overlap share one call: an answer in flight when a caller asked is as
 * current as one it would have started itself. A call started before an announcement is never kept
 * (nor shared by callers after it): the announcement drops the entry it would have filled.
 * Failures are never kept. The window left: an earn that reaches members between settlement's
 * commit and the announcement's arrival (one NOTIFY, well under the round trip of the operator's
 * answer) uses the terms from before, as an earn racing the change always could.
 */
export const TERMS_MAX_AGE_MS = 5 * 60_000;

/** What settlement answers: the terms, and until when they hold. */
export interface TimedPartnerTerms extends PartnerTerms {
  termsUntil: Date | null;
}

interface Entry {
  terms: Promise<TimedPartnerTerms>;
  /** When the entry stops being served: null while its call is in flight (shared, not kept). */
  expiresAtMs: number | null;
}

export class KeptPartnerTerms implements PartnerDirectory {
  private readonly entries = new Map<string, Entry>();
  /** False until the bus subscription is in place: announcements could be missed before it. */
  private listening = false;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(private readonly ask: (partnerId: string) => Promise<TimedPartnerTerms>) {}

  /** Listens for settlement's announcements; until it resolves, terms are asked for every use. */
  async listen(bus: EventBus): Promise<void> {
    this.unsubscribe = await bus.subscribe(
      PARTNER_TERMS_CHANNEL,
      (message) => this.onAnnouncement(message),
      () => this.entries.clear(),
    );
    this.entries.clear();
    this.listening = true;
  }

  async stop(): Promise<void> {
    this.listening = false;
    this.entries.clear();
    await this.unsubscribe?.();
  }

  partnerTerms(partnerId: string): Promise<PartnerTerms> {
    const known = this.entries.get(partnerId);
    if (known && (known.expiresAtMs === null || Date.now() < known.expiresAtMs)) return known.terms;
    const askedAtMs = Date.now();
    const terms = this.ask(partnerId);
    const entry: Entry = { terms, expiresAtMs: null };
    this.entries.set(partnerId, entry);
    const forget = () => {
      if (this.entries.get(partnerId) === entry) this.entries.delete(partnerId);
    };
    terms.then(({ termsUntil }) => {
      // Kept only while listening, and only when still the partner's entry: an announcement since the ask dropped it.
      if (!this.listening) return forget();
      if (this.entries.get(partnerId) === entry) {
        entry.expiresAtMs = Math.min(askedAtMs + TERMS_MAX_AGE_MS, termsUntil?.getTime() ?? Number.POSITIVE_INFINITY);
      }
    }, forget);
    return terms;
  }

  private onAnnouncement(message: string): void {
    let partnerId: unknown;
    try {
      partnerId = (JSON.parse(message) as { partnerId?: unknown }).partnerId;
    } catch {
      partnerId = undefined;
    }
    if (typeof partnerId === 'string') this.entries.delete(partnerId);
    else {
      // Not understood: whatever it announced, nothing kept can be trusted.
      log.warn({ message }, 'partner terms announcement not understood; dropping every partner');
      this.entries.clear();
    }
  }
}

/** Asks settlement (`partnerTerms`, an internal query) for a partner's terms. */
export function askSettlement(client: SubgraphClient): (partnerId: string) => Promise<TimedPartnerTerms> {
  return async (partnerId) => {
    const { partnerTerms } = await client.request<{ partnerTerms: Omit<TimedPartnerTerms, 'termsUntil'> & { termsUntil: string | null } }>(
      `query Terms($partnerId: ID!) {
        partnerTerms(partnerId: $partnerId) {
          partnerId active earnRateMilliPointsPerUnit redemptionValueMicrosPerPoint issuePriceMicrosPerPoint currency termsUntil
        }
      }`,
      { partnerId },
    );
    return { ...partnerTerms, termsUntil: partnerTerms.termsUntil === null ? null : new Date(partnerTerms.termsUntil) };
  };
}
