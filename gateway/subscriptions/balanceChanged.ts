import { parse, type ExecutionResult } from 'graphql';
import type { LedgerWatcher } from './fanOut';
import { errorResult, fieldArguments, type RunOperation, type SubscriptionRequest } from './operations';
import { perEventQuery, SequencedStream, type SequencedKind } from './sequencedStream';

const LAST_SEQUENCE = parse('query($m: ID!) { lastMemberEventSequence(memberId: $m) }');

/** A member's events: listed by `memberEvents`, each resolved as `memberEvent(memberId, sequence)`. */
const MEMBER_EVENTS: SequencedKind = {
  eventsAfter: parse(
    'query($id: ID!, $after: Int!, $first: Int) { memberEvents(memberId: $id, afterSequence: $after, first: $first) { sequence } }',
  ),
  eventsField: 'memberEvents',
  eventField: 'memberEvent',
  idArgument: 'memberId',
};

/**
 * The stream of one `balanceChanged(memberId, afterSequence)` subscription: the member's events in
 * order with no gap (sequencedStream.ts), from the member's latest event on, or after
 * `afterSequence` for a client resuming. Each event is resolved by running the subscriber's
 * selection as `memberEvent(memberId, sequence)`.
 */
export async function balanceChanged(
  request: SubscriptionRequest,
  run: RunOperation,
  watcher: LedgerWatcher,
): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
  const argument = fieldArguments(request.field, (request.args.variableValues ?? {}) as Record<string, unknown>);
  const memberId = String(argument('memberId'));
  // Access, and where to start: the same rule as memberEvent, checked before anything streams.
  const start = await run(LAST_SEQUENCE, { m: memberId }, request.caller);
  if (start.errors?.length) return { errors: start.errors } as ExecutionResult;
  const last =
    (argument('afterSequence') as number | null | undefined) ?? (start.data as { lastMemberEventSequence: number }).lastMemberEventSequence;
  if (!Number.isInteger(last) || last < 0) return errorResult('afterSequence must be 0 or more', 'BAD_USER_INPUT');
  return new SequencedStream(MEMBER_EVENTS, request, run, watcher, memberId, last, perEventQuery(request, MEMBER_EVENTS));
}
