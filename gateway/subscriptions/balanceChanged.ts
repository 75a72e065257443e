import { Kind, parse, type ExecutionResult } from 'graphql';
import { coalesced } from '../../shared/coalesce';
import { EventQueue } from './eventQueue';
import type { LedgerWatcher } from './fanOut';
import { argumentOf, derivedQuery, errorResult, rootFieldQuery, type RunOperation, type SubscriptionRequest } from './operations';

/** Sequences read per page while catching up (a reconnect's replay, or a burst of events). */
const REPLAY_BATCH = 100;
const LAST_SEQUENCE = parse('query($m: ID!) { lastMemberEventSequence(memberId: $m) }');
const EVENTS_AFTER = parse('query($m: ID!, $a: Int!, $f: Int) { memberEvents(memberId: $m, afterSequence: $a, first: $f) { sequence } }');

/**
 * The stream of one `balanceChanged(memberId, afterSequence)` subscription. The watcher says "member
 * M has events up to sequence S"; the stream then reads the member's events after the last one it
 * delivered, by sequence up to S, so it delivers every event once, in order, with no gap, whatever
 * wake-ups it missed. At the start it asks the ledger which events follow the last one instead.
 * A client resuming with `afterSequence` gets the same: the events after it are read first. Each
 * event is resolved by running the subscriber's selection as `memberEvent(memberId, sequence)`.
 */
export async function balanceChanged(
  { args, caller, operation, field, backlog }: SubscriptionRequest,
  run: RunOperation,
  watcher: LedgerWatcher,
): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  const argument = (name: string) => {
    const node = field.arguments?.find((a) => a.name.value === name)?.value;
    if (!node) return undefined;
    if (node.kind === Kind.VARIABLE) return variables[node.name.value];
    if (node.kind === Kind.STRING || node.kind === Kind.INT) return node.kind === Kind.INT ? Number(node.value) : node.value;
    return undefined;
  };
  const memberId = String(argument('memberId'));
  const afterSequence = argument('afterSequence') as number | undefined;
  // Access, and where to start: the same rule as memberEvent, checked before anything streams.
  const start = await run(LAST_SEQUENCE, { m: memberId }, caller);
  if (start.errors?.length) return { errors: start.errors } as ExecutionResult;
  let last = afterSequence ?? (start.data as { lastMemberEventSequence: number }).lastMemberEventSequence;
  if (!Number.isInteger(last) || last < 0) return errorResult('afterSequence must be 0 or more', 'BAD_USER_INPUT');

  const perEvent = derivedQuery(args.document, `memberEvent:${args.operationName ?? ''}`, () =>
    rootFieldQuery(
      args.document,
      operation,
      field,
      {
        ...field,
        name: { kind: Kind.NAME, value: 'memberEvent' },
        arguments: [argumentOf('memberId', '__memberId'), argumentOf('sequence', '__sequence')],
      },
      { __memberId: 'ID!', __sequence: 'Int!' },
    ),
  );
  const queue: EventQueue<ExecutionResult> = new EventQueue(() => stopWatching(), backlog);
  // The highest sequence the watcher saw published for the member: every one up to it can be read.
  let published = last;
  // Whether to ask the ledger which events there are after `last` (at the start, or woken without news).
  let scan = true;
  const deliver = async (sequence: number) => {
    queue.push(await run(perEvent, { ...variables, __memberId: memberId, __sequence: sequence }, caller, args.operationName ?? undefined));
    last = sequence;
  };
  // Delivers the member's events after the last delivered, oldest first, until there are none known.
  const reader = coalesced(
    async () => {
      for (;;) {
        if (published > last) {
          await deliver(last + 1);
          continue;
        }
        if (!scan) return;
        scan = false;
        const page = await run(EVENTS_AFTER, { m: memberId, a: last, f: REPLAY_BATCH }, caller);
        if (page.errors?.length) {
          queue.push({ errors: page.errors });
          queue.close();
          return;
        }
        const sequences = (page.data as { memberEvents: { sequence: number }[] }).memberEvents.map((e) => e.sequence);
        for (const sequence of sequences) await deliver(sequence);
        published = Math.max(published, last);
        if (sequences.length === REPLAY_BATCH) scan = true;
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
  const stopWatching = watcher.watch(memberId, drain);
  drain();
  return queue;
}
