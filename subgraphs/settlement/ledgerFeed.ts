import type { DataSource } from 'typeorm';
import { POSITION_EVENTS_CHANNEL, type EventBus } from '../../shared/eventBus';
import type { SubgraphClient } from '../../shared/internalClient';
import type { PublishedEvent } from '../../shared/outbox';
import { countLedgerEvents, ledgerCheckpoint } from './entries';
import type { PeriodCalendar } from './periods';
import { startPasses } from '../../shared/coalesce';
import { quietUntilPeerAnswers } from '../../shared/quietStartup';
import { observeGauge } from '../../shared/metrics';
import { inSpan, linkTo } from '../../shared/tracing';
import { createLogger } from '../../shared/logger';

const log = createLogger('ledger feed');

const FEED_BATCH_SIZE = 500;
/** Partner ids per signal, within the bus's message size. */
const POSITION_SIGNAL_BATCH = 150;

export interface LedgerFeed {
  /**
   * Resolves once every ledger write that answered before the call has been counted: members
   * publishes what it committed but had not yet published, and the feed reads up to the end.
   */
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
    log: (line) => log.error(line),
    describe: (error) => `[settlement] ledger feed: ${(error as Error).message}`,
  });

  // The feed's lag for operators (shared/metrics.ts): how far it has counted, and how long ago a
  // pass last found nothing left to read. A healthy feed is caught up every poll (2 s); a feed that
  // fails or falls behind shows here long before a reconciliation does.
  let checkpointPosition = 0;
  let caughtUpAtMs = Date.now();
  const unobserve = [
    observeGauge(
      { name: 'coalition_settlement_feed_checkpoint_position', help: "The ledger event position settlement's feed has counted up to" },
      () => checkpointPosition,
    ),
    observeGauge(
      {
        name: 'coalition_settlement_feed_seconds_since_caught_up',
        help: "Seconds since settlement's ledger feed last read everything the ledger had published",
      },
      () => (Date.now() - caughtUpAtMs) / 1000,
    ),
  ];

  // Set by catchUp for the next pass: its first read asks members to publish pending events first.
  // Other passes (signals, the timer) follow the relay and leave it its own pace.
  let publishFirst = false;
  const pull = async () => {
    let publish = publishFirst;
    publishFirst = false;
    for (;;) {
      const after = await ledgerCheckpoint(dataSource);
      checkpointPosition = Number(after);
      const { ledgerEvents } = await members.request<{ ledgerEvents: PublishedEvent[] }>(
        `query LedgerEvents($after: Long!, $first: Int!, $publish: Boolean!) {
          ledgerEvents(afterPosition: $after, first: $first, publishPendingFirst: $publish) {
            position id type memberId memberSequence payload occurredAt traceparent
          }
        }`,
        { after: after.toString(), first: FEED_BATCH_SIZE, publish },
      );
      publish = false;
      failures.answered();
      if (ledgerEvents.length === 0) {
        caughtUpAtMs = Date.now();
        return;
      }
      // Counting a batch links to the writes whose events it counts (shared/outbox.ts): the trace of
      // an earn shows settlement booking it. Recorded only when some write was traced.
      const links = [...new Set(ledgerEvents.map((event) => event.traceparent))].map(linkTo).filter((link) => link !== null);
      const { partnerIds } = await inSpan(
        'ledger feed count',
        { 'messaging.batch.message_count': ledgerEvents.length, 'coalition.outbox.last_position': ledgerEvents.at(-1)!.position },
        () =>
          countLedgerEvents(
            dataSource,
            ledgerEvents.map((event) => ({ ...event, payload: JSON.parse(event.payload as unknown as string) as Record<string, unknown> })),
            periodCalendar,
          ),
        links,
      );
      // Live positions: tell subscribers (through the gateway) which partners' positions moved.
      const ids = [...partnerIds];
      for (let i = 0; i < ids.length; i += POSITION_SIGNAL_BATCH) {
        await bus.publish(POSITION_EVENTS_CHANNEL, JSON.stringify({ partnerIds: ids.slice(i, i + POSITION_SIGNAL_BATCH) }));
      }
      checkpointPosition = Number(ledgerEvents[ledgerEvents.length - 1]!.position);
      if (ledgerEvents.length < FEED_BATCH_SIZE) {
        caughtUpAtMs = Date.now();
        return;
      }
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
      publishFirst = true;
      const failure = await feed.trigger();
      if (failure) throw failure;
    },
    async stop() {
      for (const remove of unobserve) remove();
      await feed.stop();
    },
  };
}
