import { Kind, type ExecutionResult } from 'graphql';
import { coalesced } from '../../shared/coalesce';
import { EventQueue } from './eventQueue';
import type { PositionWatcher } from './fanOut';
import {
  argumentOf,
  derivedQuery,
  errorResult,
  fieldArguments,
  rootFieldQuery,
  type RunOperation,
  type SubscriptionRequest,
} from './operations';

/**
 * The stream of one `partnerPositionChanged(partnerId)` subscription: the position now, then after
 * each change, read as `partner(id) { position { ...selection } }`. Only the latest position
 * matters, so changes signalled while a read runs make one read more, not one each.
 */
export async function positionChanged(
  { args, caller, operation, field, backlog }: SubscriptionRequest,
  run: RunOperation,
  positions: PositionWatcher,
): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  const partnerId = String(fieldArguments(field, variables)('partnerId') ?? '');
  const key = field.alias?.value ?? field.name.value;
  const perChange = derivedQuery(args.document, `partner:${args.operationName ?? ''}`, () =>
    rootFieldQuery(
      args.document,
      operation,
      field,
      {
        kind: Kind.FIELD,
        name: { kind: Kind.NAME, value: 'partner' },
        arguments: [argumentOf('id', '__partnerId')],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [{ ...field, alias: undefined, name: { kind: Kind.NAME, value: 'position' }, arguments: [] }],
        },
      },
      { __partnerId: 'ID!' },
    ),
  );
  const read = async (): Promise<ExecutionResult> => {
    const result = await run(perChange, { ...variables, __partnerId: partnerId }, caller, args.operationName ?? undefined);
    const partner = (result.data as Record<string, { position: unknown } | null> | null | undefined)?.[key];
    return { ...(result.errors ? { errors: result.errors } : {}), data: partner ? { [key]: partner.position } : null };
  };
  // Access first: a refused subscription gets its error and nothing streams.
  const first = await read();
  if (first.errors?.length) return { errors: first.errors } as ExecutionResult;
  const queue: EventQueue<ExecutionResult> = new EventQueue(() => stopWatching(), backlog);
  const reader = coalesced(
    async () => queue.push(await read()),
    (error) => queue.push(errorResult(`The position stream failed: ${(error as Error).message}`, 'UPSTREAM_UNAVAILABLE')),
  );
  const refresh = () => void reader.trigger();
  const stopWatching = positions.watch(partnerId, refresh);
  queue.push(first);
  return queue;
}
