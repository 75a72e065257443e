import './privateByDefault';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { EventBus } from '../shared/eventBus';
import { SubgraphClient } from '../shared/internalClient';
import { startSubscriptionServer, type SubscriptionServer } from './subscriptions';
import { mode } from '../shared/config';
import { signCaller, type Caller } from '../shared/identity';
import { keepConnectionsAlive, PRIVATE_BY_DEFAULT_PLUGINS, type RunningServer } from '../shared/subgraphServer';
import type { SubgraphName } from '../shared/supergraph';
import { createAuthenticator } from './credentials';
import { corsPolicy, QUERY_LIMITS, queryArmor, rateLimiter } from './protection';
import { scopesPlugin } from './scopes';
import { trustedDocumentsFromEnvironment } from './trustedDocuments';

/** Largest request body the gateway reads. */
export const MAX_REQUEST_BODY_BYTES = 100_000;
/** How long /ready waits for each subgraph. */
export const READY_TIMEOUT_MS = 2_000;

export interface GatewayContext {
  caller: Caller;
  /** Development diagnostic: SQL statements the subgraphs reported for this request. */
  sqlStatements: number;
}

export interface GatewayConfig {
  host: string;
  port: number;
  secret: string;
  supergraphSdl: string;
  /** Where each subgraph listens; overrides the routing URLs in the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  /** The event bus subscriptions are woken by. */
  bus: EventBus;
}

type DidReceiveResponseArgs = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0];

/** Forwards each subgraph call with the caller's identity, signed so the subgraph can trust it. */
class SignedCallerDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly secret: string,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Calls the gateway makes on its own behalf (none today) carry no context: they go as anonymous.
    const caller: Caller = 'caller' in context && context.caller ? context.caller : { kind: 'anonymous' };
    for (const [name, value] of Object.entries(signCaller(caller, this.secret))) request.http?.headers.set(name, value);
  }

  override didReceiveResponse({ response, context }: DidReceiveResponseArgs) {
    const statements = response.extensions?.sqlStatements;
    if (typeof statements === 'number' && 'sqlStatements' in context) context.sqlStatements += statements;
    return response;
  }
}

/**
 * Subgraph errors reach callers with their code and message (the subgraphs already masked their
 * own internals). What the gateway itself raises about reaching a subgraph names internal
 * addresses: callers get a stable code and a plain message instead.
 */
function maskInternalErrors(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  const unreachable = /^request to .* failed/.test(formatted.message);
  if (!unreachable) console.error(`[gateway] internal error: ${formatted.message}`);
  return {
    message: unreachable ? 'A service of the coalition graph did not answer; retry with the same idempotency key' : 'Internal server error',
    path: formatted.path,
    extensions: {
      code: unreachable ? 'UPSTREAM_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR',
      ...(formatted.extensions?.serviceName ? { serviceName: formatted.extensions.serviceName } : {}),
    },
  };
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
  const subgraphUrls: Record<string, string> = config.subgraphUrls;
  const gateway = new ApolloGateway({
    supergraphSdl: config.supergraphSdl,
    buildService: ({ name, url }) => {
      const configured = subgraphUrls[name] ?? url;
      if (!configured) throw new Error(`no URL configured for subgraph ${name}`);
      return new SignedCallerDataSource(configured, config.secret);
    },
  });

  let apiSchema: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
    apiSchema = loaded;
  });
  const app = express();
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
    plugins: [
      ...armor.plugins,
      scopesPlugin(config.supergraphSdl),
      ...trustedDocumentsFromEnvironment(),
      ...PRIVATE_BY_DEFAULT_PLUGINS,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Open subscriptions complete cleanly before the server stops.
      { serverWillStart: async () => ({ drainServer: async () => subscriptions?.stop() }) },
      ...(mode() === 'development' ? [reportStatementCount] : []),
    ],
  });
  await apollo.start();
  const authenticate = createAuthenticator(new SubgraphClient('settlement', config.subgraphUrls.settlement, 'gateway', config.secret));
  subscriptions = startSubscriptionServer({
    httpServer,
    apollo,
    validationRules: armor.validationRules,
    schema: () => {
      if (!apiSchema) throw new Error('the gateway has not loaded its schema');
      return apiSchema;
    },
    authenticate: (headers) => authenticate(headers),
    members: new SubgraphClient('members', config.subgraphUrls.members, 'gateway', config.secret),
    bus: config.bus,
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', rssBytes: process.memoryUsage().rss });
  });
  app.get('/ready', async (_req, res) => {
    const checks = await Promise.all(
      Object.entries(subgraphUrls).map(async ([name, url]) => {
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
  app.use(
    '/graphql',
    corsPolicy(),
    rateLimiter(),
    express.json({ limit: MAX_REQUEST_BODY_BYTES }),
    expressMiddleware(apollo, { context: async ({ req }) => ({ caller: await authenticate(req.headers), sqlStatements: 0 }) }),
  );

  keepConnectionsAlive(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}/graphql`,
    async stop() {
      await apollo.stop();
      await config.bus.close();
    },
  };
}
