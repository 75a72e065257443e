import './privateByDefault';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { EventBus } from '../shared/eventBus';
import { SubgraphClient } from '../shared/internalClient';
import { startSubscriptionServer, type SubscriptionServer } from './subscriptions/server';
import { mode } from '../shared/config';
import { callerActor, callSigner, type Caller } from '../shared/identity';
import { FastGateway } from './fastGateway';
import { EntityCache, shareWrites } from './entityCache';
import { DRAIN_TIMEOUT_MS, keepConnectionsAlive, PRIVATE_BY_DEFAULT_PLUGINS, type RunningServer } from '../shared/subgraphServer';
import type { GatewayContext } from './context';
import { createAuthenticator } from './credentials';
import { EXPLORER_ASSETS_PATH, explorerEnabled, explorerHandlers } from './explorer/server';
import { introspectionEnabled, requestErrorStatusPlugin, subscriptionsOverWebSocketPlugin } from './graphqlOverHttp';
import { corsPolicy, QUERY_LIMITS, queryArmor, rateLimiter } from './protection';
import { scopesCheck, scopesPlugin } from './scopes';
import { requestMetricsPlugin } from './metrics';
import { trustedDocumentsFromEnvironment } from './trustedDocuments';
import { publicApiSchemaSdl } from '../shared/supergraph';
import type { SharedState } from './sharedState';
import { createLogger } from '../shared/logger';

const log = createLogger('gateway');

/** Largest request body the gateway reads. */
export const MAX_REQUEST_BODY_BYTES = 100_000;
/** How long /ready waits for each subgraph. */
export const READY_TIMEOUT_MS = 2_000;

export interface GatewayConfig {
  host: string;
  port: number;
  secret: string;
  supergraphSdl: string;
  /**
   * Where subgraphs listen, by their names in the supergraph; overrides its routing URLs. The
   * coalition's own features need its subgraphs: partner API keys are checked with `settlement`,
   * subscriptions read `members`. Served a supergraph without them, the gateway is a plain
   * federation gateway (JWT and demo credentials only, no subscriptions).
   */
  subgraphUrls: Record<string, string>;
  /** The event bus subscriptions are woken by (none: no subscriptions). */
  bus: EventBus | null;
  /** Rate-limit counters and the response cache shared with other replicas (none: this process's memory). */
  sharedState: SharedState | null;
}

/**
 * Subgraph errors reach callers with their code and message (the subgraphs already masked their
 * own internals; an unreachable subgraph is UPSTREAM_UNAVAILABLE, see subgraphFetcher.ts). Anything
 * else the gateway itself raised is logged and masked.
 */
function maskInternalErrors(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  log.error({ error: formatted.message, path: formatted.path }, 'internal error');
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      ...(formatted.extensions?.serviceName ? { serviceName: formatted.extensions.serviceName } : {}),
    },
  };
}

/**
 * A body the gateway could not read (malformed JSON, over MAX_REQUEST_BODY_BYTES, an unsupported
 * encoding) answers as a GraphQL error in JSON, with the reader's status and code, instead of
 * Express's default HTML page, which in development carries the stack trace. Anything else is
 * logged and masked.
 */
function requestBodyErrors(error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction): void {
  if (res.headersSent) return next(error);
  const { status, type } = (error ?? {}) as { status?: number; type?: string };
  const known: Record<string, [status: number, message: string]> = {
    'entity.parse.failed': [400, 'The request body is not valid JSON'],
    'entity.too.large': [413, `The request body is over ${MAX_REQUEST_BODY_BYTES} bytes`],
    'encoding.unsupported': [415, 'The request body has an unsupported content encoding'],
    'charset.unsupported': [415, 'The request body has an unsupported charset'],
  };
  const readable = type ? known[type] : undefined;
  const [statusCode, message]: [number, string] =
    readable ?? (status && status >= 400 && status < 500 ? [status, 'The request body could not be read'] : [500, 'Internal server error']);
  if (statusCode === 500) log.error({ err: error }, 'request failed');
  res
    .status(statusCode)
    .json({ errors: [{ message, extensions: { code: statusCode === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
}

/**
 * Whole responses of public data are cached for anonymous callers (the public catalog), for as long
 * as the subgraphs' cache hints allow (the shortest in the response; none if any part carries no
 * hint). Answers to identified callers are never shared: their cache policy is made PRIVATE, which
 * this cache does not store (no session id) and which tells HTTP caches to keep them to the caller.
 */
function publicResponseCache(cache: KeyValueCache<string> | undefined): ApolloServerPlugin<GatewayContext>[] {
  const anonymous = (context: GatewayContext) => context.caller.kind === 'anonymous';
  return [
    {
      async requestDidStart({ contextValue, overallCachePolicy }) {
        if (!anonymous(contextValue)) overallCachePolicy.restrict({ scope: 'PRIVATE' });
      },
    },
    responseCachePlugin<GatewayContext>({
      // Undefined: Apollo Server's own in-memory cache.
      cache,
      sessionId: async () => null,
      shouldReadFromCache: async ({ contextValue }) => anonymous(contextValue),
      shouldWriteToCache: async ({ contextValue }) => anonymous(contextValue),
    }),
  ];
}

/** Development diagnostic: the SQL statements the subgraphs issued for a request, added up. */
const reportStatementCount: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind === 'single') {
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: contextValue.sqlStatements };
        }
      },
    };
  },
};

export async function startGateway(config: GatewayConfig): Promise<RunningServer> {
  const entityCache = new EntityCache();
  const gateway = new FastGateway<GatewayContext>({
    entityCache,
    supergraphSdl: config.supergraphSdl,
    subgraphUrls: config.subgraphUrls,
    identify: ({ caller }) => ({
      // The caller header once per request; each subgraph call is then signed for its subgraph and
      // its body (docs/DESIGN.md, "Callers"), so a captured call cannot be re-aimed or re-filled.
      sign: callSigner(caller, config.secret),
      // Identical queries in flight are shared per actor (shared/identity.ts), so two API keys of one
      // partner share too. That is safe: what differs between them is their scopes, which the scopes
      // plugin checks per request before execution, and no subgraph answers by scope.
      shareKey: callerActor(caller),
      // Stock is hinted for anonymous callers only (identified callers read it current).
      cachePartition: caller.kind === 'anonymous' ? 'anonymous' : 'identified',
    }),
    onSubgraphResult: (context, result) => {
      const statements = result.extensions?.sqlStatements;
      if (typeof statements === 'number') context.sqlStatements += statements;
    },
  });
  // Other replicas' writes, over the bus; listening starts in the background, so a bus not
  // reachable yet holds up neither start-up nor shutdown.
  const stopSharingWrites = config.bus ? shareWrites(entityCache, config.bus, Object.keys(gateway.subgraphUrls())) : null;
  const app = express();
  // Express announces itself on every response; naming the framework only helps someone looking
  // for its known flaws. (The subgraphs serve on node:http, which adds no such header.)
  app.disable('x-powered-by');
  // Express would hash every response body into a weak ETag (SHA-1 over a deep query's 100 kB,
  // for each request) that only a conditional GET could use: GraphQL requests are POSTs, and
  // Apollo's own server sends no ETag either. The explorer's assets set their own.
  app.set('etag', false);
  const httpServer = createServer(app);
  let subscriptions: SubscriptionServer | null = null;
  const armor = queryArmor();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    formatError: maskInternalErrors,
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    allowBatchedHttpRequests: false,
    introspection: introspectionEnabled(),
    plugins: [
      requestMetricsPlugin<GatewayContext>(),
      requestErrorStatusPlugin<GatewayContext>(),
      subscriptionsOverWebSocketPlugin<GatewayContext>(),
      ...armor.plugins,
      scopesPlugin(config.supergraphSdl),
      ...trustedDocumentsFromEnvironment(),
      ...PRIVATE_BY_DEFAULT_PLUGINS,
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: DRAIN_TIMEOUT_MS }),
      // Open subscriptions complete cleanly before the server stops.
      { serverWillStart: async () => ({ drainServer: async () => subscriptions?.stop() }) },
      ...publicResponseCache(config.sharedState?.responseCache()),
      ...(mode() === 'development' ? [reportStatementCount] : []),
    ],
  });
  await apollo.start();
  const { settlement, members } = gateway.subgraphUrls();
  const authenticate = createAuthenticator(settlement ? new SubgraphClient('settlement', settlement, 'gateway', config.secret) : null);
  if (members && config.bus) {
    subscriptions = startSubscriptionServer({
      httpServer,
      apollo,
      validationRules: armor.validationRules,
      schema: () => gateway.apiSchema,
      runDerived: (document, operationName, variables, context) => gateway.runDerived(document, operationName, variables, context),
      checkScopes: scopesCheck(config.supergraphSdl),
      formatError: maskInternalErrors,
      authenticate: (headers) => authenticate(headers),
      members: new SubgraphClient('members', members, 'gateway', config.secret),
      bus: config.bus,
      secret: config.secret,
    });
  }

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', rssBytes: process.memoryUsage().rss });
  });
  app.get('/ready', async (_req, res) => {
    const checks = await Promise.all(
      Object.entries(gateway.subgraphUrls()).map(async ([name, url]) => {
        const ready = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(READY_TIMEOUT_MS) }).then(
          (response) => response.ok,
          () => false,
        );
        return [name, ready ? 'ready' : 'unavailable'] as const;
      }),
    );
    const allReady = checks.every(([, state]) => state === 'ready');
    res.status(allReady ? 200 : 503).json({ status: allReady ? 'ready' : 'unavailable', subgraphs: Object.fromEntries(checks) });
  });
  // A small member wallet: a page that reads the wallet over HTTP and follows it over graphql-ws.
  app.use('/wallet/vendor/graphql-ws', express.static(join(dirname(require.resolve('graphql-ws/package.json')), 'dist'), { index: false }));
  app.use('/wallet', express.static(join(__dirname, 'wallet')));

  // Statement downloads: the same query a client could send, answered as a file.
  app.get('/exports/statements/:file', async (req, res) => {
    const match = /^([0-9a-f-]{36})\.(csv|json)$/i.exec(req.params.file);
    if (!match) {
      res.status(404).json({ error: 'Ask for /exports/statements/<statement id>.csv or .json' });
      return;
    }
    const [, statementId, format] = match as unknown as [string, string, 'csv' | 'json'];
    let caller: Caller;
    try {
      caller = await authenticate(req.headers);
    } catch (error) {
      res.status(401).json({ error: (error as Error).message });
      return;
    }
    const result = await apollo.executeOperation<{ settlementStatement: { csv: string; json: string } }>(
      { query: `query Export($id: ID!) { settlementStatement(id: $id) { ${format} } }`, variables: { id: statementId } },
      { contextValue: { caller, sqlStatements: 0 } },
    );
    const body = result.body.kind === 'single' ? result.body.singleResult : null;
    const error = body?.errors?.[0];
    if (error || !body?.data) {
      const code = error?.extensions?.code;
      const status =
        code === 'NOT_FOUND' ? 404 : code === 'FORBIDDEN' ? 403 : code === 'UNAUTHENTICATED' ? 401 : code === 'BAD_USER_INPUT' ? 400 : 502;
      res.status(status).json({ error: error?.message ?? 'Export failed', code });
      return;
    }
    res
      .status(200)
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json')
      .set('Content-Disposition', `attachment; filename="statement-${statementId}.${format}"`)
      .send(body.data.settlementStatement[format]);
  });
  // The published contract: the public API schema (no @inaccessible parts), served whether or not
  // introspection is on, since it is the same schema the schema/ directory publishes. Printed on the
  // first download (a tenth of a second, once), not at start-up, which every replica would pay.
  let publicSdl: string | null = null;
  app.get('/schema.graphql', (_req, res) => {
    publicSdl ??= publicApiSchemaSdl(config.supergraphSdl);
    res.type('text/plain; charset=utf-8').set('Content-Disposition', 'inline; filename="schema.graphql"').send(publicSdl);
  });
  if (explorerEnabled()) {
    const explorer = explorerHandlers({
      endpointPath: '/graphql',
      schemaPath: '/schema.graphql',
      demoCredentials: mode() === 'development',
    });
    app.get('/graphql', explorer.page);
    app.get(`${EXPLORER_ASSETS_PATH}/*file`, explorer.assets);
  }
  app.use(
    '/graphql',
    corsPolicy(),
    rateLimiter(config.sharedState?.rateLimitStore()),
    express.json({ limit: MAX_REQUEST_BODY_BYTES }),
    expressMiddleware(apollo, { context: async ({ req }) => ({ caller: await authenticate(req.headers), sqlStatements: 0 }) }),
  );
  app.use(requestBodyErrors);

  keepConnectionsAlive(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}/graphql`,
    async stop() {
      await apollo.stop();
      await stopSharingWrites?.();
      await Promise.all([config.bus?.close(), config.sharedState?.close()]);
    },
  };
}
