import { Kind, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Caller } from '../../shared/identity';
import { EventQueue, type Backlog } from './eventQueue';
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
  const last = afterSequence ?? (start.data as { lastMemberEventSequence: number }).lastMemberEventSequence;
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
  return new BalanceStream({
    run,
    watcher,
    caller,
    memberId,
    last,
    perEvent,
    variables,
    operationName: args.operationName ?? undefined,
    backlog,
  });
}

/**
 * One subscription's stream: its queue, and what it needs to fill it. A class, not closures over the
 * subscription, so an idle subscriber holds one object (with one bound wake-up, the watcher's key).
 */
class BalanceStream extends EventQueue<ExecutionResult> {
  private readonly run: RunOperation;
  private readonly watcher: LedgerWatcher;
  private readonly caller: Caller;
  private readonly memberId: string;
  private readonly perEvent: DocumentNode;
  private readonly variables: Record<string, unknown>;
  private readonly operationName: string | undefined;
  /** The highest sequence delivered (or the one the subscriber resumes after). */
  private last: number;
  /** The highest sequence the watcher saw published for the member: every one up to it can be read. */
  private published: number;
  /** Whether to ask the ledger which events there are after `last` (at the start, or woken without news). */
  private scan = true;
  /** A read is running; a wake-up meanwhile asks for one more pass (`again`), never a second read. */
  private reading = false;
  private again = false;
  /** What the watcher calls, kept to stop watching with. */
  private readonly onEvents: (highestSequence?: number) => void;

  constructor(options: {
    run: RunOperation;
    watcher: LedgerWatcher;
    caller: Caller;
    memberId: string;
    last: number;
    perEvent: DocumentNode;
    variables: Record<string, unknown>;
    operationName: string | undefined;
    backlog: Backlog;
  }) {
    super(null, options.backlog);
    this.run = options.run;
    this.watcher = options.watcher;
    this.caller = options.caller;
    this.memberId = options.memberId;
    this.perEvent = options.perEvent;
    this.variables = options.variables;
    this.operationName = options.operationName;
    this.last = options.last;
    this.published = options.last;
    this.onEvents = this.wake.bind(this);
    this.watcher.watch(this.memberId, this.onEvents);
    this.wake();
  }

  protected override closed(): void {
    this.watcher.unwatch(this.memberId, this.onEvents);
  }

  /** The member has events up to `highestSequence` (or may have some: read which). */
  private wake(highestSequence?: number): void {
    if (highestSequence === undefined) this.scan = true;
    else this.published = Math.max(this.published, highestSequence);
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    void this.readPasses();
  }

  private async readPasses(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.readKnown();
      } while (this.again && !this.done);
    } catch (error) {
      this.push(errorResult(`The event stream failed: ${(error as Error).message}`, 'UPSTREAM_UNAVAILABLE'));
      this.close();
    } finally {
      this.reading = false;
    }
  }

  /** Delivers the member's events after the last delivered, oldest first, until there are none known. */
  private async readKnown(): Promise<void> {
    while (!this.done) {
      if (this.published > this.last) {
        await this.deliver(this.last + 1);
        continue;
      }
      if (!this.scan) return;
      this.scan = false;
      const page = await this.run(EVENTS_AFTER, { m: this.memberId, a: this.last, f: REPLAY_BATCH }, this.caller);
      if (page.errors?.length) {
        this.push({ errors: page.errors });
        this.close();
        return;
      }
      const sequences = (page.data as { memberEvents: { sequence: number }[] }).memberEvents.map((e) => e.sequence);
      for (const sequence of sequences) await this.deliver(sequence);
      this.published = Math.max(this.published, this.last);
      if (sequences.length === REPLAY_BATCH) this.scan = true;
    }
  }

  private async deliver(sequence: number): Promise<void> {
    const variables = { ...this.variables, __memberId: this.memberId, __sequence: sequence };
    this.push(await this.run(this.perEvent, variables, this.caller, this.operationName));
    this.last = sequence;
  }
}
