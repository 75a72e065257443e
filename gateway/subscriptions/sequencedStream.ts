import type { ExecutionResult } from 'graphql';
import { coalesced } from '../../shared/coalesce';
import { EventQueue, type Backlog } from './eventQueue';
import type { LedgerWatcher } from './fanOut';
import { errorResult } from './operations';

/** Sequences read per page while catching up (a reconnect's replay, or a burst of events). */
export const REPLAY_BATCH = 100;

/**
 * The delivery loop of a stream numbered in the members outbox (a campaign's; see PROTOCOL.md,
 * "Resume with no gap"). The watcher says "stream S has events up to sequence N"; the loop then
 * resolves every sequence after the last one it delivered, up to N, oldest first, so each event is
 * delivered once, in order, with no gap, whatever wake-ups were missed. Woken without a number (at
 * the start, a poll, a bus gap) it asks which sequences follow the last one instead. Wake-ups that
 * come while it reads make one more read, not one each.
 */
export function sequencedStream(options: {
  /** The stream's key in the outbox (a campaign's id): what the watcher wakes. */
  streamId: string;
  /** The last sequence the subscriber has: delivery starts after it. */
  afterSequence: number;
  watcher: LedgerWatcher;
  backlog: Backlog;
  /** Resolves one event for the subscriber (its own selection). */
  resolve(sequence: number): Promise<ExecutionResult>;
  /** The sequences after `after`, oldest first, at most `first`; errors end the stream. */
  sequencesAfter(after: number, first: number): Promise<{ sequences: number[] } | { errors: ExecutionResult['errors'] }>;
}): EventQueue<ExecutionResult> {
  const queue: EventQueue<ExecutionResult> = new EventQueue(() => stopWatching(), options.backlog);
  let last = options.afterSequence;
  // The highest sequence the watcher saw published: every one up to it can be read.
  let published = last;
  // Whether to ask which events follow `last` (at the start, or woken without news).
  let scan = true;
  const deliver = async (sequence: number) => {
    queue.push(await options.resolve(sequence));
    last = sequence;
  };
  const reader = coalesced(
    async () => {
      for (;;) {
        if (published > last) {
          await deliver(last + 1);
          continue;
        }
        if (!scan) return;
        scan = false;
        const page = await options.sequencesAfter(last, REPLAY_BATCH);
        if ('errors' in page) {
          queue.push({ errors: page.errors });
          queue.close();
          return;
        }
        for (const sequence of page.sequences) await deliver(sequence);
        published = Math.max(published, last);
        if (page.sequences.length === REPLAY_BATCH) scan = true;
      }
    },
    (error) => {
      queue.push(errorResult(`The event stream failed: ${(error as Error).message}`, 'UPSTREAM_UNAVAILABLE'));
      queue.close();
    },
  );
  const drain = (highestSequence?: number) => {
    if (highestSequence === undefined) scan = true;
    else published = Math.max(published, highestSequence);
    void reader.trigger();
  };
  const stopWatching = options.watcher.watch(options.streamId, drain);
  drain();
  return queue;
}
