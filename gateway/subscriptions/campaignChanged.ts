import { parse, type ExecutionResult } from 'graphql';
import type { LedgerWatcher } from './fanOut';
import { errorResult, fieldArguments, type RunOperation, type SubscriptionRequest } from './operations';
import { perEventQuery, SequencedStream, type SequencedKind } from './sequencedStream';

/** Access, and where the stream stands: the very read `campaign(id)` is, so a refusal is its refusal. */
const START = parse('query($c: ID!) { campaign(id: $c) { id lastEventSequence } }');

/** A campaign's events: listed by `campaignEvents`, each resolved as `campaignEvent(campaignId, sequence)`. */
const CAMPAIGN_EVENTS: SequencedKind = {
  eventsAfter: parse(
    'query($id: ID!, $after: Int!, $first: Int) { campaignEvents(campaignId: $id, afterSequence: $after, first: $first) { sequence } }',
  ),
  eventsField: 'campaignEvents',
  eventField: 'campaignEvent',
  idArgument: 'campaignId',
};

/**
 * The stream of one `campaignChanged(campaignId, afterSequence)` subscription: the campaign's own
 * events in the members outbox (a stream keyed by its id, numbered from 1 with no gaps under the
 * campaign's row lock), in order with no gap (sequencedStream.ts), each resolved by running the
 * subscriber's selection as `campaignEvent(campaignId, sequence)`. The funder and the operator
 * only: the start reads the campaign as `campaign(id)` does, so anyone else gets that query's error
 * and nothing streams. The ledger watcher wakes it, since the members relay publishes a campaign's
 * events with the members'.
 */
export async function campaignChanged(
  request: SubscriptionRequest,
  run: RunOperation,
  watcher: LedgerWatcher,
): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
  const argument = fieldArguments(request.field, (request.args.variableValues ?? {}) as Record<string, unknown>);
  const start = await run(START, { c: String(argument('campaignId')) }, request.caller);
  if (start.errors?.length) return { errors: start.errors } as ExecutionResult;
  // The campaign's id as the outbox keys its stream (and the watcher names it), however the client spelt it.
  const { id: campaignId, lastEventSequence } = (start.data as { campaign: { id: string; lastEventSequence: number } }).campaign;
  const last = (argument('afterSequence') as number | null | undefined) ?? lastEventSequence;
  if (!Number.isInteger(last) || last < 0) return errorResult('afterSequence must be 0 or more', 'BAD_USER_INPUT');
  return new SequencedStream(CAMPAIGN_EVENTS, request, run, watcher, campaignId, last, perEventQuery(request, CAMPAIGN_EVENTS));
}
