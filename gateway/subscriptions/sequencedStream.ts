import { Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Caller } from '../../shared/identity';
import { EventQueue } from './eventQueue';
import type { LedgerWatcher } from './fanOut';
import { argumentOf, derivedQuery, errorResult, rootFieldQuery, type RunOperation, type SubscriptionRequest } from './operations';

/** Sequences read per page while catching up (a reconnect's replay, or a burst of events). */
export const REPLAY_BATCH = 100;

/**
 * A kind of stream numbered in the members outbox (a member's events, a campaign's): how to list
 * its sequences and how to resolve one. One object per kind, shared by all its subscriptions.
 */
export interface SequencedKind {
  /** The query listing sequences after one: variables $id, $after and $first. */
  eventsAfter: DocumentNode;
  /** Where eventsAfter answers its `[{ sequence }]`. */
  eventsField: string;
  /** The root field resolving one event (its arguments: the stream's id and `sequence`). */
  eventField: string;
  /** The name of eventField's argument for the stream's id. */
  idArgument: string;
}

/**
 * The per-event query of a subscription: its own selection under `kind.eventField(id, sequence)`,
 * derived once per subscription document.
 */
export function perEventQuery({ args, operation, field }: SubscriptionRequest, kind: SequencedKind): DocumentNode {
  return derivedQuery(args.document, `${kind.eventField}:${args.operationName ?? ''}`, () =>
    rootFieldQuery(
      args.document,
      operation,
      field,
      {
        ...field,
        name: { kind: Kind.NAME, value: kind.eventField },
        arguments: [argumentOf(kind.idArgument, '__streamId'), argumentOf('sequence', '__sequence')],
      },
      { __streamId: 'ID!', __sequence: 'Int!' },
    ),
  );
}

/**
 * The stream of one subscription to events numbered in the members outbox (a member's, a
 * campaign's; see PROTOCOL.md, "Resume with no gap"). The watcher says "stream S has events up to
 * sequence N"; the stream then resolves every sequence after the last one it delivered, up to N,
 * oldest first, so each event is delivered once, in order, with no gap, whatever wake-ups were
 * missed. Woken without a number (at the start, a poll, a bus gap) it asks which sequences follow
 * the last one instead. A class, not closures over the subscription, so an idle subscriber holds one
 * object (with one bound wake-up, the watcher's key).
 */
export class SequencedStream extends EventQueue<ExecutionResult> {
  /** The highest sequence the watcher saw published: every one up to it can be read. */
  private published: number;
  /** Whether to ask which events there are after `last` (at the start, or woken without news). */
  private scan = true;
  /** A read is running; a wake-up meanwhile asks for one more pass (`again`), never a second read. */
  private reading = false;
  private again = false;
  /** What the watcher calls, kept to stop watching with. */
  private readonly onEvents: (highestSequence?: number) => void;

  private readonly caller: Caller;
  private readonly variables: Record<string, unknown> | undefined;
  private readonly operationName: string | undefined;

  constructor(
    private readonly kind: SequencedKind,
    { args, caller, backlog }: SubscriptionRequest,
    private readonly run: RunOperation,
    private readonly watcher: LedgerWatcher,
    /** The stream's key in the outbox: what the watcher wakes, and the events' id argument. */
    private readonly streamId: string,
    /** The highest sequence delivered (or the one the subscriber resumes after). */
    private last: number,
    private readonly perEvent: DocumentNode,
  ) {
    super(null, backlog);
    // Only what each event's query needs is kept, not the request: an idle subscriber holds little.
    this.caller = caller;
    this.variables = args.variableValues as Record<string, unknown> | undefined;
    this.operationName = args.operationName ?? undefined;
    this.published = last;
    this.onEvents = this.wake.bind(this);
    this.watcher.watch(streamId, this.onEvents);
    this.wake();
  }

  protected override closed(): void {
    this.watcher.unwatch(this.streamId, this.onEvents);
  }

  /** The stream has events up to `highestSequence` (or may have some: read which). */
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

  /** Delivers the events after the last delivered, oldest first, until there are none known. */
  private async readKnown(): Promise<void> {
    while (!this.done) {
      if (this.published > this.last) {
        await this.deliver(this.last + 1);
        continue;
      }
      if (!this.scan) return;
      this.scan = false;
      const page = await this.run(this.kind.eventsAfter, { id: this.streamId, after: this.last, first: REPLAY_BATCH }, this.caller);
      if (page.errors?.length) {
        this.push({ errors: page.errors });
        this.close();
        return;
      }
      const events = (page.data as Record<string, { sequence: number }[]>)[this.kind.eventsField]!;
      for (const { sequence } of events) await this.deliver(sequence);
      this.published = Math.max(this.published, this.last);
      if (events.length === REPLAY_BATCH) this.scan = true;
    }
  }

  private async deliver(sequence: number): Promise<void> {
    const variables = { ...this.variables, __streamId: this.streamId, __sequence: sequence };
    this.push(await this.run(this.perEvent, variables, this.caller, this.operationName));
    this.last = sequence;
  }
}
