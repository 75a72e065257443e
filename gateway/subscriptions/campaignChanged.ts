import { Kind, parse, type ExecutionResult } from 'graphql';
import type { LedgerWatcher } from './fanOut';
import {
  argumentOf,
  derivedQuery,
  errorResult,
  fieldArguments,
  rootFieldQuery,
  type RunOperation,
  type SubscriptionRequest,
} from './operations';
import { sequencedStream } from './sequencedStream';

/** Access, and where the stream stands: the very read `campaign(id)` is, so a refusal is its refusal. */
const START = parse('query($c: ID!) { campaign(id: $c) { id lastEventSequence } }');
const EVENTS_AFTER = parse(
  'query($c: ID!, $a: Int!, $f: Int) { campaignEvents(campaignId: $c, afterSequence: $a, first: $f) { sequence } }',
);

/**
 * The stream of one `campaignChanged(campaignId, afterSequence)` subscription: the campaign's own
 * events in the members outbox (a stream keyed by its id, numbered from 1 with no gaps under the
 * campaign's row lock), each resolved by running the subscriber's selection as
 * `campaignEvent(campaignId, sequence)` for the subscriber. The funder and the operator only: the
 * start reads the campaign as `campaign(id)` does, so anyone else gets that query's error and nothing
 * streams. The ledger watcher wakes it, since the members relay publishes a campaign's events with
 * the members'.
 */
export async function campaignChanged(
  { args, caller, operation, field, backlog }: SubscriptionRequest,
  run: RunOperation,
  watcher: LedgerWatcher,
): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  const argument = fieldArguments(field, variables);
  const start = await run(START, { c: String(argument('campaignId')) }, caller);
  if (start.errors?.length) return { errors: start.errors } as ExecutionResult;
  // The campaign's id as the outbox keys its stream (and the watcher names it), however the client spelt it.
  const { id: campaignId, lastEventSequence } = (start.data as { campaign: { id: string; lastEventSequence: number } }).campaign;
  const afterSequence = (argument('afterSequence') as number | null | undefined) ?? lastEventSequence;
  if (!Number.isInteger(afterSequence) || afterSequence < 0) return errorResult('afterSequence must be 0 or more', 'BAD_USER_INPUT');

  const perEvent = derivedQuery(args.document, `campaignEvent:${args.operationName ?? ''}`, () =>
    rootFieldQuery(
      args.document,
      operation,
      field,
      {
        ...field,
        name: { kind: Kind.NAME, value: 'campaignEvent' },
        arguments: [argumentOf('campaignId', '__campaignId'), argumentOf('sequence', '__sequence')],
      },
      { __campaignId: 'ID!', __sequence: 'Int!' },
    ),
  );
  return sequencedStream({
    streamId: campaignId,
    afterSequence,
    watcher,
    backlog,
    resolve: (sequence) =>
      run(perEvent, { ...variables, __campaignId: campaignId, __sequence: sequence }, caller, args.operationName ?? undefined),
    sequencesAfter: async (after, first) => {
      const page = await run(EVENTS_AFTER, { c: campaignId, a: after, f: first }, caller);
      if (page.errors?.length) return { errors: page.errors };
      return { sequences: (page.data as { campaignEvents: { sequence: number }[] }).campaignEvents.map((e) => e.sequence) };
    },
  });
}
