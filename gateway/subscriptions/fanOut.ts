import { coalesced } from '../../shared/coalesce';
import type { EventBus } from '../../shared/eventBus';
import { LEDGER_EVENTS_CHANNEL, POSITION_EVENTS_CHANNEL } from '../../shared/eventBus';
import { trustedSignal, type OutboxSignal } from '../../shared/outbox';
import type { SubgraphClient } from '../../shared/internalClient';
import { createLogger } from '../../shared/logger';

const log = createLogger('ledger watcher');

/**
 * The fan-out: one watcher of each kind per subscription server, shared by all its subscriptions,
 * turns messages of the event bus into calls of the listeners of the members or partners they
 * concern. For the ledger the bus is only a wake-up: what happened is read from the members
 * subgraph's feed by position (and polled every second), so a lost message delays an event, never
 * loses it.
 */

const FEED_BATCH = 500;
/** Relay signals kept for the next pass; past this many, the pass reads the feed instead. */
const MAX_PENDING_SIGNALS = 100;

/**
 * Listeners by key (a member, a partner); a key whose last listener leaves is forgotten. A wake-up
 * may carry what the waker knows (the member's highest event sequence published).
 */
class Listeners<Known = void> {
  private readonly byKey = new Map<string, Set<(known?: Known) => void>>();

  /** Adds a listener; returns the function that removes it. */
  add(key: string, listener: (known?: Known) => void): () => void {
    const set = this.byKey.get(key) ?? new Set();
    set.add(listener);
    this.byKey.set(key, set);
    return () => this.remove(key, listener);
  }

  remove(key: string, listener: (known?: Known) => void): void {
    const set = this.byKey.get(key);
    if (!set?.delete(listener)) return;
    if (set.size === 0) this.byKey.delete(key);
  }

  wake(key: string, known?: Known): void {
    for (const listener of this.byKey.get(key) ?? []) listener(known);
  }

  wakeAll(): void {
    for (const key of this.byKey.keys()) this.wake(key);
  }
}

/**
 * Follows the ledger's published events and tells subscribers which members had some, with each
 * member's highest sequence among them. A campaign's own events travel in the same outbox, as a
 * stream keyed by the campaign's id (campaignChanged.ts watches that id), numbered the same way. A member's sequence is gap-free and committed in order, and
 * an event is published only after its commit, so every sequence up to that one can be read: the
 * streams read those events directly instead of first asking which there are.
 *
 * The relay's signal usually says all of that itself (shared/outbox.ts, OutboxSignal): a signal that
 * continues from the watcher's position, signed by the relay, is taken as read, without a round trip to the feed. Any
 * other (one that skips ahead, or names no members), the timer and a gap of the bus read the feed.
 */
export class LedgerWatcher {
  private position: bigint | null = null;
  private readonly listeners = new Listeners<number>();
  private readonly reader = coalesced(
    () => this.readNewEvents(),
    (error) => log.error({ err: error }, 'ledger watcher failed'),
  );
  private unsubscribe: Promise<() => Promise<void>> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Signals received since the last pass, in the order the relay sent them. */
  private signals: OutboxSignal[] = [];
  /** Whether the next pass must read the feed (at the start, on the timer, after a gap or an unusable signal). */
  private readFeed = true;

  constructor(
    private readonly members: SubgraphClient,
    private readonly bus: EventBus,
    /** The services' shared secret, which signs the relay's signals. */
    private readonly secret: string,
  ) {}

  /**
   * Registers interest in a member; returns the function that ends it. `onEvents` gets the member's
   * highest published sequence when the watcher read it from the feed.
   */
  watch(memberId: string, onEvents: (highestSequence?: number) => void): () => void {
    this.start();
    return this.listeners.add(memberId, onEvents);
  }

  /** Ends what `watch(memberId, onEvents)` started, without keeping the function watch returns (a stream per subscriber would hold one). */
  unwatch(memberId: string, onEvents: (highestSequence?: number) => void): void {
    this.listeners.remove(memberId, onEvents);
  }

  private start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.bus.subscribe(
      LEDGER_EVENTS_CHANNEL,
      (message) => this.signalled(message),
      () => this.poll(),
    );
    // The bus is a wake-up call; the timer catches a missed one.
    this.timer = setInterval(() => this.poll(), 1000);
    this.timer.unref();
    this.poll();
  }

  private signalled(message: string): void {
    // Only the relay's signed signal is taken as read; any other message (a batch too large to name
    // its members, or not the relay's) still says something may have happened: read the feed.
    const signal = trustedSignal(message, LEDGER_EVENTS_CHANNEL, this.secret);
    if (signal && this.signals.length < MAX_PENDING_SIGNALS) this.signals.push(signal);
    else this.readFeed = true;
    void this.reader.trigger();
  }

  /** Reads the feed on the next pass. */
  private poll(): void {
    this.readFeed = true;
    void this.reader.trigger();
  }

  private async readNewEvents(): Promise<void> {
    const signals = this.signals;
    this.signals = [];
    if (this.position !== null) {
      for (const signal of signals) {
        const after = BigInt(signal.afterPosition!);
        const position = BigInt(signal.position);
        // Already read from the feed: nothing to do. Beyond where the watcher is: it missed a batch.
        if (position <= this.position) continue;
        if (after !== this.position) {
          this.readFeed = true;
          break;
        }
        this.position = position;
        for (const [memberId, highest] of Object.entries(signal.members!)) this.listeners.wake(memberId, highest);
      }
    } else this.readFeed = true;
    if (!this.readFeed) return;
    this.readFeed = false;
    if (this.position === null) {
      const { ledgerHead } = await this.members.request<{ ledgerHead: string }>('{ ledgerHead }', {});
      this.position = BigInt(ledgerHead);
    }
    for (;;) {
      const after: bigint = this.position;
      const page: { ledgerEvents: { position: string; memberId: string; memberSequence: number }[] } = await this.members.request(
        'query($after: Long!, $first: Int!) { ledgerEvents(afterPosition: $after, first: $first) { position memberId memberSequence } }',
        { after: after.toString(), first: FEED_BATCH },
      );
      const { ledgerEvents } = page;
      const highestSequences = new Map<string, number>();
      for (const event of ledgerEvents) {
        this.position = BigInt(event.position);
        highestSequences.set(event.memberId, Math.max(highestSequences.get(event.memberId) ?? 0, event.memberSequence));
      }
      for (const [memberId, highest] of highestSequences) this.listeners.wake(memberId, highest);
      if (ledgerEvents.length < FEED_BATCH) return;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await (
      await this.unsubscribe
    )?.();
    await this.reader.settled();
  }
}

/** Tells position subscribers when settlement signals that their partner's position moved. */
export class PositionWatcher {
  private readonly listeners = new Listeners();
  private unsubscribe: Promise<() => Promise<void>> | null = null;

  constructor(private readonly bus: EventBus) {}

  watch(partnerId: string, onChange: () => void): () => void {
    this.unsubscribe ??= this.bus.subscribe(
      POSITION_EVENTS_CHANNEL,
      (message) => {
        let partnerIds: unknown;
        try {
          partnerIds = (JSON.parse(message) as { partnerIds?: unknown }).partnerIds;
        } catch {
          return;
        }
        if (!Array.isArray(partnerIds)) return;
        for (const id of partnerIds) this.listeners.wake(String(id));
      },
      // Signals sent while the bus was cut off are lost: every watched position is read again.
      () => this.listeners.wakeAll(),
    );
    return this.listeners.add(partnerId, onChange);
  }

  async stop(): Promise<void> {
    await (
      await this.unsubscribe
    )?.();
  }
}
