import type { DataSource } from 'typeorm';
import { POSITION_EVENTS_CHANNEL, type EventBus } from '../../shared/eventBus';
import type { SubgraphClient } from '../../shared/internalClient';
import type { PublishedEvent } from '../../shared/outbox';
import { countLedgerEvents, ledgerCheckpoint } from './entries';
import type { PeriodCalendar } from './periods';
import { startPasses } from '../../shared/coalesce';
import { quietUntilPeerAnswers } from '../../shared/quietStartup';

const FEED_BATCH_SIZE = 500;
/** Partner ids per signal, within the bus's message size. */
const POSITION_SIGNAL_BATCH = 150;

export interface LedgerFeed {
  /** Resolves once every event published up to now has been counted. */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps settlement counting the ledger's events: reads `ledgerEvents` after the durable checkpoint
 * from the members subgraph whenever the bus signals, and on a timer in case a signal was missed
 * (the bus is a wake-up call, the outbox is the record). After downtime it simply catches up.
 */
export function startLedgerFeed(options: {
  dataSource: DataSource;
  members: SubgraphClient;
  bus: EventBus;
  channel: string;
  periodCalendar: PeriodCalendar;
  pollIntervalMs?: number;
}): LedgerFeed {
  const { dataSource, members, bus, channel, periodCalendar } = options;
  // Settlement starts before members (the others' seeds refer to its partners), so its first passes
  // find members not listening yet: those are retried quietly, not logged as faults.
  const failures = quietUntilPeerAnswers({
    log: (line) => console.error(line),
    describe: (error) => `[settlement] ledger feed: ${(error as Error).message}`,
  });

  const pull = async () => {
    for (;;) {
      const after = await ledgerCheckpoint(dataSource);
      const { ledgerEvents } = await members.request<{ ledgerEvents: PublishedEvent[] }>(
        `query LedgerEvents($after: Long!, $first: Int!) {
          ledgerEvents(afterPosition: $after, first: $first) {
            position id type memberId memberSequence payload occurredAt
          }
        }`,
        { after: after.toString(), first: FEED_BATCH_SIZE },
      );
      failures.answered();
      if (ledgerEvents.length === 0) return;
      const { partnerIds } = await countLedgerEvents(
        dataSource,
        ledgerEvents.map((event) => ({ ...event, payload: JSON.parse(event.payload as unknown as string) as Record<string, unknown> })),
        periodCalendar,
      );
      // Live positions: tell subscribers (through the gateway) which partners' positions moved.
      const ids = [...partnerIds];
      for (let i = 0; i < ids.length; i += POSITION_SIGNAL_BATCH) {
        await bus.publish(POSITION_EVENTS_CHANNEL, JSON.stringify({ partnerIds: ids.slice(i, i + POSITION_SIGNAL_BATCH) }));
      }
      if (ledgerEvents.length < FEED_BATCH_SIZE) return;
    }
  };

  // Pulls until nothing is left; a failed pass is logged (quietly skipped while members has not
  // answered yet at start-up) and the next signal or tick tries again.
  const feed = startPasses({
    work: pull,
    onError: (error) => failures.failed(error),
    intervalMs: options.pollIntervalMs ?? 2000,
    bus,
    channel,
  });

  return {
    async catchUp() {
      // A pass already under way may have started before the newest events were published: the
      // trigger asks for one more pass after it, and its outcome is the caller's.
      const failure = await feed.trigger();
      if (failure) throw failure;
    },
    stop: () => feed.stop(),
  };
}
