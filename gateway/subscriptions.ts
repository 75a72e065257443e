import type { Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  print,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { coalesced } from '../shared/coalesce';
import type { EventBus } from '../shared/eventBus';
import { LEDGER_EVENTS_CHANNEL, POSITION_EVENTS_CHANNEL } from '../shared/eventBus';
import type { Caller } from '../shared/identity';
import type { SubgraphClient } from '../shared/internalClient';
import { environmentTrustedDocuments, trustedDocumentFor } from './trustedDocuments';
import type { GatewayContext } from './context';

/**
 * Subscriptions at the gateway, over graphql-ws (the graphql-transport-ws protocol) on the same
 * /graphql URL as queries. @apollo/gateway executes no subscriptions, so this module does, keeping
 * the federated query path for everything but the event itself:
 *
 * 1. `balanceChanged(memberId, afterSequence)` is a stream of "member M has events after N": the
 *    ledger feed (woken by the event bus, read from the ledger's durable outbox) says which members
 *    had events; each subscription then reads that member's events after the last one it delivered,
 *    by sequence, so it delivers every event once, in order, with no gap, whatever it missed (a
 *    reconnect with `afterSequence` first replays from the outbox).
 * 2. Each event is resolved by running the subscriber's own selection as a query,
 *    `memberEvent(memberId, sequence) { ...selection }`, through the gateway with the subscriber's
 *    identity: every subgraph field works (member, tier, redemptions, affordable rewards), batched by
 *    the subgraphs' DataLoaders, and every access rule applies as for HTTP.
 */

/** Limits on what one caller can hold open. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
export const MAX_CONNECTIONS_PER_CALLER = 10;
/** A subscriber whose socket has this much unsent is closed rather than let memory grow. */
export const MAX_BUFFERED_BYTES = 1_000_000;
export const KEEP_ALIVE_MS = 12_000;
/** Largest message a client may send, as the HTTP body limit. */
export const MAX_MESSAGE_BYTES = 100_000;
/** Close codes (4000-4999 are the application's). */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_TOO_MANY_CONNECTIONS = 4429;
export const CLOSE_SLOW_CONSUMER = 4408;

const REPLAY_BATCH = 100;
const FEED_BATCH = 500;

interface ConnectionState {
  caller?: Caller;
  callerKey?: string;
  subscriptions: number;
}

/** Follows the ledger's published events and tells subscribers which members had some. */
class LedgerWatcher {
  private position: bigint | null = null;
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly reader = coalesced(
    () => this.readNewEvents(),
    (error) => console.error(`[gateway] ledger watcher: ${(error as Error).message}`),
  );
  private unsubscribe: Promise<() => Promise<void>> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly members: SubgraphClient,
    private readonly bus: EventBus,
  ) {}

  /** Registers interest in a member; returns the function that ends it. */
  watch(memberId: string, onEvents: () => void): () => void {
    this.start();
    const set = this.listeners.get(memberId) ?? new Set();
    set.add(onEvents);
    this.listeners.set(memberId, set);
    return () => {
      set.delete(onEvents);
      if (set.size === 0) this.listeners.delete(memberId);
    };
  }

  private start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.bus.subscribe(LEDGER_EVENTS_CHANNEL, () => this.poll());
    // The bus is a wake-up call; the timer catches a missed one.
    this.timer = setInterval(() => this.poll(), 1000);
    this.timer.unref();
    this.poll();
  }

  private poll(): void {
    void this.reader.trigger();
  }

  private async readNewEvents(): Promise<void> {
    if (this.position === null) {
      const { ledgerHead } = await this.members.request<{ ledgerHead: string }>('{ ledgerHead }', {});
      this.position = BigInt(ledgerHead);
    }
    for (;;) {
      const after: bigint = this.position;
      const page: { ledgerEvents: { position: string; memberId: string }[] } = await this.members.request(
        'query($after: Long!, $first: Int!) { ledgerEvents(afterPosition: $after, first: $first) { position memberId } }',
        { after: after.toString(), first: FEED_BATCH },
      );
      const { ledgerEvents } = page;
      const touched = new Set<string>();
      for (const event of ledgerEvents) {
        this.position = BigInt(event.position);
        touched.add(event.memberId);
      }
      for (const memberId of touched) for (const listener of this.listeners.get(memberId) ?? []) listener();
      if (ledgerEvents.length < FEED_BATCH) return;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await (
      await this.unsubscribe
    )?.();
    await this.reader.settled();
  }
}

/** Tells position subscribers when settlement signals that their partner's position moved. */
class PositionWatcher {
  private readonly listeners = new Map<string, Set<() => void>>();
  private unsubscribe: Promise<() => Promise<void>> | null = null;

  constructor(private readonly bus: EventBus) {}

  watch(partnerId: string, onChange: () => void): () => void {
    this.unsubscribe ??= this.bus.subscribe(POSITION_EVENTS_CHANNEL, (message) => {
      let partnerIds: unknown;
      try {
        partnerIds = (JSON.parse(message) as { partnerIds?: unknown }).partnerIds;
      } catch {
        return;
      }
      if (!Array.isArray(partnerIds)) return;
      for (const id of partnerIds) for (const listener of this.listeners.get(String(id)) ?? []) listener();
    });
    const set = this.listeners.get(partnerId) ?? new Set();
    set.add(onChange);
    this.listeners.set(partnerId, set);
    return () => {
      set.delete(onChange);
      if (set.size === 0) this.listeners.delete(partnerId);
    };
  }

  async stop(): Promise<void> {
    await (
      await this.unsubscribe
    )?.();
  }
}

/**
 * The subscription operation turned into a query whose root field is `replacement` (carrying the
 * subscriber's selection), under the same response key, with variables `extraVariables` added.
 */
function rootFieldQuery(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  field: FieldNode,
  replacement: FieldNode,
  extraVariables: Record<string, 'ID!' | 'Int!'>,
): DocumentNode {
  const variable = (name: string) => ({ kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } }) as const;
  const query: OperationDefinitionNode = {
    ...operation,
    operation: 'query' as OperationDefinitionNode['operation'],
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []),
      ...Object.entries(extraVariables).map(([name, type]) => ({
        kind: Kind.VARIABLE_DEFINITION as const,
        variable: variable(name),
        type: {
          kind: Kind.NON_NULL_TYPE as const,
          type: { kind: Kind.NAMED_TYPE as const, name: { kind: Kind.NAME as const, value: type.slice(0, -1) } },
        },
      })),
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [{ ...replacement, alias: { kind: Kind.NAME, value: field.alias?.value ?? field.name.value } }],
    },
  };
  // Variables only the subscription's own arguments used would fail validation ("never used").
  const used = new Set<string>();
  const collect = (node: unknown) =>
    visit(node as DocumentNode, {
      VariableDefinition: () => false,
      Variable: (variableNode) => {
        used.add(variableNode.name.value);
      },
    });
  collect(query.selectionSet);
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) collect(definition);
  const pruned = { ...query, variableDefinitions: query.variableDefinitions?.filter((v) => used.has(v.variable.name.value)) };
  return { ...document, definitions: document.definitions.map((d) => (d === operation ? pruned : d)) };
}

/** A queue the subscription's async iterator reads; `close` ends it. */
class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;

  constructor(private readonly onClose: () => void) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

function argumentOf(name: string, variableName: string) {
  return {
    kind: Kind.ARGUMENT as const,
    name: { kind: Kind.NAME as const, value: name },
    value: { kind: Kind.VARIABLE as const, name: { kind: Kind.NAME as const, value: variableName } },
  };
}

function errorResult(message: string, code: string): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

export interface SubscriptionServer {
  stop(): Promise<void>;
}

/** Serves graphql-ws on the gateway's HTTP server at /graphql. */
export function startSubscriptionServer(options: {
  httpServer: Server;
  apollo: ApolloServer<GatewayContext>;
  schema: () => GraphQLSchema;
  authenticate: (headers: { authorization?: string }) => Promise<Caller>;
  members: SubgraphClient;
  bus: EventBus;
  /** Extra validation (query shape limits) on top of GraphQL's own rules, as for HTTP. */
  validationRules: readonly ValidationRule[];
}): SubscriptionServer {
  const { apollo } = options;
  const watcher = new LedgerWatcher(options.members, options.bus);
  const positions = new PositionWatcher(options.bus);
  const connectionsPerCaller = new Map<string, number>();
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });
  const states = new WeakMap<WebSocket, ConnectionState>();
  const stateOf = (socket: WebSocket) => {
    let state = states.get(socket);
    if (!state) {
      state = { subscriptions: 0 };
      states.set(socket, state);
    }
    return state;
  };

  const run = async (
    document: DocumentNode,
    variables: Record<string, unknown>,
    caller: Caller,
    operationName?: string,
  ): Promise<ExecutionResult> => {
    const response = await apollo.executeOperation(
      { query: print(document), variables, operationName },
      { contextValue: { caller, sqlStatements: 0 } },
    );
    if (response.body.kind !== 'single') return errorResult('Incremental delivery is not supported here', 'BAD_USER_INPUT');
    const { data, errors } = response.body.singleResult;
    // graphql-ws serialises GraphQLError instances; Apollo hands back formatted plain objects.
    return {
      data: data as ExecutionResult['data'],
      ...(errors?.length ? { errors: errors.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })) } : {}),
    };
  };

  /** The stream of one `balanceChanged` subscription. */
  const balanceChanged = async (args: ExecutionArgs, caller: Caller, operation: OperationDefinitionNode, field: FieldNode) => {
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
    const start = await run(parse('query($m: ID!) { lastMemberEventSequence(memberId: $m) }'), { m: memberId }, caller);
    if (start.errors?.length) return { errors: start.errors } as ExecutionResult;
    let last = afterSequence ?? (start.data as { lastMemberEventSequence: number }).lastMemberEventSequence;
    if (!Number.isInteger(last) || last < 0) return errorResult('afterSequence must be 0 or more', 'BAD_USER_INPUT');

    const perEvent = rootFieldQuery(
      args.document,
      operation,
      field,
      {
        ...field,
        name: { kind: Kind.NAME, value: 'memberEvent' },
        arguments: [argumentOf('memberId', '__memberId'), argumentOf('sequence', '__sequence')],
      },
      { __memberId: 'ID!', __sequence: 'Int!' },
    );
    const queue: EventQueue<ExecutionResult> = new EventQueue(() => stopWatching());
    // Reads the member's events after the last delivered, oldest first, until there are none.
    const reader = coalesced(
      async () => {
        for (;;) {
          const page = await run(
            parse('query($m: ID!, $a: Int!, $f: Int) { memberEvents(memberId: $m, afterSequence: $a, first: $f) { sequence } }'),
            { m: memberId, a: last, f: REPLAY_BATCH },
            caller,
          );
          if (page.errors?.length) {
            queue.push({ errors: page.errors });
            queue.close();
            return;
          }
          const sequences = (page.data as { memberEvents: { sequence: number }[] }).memberEvents.map((e) => e.sequence);
          for (const sequence of sequences) {
            const result = await run(
              perEvent,
              { ...variables, __memberId: memberId, __sequence: sequence },
              caller,
              args.operationName ?? undefined,
            );
            last = sequence;
            queue.push(result);
          }
          if (sequences.length < REPLAY_BATCH) return;
        }
      },
      (error) => {
        queue.push(errorResult(`The event stream failed: ${(error as Error).message}`, 'UPSTREAM_UNAVAILABLE'));
        queue.close();
      },
    );
    const drain = () => void reader.trigger();
    const stopWatching = watcher.watch(memberId, drain);
    drain();
    return queue;
  };

  /** The stream of one `partnerPositionChanged` subscription: the position now, then after each change. */
  const positionChanged = async (args: ExecutionArgs, caller: Caller, operation: OperationDefinitionNode, field: FieldNode) => {
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const node = field.arguments?.find((a) => a.name.value === 'partnerId')?.value;
    const partnerId = node?.kind === Kind.VARIABLE ? String(variables[node.name.value]) : node?.kind === Kind.STRING ? node.value : '';
    const key = field.alias?.value ?? field.name.value;
    const perChange = rootFieldQuery(
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
    );
    const read = async (): Promise<ExecutionResult> => {
      const result = await run(perChange, { ...variables, __partnerId: partnerId }, caller, args.operationName ?? undefined);
      const partner = (result.data as Record<string, { position: unknown } | null> | null | undefined)?.[key];
      return { ...(result.errors ? { errors: result.errors } : {}), data: partner ? { [key]: partner.position } : null };
    };
    // Access first: a refused subscription gets its error and nothing streams.
    const first = await read();
    if (first.errors?.length) return { errors: first.errors } as ExecutionResult;
    const queue: EventQueue<ExecutionResult> = new EventQueue(() => stopWatching());
    const reader = coalesced(
      async () => queue.push(await read()),
      (error) => queue.push(errorResult(`The position stream failed: ${(error as Error).message}`, 'UPSTREAM_UNAVAILABLE')),
    );
    const refresh = () => void reader.trigger();
    const stopWatching = positions.watch(partnerId, refresh);
    queue.push(first);
    return queue;
  };

  const server = useServer<{ authorization?: string; Authorization?: string }>(
    {
      schema: () => options.schema(),
      validate: (schema, document) => validate(schema, document, [...specifiedRules, ...options.validationRules]),
      onConnect: async (ctx) => {
        const state = stateOf(ctx.extra.socket);
        try {
          state.caller = await options.authenticate({
            authorization: ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization,
          });
        } catch (error) {
          ctx.extra.socket.close(CLOSE_UNAUTHENTICATED, (error as Error).message);
          return false;
        }
        const key = JSON.stringify(state.caller);
        const open = connectionsPerCaller.get(key) ?? 0;
        if (open >= MAX_CONNECTIONS_PER_CALLER) {
          ctx.extra.socket.close(CLOSE_TOO_MANY_CONNECTIONS, `At most ${MAX_CONNECTIONS_PER_CALLER} connections per caller`);
          return false;
        }
        connectionsPerCaller.set(key, open + 1);
        state.callerKey = key;
        return true;
      },
      onClose: (ctx) => {
        const state = stateOf(ctx.extra.socket);
        if (!state.callerKey) return;
        const open = (connectionsPerCaller.get(state.callerKey) ?? 1) - 1;
        if (open <= 0) connectionsPerCaller.delete(state.callerKey);
        else connectionsPerCaller.set(state.callerKey, open);
      },
      onSubscribe: (ctx, _id, payload) => {
        const state = stateOf(ctx.extra.socket);
        // Trusted-documents mode holds partners to the manifest over the socket too (gateway/trustedDocuments.ts):
        // graphql-ws always sends the document's text, so it is that text which must be listed.
        const trusted = environmentTrustedDocuments();
        const refused = trusted && state.caller ? trustedDocumentFor(trusted, state.caller, { query: payload.query }).error : undefined;
        if (refused) return [refused];
        if (state.subscriptions >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [
            new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`, {
              extensions: { code: 'LIMIT_EXCEEDED' },
            }),
          ];
        }
        state.subscriptions += 1;
        return undefined;
      },
      onComplete: (ctx) => {
        stateOf(ctx.extra.socket).subscriptions -= 1;
      },
      onNext: (ctx) => {
        if (ctx.extra.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          ctx.extra.socket.close(CLOSE_SLOW_CONSUMER, `Slow consumer: over ${MAX_BUFFERED_BYTES} bytes unsent`);
        }
      },
      // Queries and mutations sent over the socket take the HTTP path, with the same rules.
      execute: (args) => {
        const caller = stateOf((args.contextValue as { socket: WebSocket }).socket).caller!;
        const operation = args.document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
        return run(args.document, (args.variableValues ?? {}) as Record<string, unknown>, caller, operation?.name?.value);
      },
      subscribe: (args) => {
        const caller = stateOf((args.contextValue as { socket: WebSocket }).socket).caller!;
        const operation = args.document.definitions.find(
          (d): d is OperationDefinitionNode =>
            d.kind === Kind.OPERATION_DEFINITION && (!args.operationName || d.name?.value === args.operationName),
        );
        const field = operation?.selectionSet.selections[0];
        if (!operation || field?.kind !== Kind.FIELD) return errorResult('A subscription selects one field', 'BAD_USER_INPUT');
        if (field.name.value === 'balanceChanged') return balanceChanged(args, caller, operation, field);
        if (field.name.value === 'partnerPositionChanged') return positionChanged(args, caller, operation, field);
        return errorResult(`Subscription ${field.name.value} is not served`, 'BAD_USER_INPUT');
      },
      context: (ctx) => ({ socket: ctx.extra.socket }),
    },
    wsServer,
    KEEP_ALIVE_MS,
  );

  return {
    async stop() {
      await server.dispose();
      await watcher.stop();
      await positions.stop();
    },
  };
}
