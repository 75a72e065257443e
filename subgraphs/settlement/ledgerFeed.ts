import type { DataSource } from 'typeorm';
import { POSITION_EVENTS_CHANNEL, type EventBus } from '../../shared/eventBus';
import type { SubgraphClient } from '../../shared/internalClient';
import type { PublishedEvent } from '../../shared/outbox';
import { countLedgerEvents, ledgerCheckpoint } from './books';
import type { PeriodLength } from './periods';

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
  periodLength: PeriodLength;
  pollIntervalMs?: number;
}): LedgerFeed {
  const { dataSource, members, bus, channel, periodLength } = options;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

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
      if (ledgerEvents.length === 0) return;
      const { partnerIds } = await countLedgerEvents(
        dataSource,
        ledgerEvents.map((event) => ({ ...event, payload: JSON.parse(event.payload as unknown as string) as Record<string, unknown> })),
        periodLength,
      );
      // Live positions: tell subscribers (through the gateway) which partners' positions moved.
      const ids = [...partnerIds];
      for (let i = 0; i < ids.length; i += POSITION_SIGNAL_BATCH) {
        await bus.publish(POSITION_EVENTS_CHANNEL, JSON.stringify({ partnerIds: ids.slice(i, i + POSITION_SIGNAL_BATCH) }));
      }
      if (ledgerEvents.length < FEED_BATCH_SIZE) return;
    }
  };

  /** Pulls until nothing is left; errors are logged (the next signal or tick tries again) or, with `raise`, thrown. */
  const run = (raise = false): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    let failure: unknown = null;
    running = (async () => {
      do {
        again = false;
        try {
          await pull();
          failure = null;
        } catch (error) {
          failure = error;
          if (!stopped) console.error(`[settlement] ledger feed: ${(error as Error).message}`);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running.then(() => {
      if (raise && failure) throw failure;
    });
  };

  const unsubscribe = bus.subscribe(channel, () => void run());
  const timer = setInterval(() => void run(), options.pollIntervalMs ?? 2000);
  timer.unref();
  void run();

  return {
    async catchUp() {
      await run();
      // A pull already under way may have started before the newest events were published.
      await run(true);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await (
        await unsubscribe
      )();
      await running;
    },
  };
}
