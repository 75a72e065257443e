import type { Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { EventBus } from '../../shared/eventBus';
import type { Caller } from '../../shared/identity';
import type { SubgraphClient } from '../../shared/internalClient';
import type { GatewayContext } from '../context';
import { observeGauge } from '../../shared/metrics';
import { gatewayMetrics } from '../metrics';
import { environmentTrustedDocuments, trustedDocumentFor } from '../trustedDocuments';
import { balanceChanged } from './balanceChanged';
import { campaignChanged } from './campaignChanged';
import type { Backlog } from './eventQueue';
import { LedgerWatcher, PositionWatcher } from './fanOut';
import {
  CallerConnections,
  CLOSE_SLOW_CONSUMER,
  CLOSE_TOO_MANY_CONNECTIONS,
  CLOSE_UNAUTHENTICATED,
  CONNECTION_INIT_WAIT_MS,
  KEEP_ALIVE_MS,
  MAX_BUFFERED_BYTES,
  MAX_CONNECTIONS_PER_CALLER,
  MAX_MESSAGE_BYTES,
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  SWEEP_MS,
} from './limits';
import { errorResult, type RunOperation } from './operations';
import { positionChanged } from './positionChanged';
import { Connection, serveGraphqlWs } from './wsAdapter';
import { createLogger } from '../../shared/logger';

const log = createLogger('subscriptions');

/**
 * Subscriptions at the gateway, over graphql-ws (the graphql-transport-ws protocol) on the same
 * /graphql URL as queries; the protocol as this gateway speaks it is in PROTOCOL.md beside this
 * file. @apollo/gateway executes no subscriptions, so this folder does, keeping the federated query
 * path for everything but the event itself: each event is resolved by running the subscriber's own
 * selection as a query through the gateway with the subscriber's identity, so every subgraph field
 * works, batched by the subgraphs' DataLoaders, and every access rule applies as for HTTP.
 *
 * This module configures graphql-ws (served on the `ws` socket server by wsAdapter.ts), authenticates
 * and counts connections (limits.ts), and hands each subscription to its stream (balanceChanged.ts,
 * campaignChanged.ts, positionChanged.ts), which the watchers of fanOut.ts wake.
 */

/**
 * What the gateway keeps per connection, on the adapter's Connection (one object per connection).
 * It is also the backlog its subscriptions' queues report to.
 */
class SubscriberConnection extends Connection implements Backlog {
  caller: Caller | null = null;
  /** The key CallerConnections counted this connection under, once admitted. */
  callerKey: string | null = null;
  subscriptions = 0;
  /** Bytes of results its subscriptions' queues hold, not yet taken by graphql-ws (eventQueue.ts). */
  queuedBytes = 0;

  add(bytes: number): void {
    this.queuedBytes += bytes;
    this.closeIfSlow();
  }

  remove(bytes: number): void {
    this.queuedBytes -= bytes;
  }

  /**
   * A slow consumer is closed once what the gateway holds for it unsent passes MAX_BUFFERED_BYTES:
   * bytes in the socket (at most one message per subscription, as graphql-ws waits for each send)
   * plus results its subscriptions resolved that wait in their queues. Checked when a result is
   * queued for it and before each message goes out.
   */
  closeIfSlow(): void {
    const { socket } = this;
    if (socket.readyState !== socket.OPEN || socket.bufferedAmount + this.queuedBytes <= MAX_BUFFERED_BYTES) return;
    socket.close(CLOSE_SLOW_CONSUMER, `Slow consumer: over ${MAX_BUFFERED_BYTES} bytes unsent`);
  }
}

/**
 * Distinct subscription texts kept parsed. Frontends send the same few documents, so each is parsed
 * and validated once and its one syntax tree is shared by all its subscriptions (with the queries
 * derived from it, operations.ts), instead of a copy per subscription; the bound keeps a caller
 * sending endless variants from growing the cache.
 */
const SUBSCRIPTION_DOCUMENTS = 500;

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
  /** The secret the services share: the relay's signals are signed with it. */
  secret: string;
  /** Extra validation (query shape limits) on top of GraphQL's own rules, as for HTTP. */
  validationRules: readonly ValidationRule[];
  /** Runs a query the streams derived, already validated, outside Apollo Server's pipeline (FastGateway.runDerived). */
  runDerived(
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown>,
    context: GatewayContext,
  ): Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLError[] }>;
  /** The scope rule of partner API keys (gateway/scopes.ts): null when the caller may run the document. */
  checkScopes(document: DocumentNode, schema: GraphQLSchema, caller: Caller): GraphQLError | null;
  /** What callers see of an error (the gateway's own internal errors masked), as for HTTP. */
  formatError(error: GraphQLFormattedError): GraphQLFormattedError;
}): SubscriptionServer {
  const { apollo } = options;
  const watcher = new LedgerWatcher(options.members, options.bus, options.secret);
  const positions = new PositionWatcher(options.bus);
  const connections = new CallerConnections();

  const documents = new LRUCache<string, DocumentNode>({ max: SUBSCRIPTION_DOCUMENTS });
  const parseOnce = (source: string): DocumentNode => {
    let document = documents.get(source);
    if (!document) documents.set(source, (document = parse(source)));
    return document;
  };
  // Per schema (a new supergraph gets a new one) and document: the verdict of GraphQL's rules and ours.
  const validated = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();
  const validateOnce = (schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] => {
    let bySchema = validated.get(schema);
    if (!bySchema) validated.set(schema, (bySchema = new WeakMap()));
    let errors = bySchema.get(document);
    if (!errors) bySchema.set(document, (errors = validate(schema, document, [...specifiedRules, ...options.validationRules])));
    return errors;
  };
  // The text each document runs as: the streams' documents are shared and fixed, so printed once.
  const printed = new WeakMap<DocumentNode, string>();
  const printOnce = (document: DocumentNode): string => {
    let text = printed.get(document);
    if (text === undefined) printed.set(document, (text = print(document)));
    return text;
  };

  // Per document and set of scopes: the scope rule's verdict (documents here are shared and fixed).
  const scopeVerdicts = new WeakMap<DocumentNode, Map<string, GraphQLError | null>>();
  const scopesRefusal = (document: DocumentNode, schema: GraphQLSchema, caller: Caller): GraphQLError | null => {
    if (caller.kind !== 'partner' || !caller.scopes) return null;
    const key = [...caller.scopes].sort().join(' ');
    let byScopes = scopeVerdicts.get(document);
    if (!byScopes) scopeVerdicts.set(document, (byScopes = new Map()));
    let verdict = byScopes.get(key);
    if (verdict === undefined) byScopes.set(key, (verdict = options.checkScopes(document, schema, caller)));
    return verdict;
  };
  const asCallerSees = (error: GraphQLError): GraphQLError => {
    const formatted = options.formatError(error.toJSON());
    return new GraphQLError(formatted.message, { path: formatted.path, extensions: formatted.extensions });
  };

  /**
   * What the streams run: the queries they derive from a subscription (its selection per event) and
   * their own fixed ones, straight to the gateway's executor. Apollo Server's pipeline around an
   * operation (hashing its text, HTTP negotiation, plugins) cost more than running it; what it
   * would check is checked here instead, once per document: validation with the same rules, and
   * the API key's scopes. Every event is still answered by the subgraphs for this caller.
   */
  const runStream: RunOperation = async (document, variables, caller, operationName) => {
    const schema = options.schema();
    const invalid = validateOnce(schema, document);
    if (invalid.length > 0) return { errors: invalid.map(asCallerSees) };
    const refused = scopesRefusal(document, schema, caller);
    if (refused) return { errors: [refused] };
    try {
      const { data, errors } = await options.runDerived(document, operationName, variables, { caller, sqlStatements: 0 });
      return { data, ...(errors?.length ? { errors: errors.map(asCallerSees) } : {}) };
    } catch (error) {
      log.error({ err: error }, 'a subscription stream operation failed');
      return errorResult('Internal server error', 'INTERNAL_SERVER_ERROR');
    }
  };

  /** Queries and mutations a client sends over the socket: Apollo Server's whole path, as over HTTP. */
  const run: RunOperation = async (document, variables, caller, operationName) => {
    const response = await apollo.executeOperation(
      { query: printOnce(document), variables, operationName },
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

  const server = serveGraphqlWs<{ authorization?: string; Authorization?: string }, SubscriberConnection>(
    {
      httpServer: options.httpServer,
      path: '/graphql',
      maxPayloadBytes: MAX_MESSAGE_BYTES,
      keepAliveMs: KEEP_ALIVE_MS,
      connectionInitWaitMs: CONNECTION_INIT_WAIT_MS,
      sweepMs: SWEEP_MS,
      connect: (socket) => new SubscriberConnection(socket),
    },
    {
      schema: () => options.schema(),
      parse: (source) => parseOnce(typeof source === 'string' ? source : source.body),
      validate: (schema, document) => [...validateOnce(schema, document)],
      onConnect: async (ctx) => {
        const connection = ctx.extra;
        const params = ctx.connectionParams;
        // The credential is not kept for the connection's lifetime once read (a thousand idle
        // subscriptions would hold a thousand): only the caller it names. The adapter keeps no
        // HTTP upgrade request either.
        (ctx as { connectionParams?: unknown }).connectionParams = undefined;
        try {
          connection.caller = await options.authenticate({ authorization: params?.authorization ?? params?.Authorization });
        } catch (error) {
          connection.close(CLOSE_UNAUTHENTICATED, (error as Error).message);
          return false;
        }
        const key = connections.admit(connection.caller);
        if (key === null) {
          connection.close(CLOSE_TOO_MANY_CONNECTIONS, `At most ${MAX_CONNECTIONS_PER_CALLER} connections per caller`);
          return false;
        }
        connection.callerKey = key;
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.callerKey) connections.release(ctx.extra.callerKey);
      },
      onSubscribe: (ctx, _id, payload) => {
        const state = ctx.extra;
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
        ctx.extra.subscriptions -= 1;
      },
      onNext: (ctx) => {
        gatewayMetrics.subscriptionEvents.inc();
        ctx.extra.closeIfSlow();
      },
      // Queries and mutations sent over the socket take the HTTP path, with the same rules.
      execute: (args) => {
        const caller = (args.contextValue as SubscriberConnection).caller!;
        const operation = args.document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
        return run(args.document, (args.variableValues ?? {}) as Record<string, unknown>, caller, operation?.name?.value);
      },
      subscribe: (args) => {
        const connection = args.contextValue as SubscriberConnection;
        const caller = connection.caller!;
        const operation = args.document.definitions.find(
          (d): d is OperationDefinitionNode =>
            d.kind === Kind.OPERATION_DEFINITION && (!args.operationName || d.name?.value === args.operationName),
        );
        const field = operation?.selectionSet.selections[0];
        if (!operation || field?.kind !== Kind.FIELD) return errorResult('A subscription selects one field', 'BAD_USER_INPUT');
        const request = { args, caller, operation, field, backlog: connection };
        if (field.name.value === 'balanceChanged') return balanceChanged(request, runStream, watcher);
        if (field.name.value === 'partnerPositionChanged') return positionChanged(request, runStream, positions);
        if (field.name.value === 'campaignChanged') return campaignChanged(request, runStream, watcher);
        return errorResult(`Subscription ${field.name.value} is not served`, 'BAD_USER_INPUT');
      },
      // The connection itself: no context object per operation.
      context: (ctx) => ctx.extra as unknown as Record<PropertyKey, unknown>,
    },
  );
  // Read at scrape time from the connections themselves, so no path that closes one can leave a count behind.
  const unobserve = [
    observeGauge({ name: 'coalition_gateway_websocket_connections', help: 'Open graphql-ws connections' }, () => server.size),
    observeGauge({ name: 'coalition_gateway_subscriptions', help: 'Open operations over graphql-ws (subscriptions)' }, () => {
      let open = 0;
      for (const connection of server.connections()) open += connection.subscriptions;
      return open;
    }),
  ];

  return {
    async stop() {
      for (const remove of unobserve) remove();
      await server.dispose();
      await watcher.stop();
      await positions.stop();
    },
  };
}
