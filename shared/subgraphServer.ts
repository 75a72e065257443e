import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginSchemaReportingDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import { GraphQLError, parse, type GraphQLFormattedError } from 'graphql';
import { withDeclaredEntityHints } from './cacheHints';
import { mode } from './config';
import { DomainError } from './errors';
import { statementCount, withStatementCount } from './statementCount';
import { CALLER_HEADER, SIGNATURE_HEADER, verifyCaller, type Caller } from './identity';

/** Request bodies above this size are refused before parsing; subgraphs take only gateway calls. */
export const MAX_SUBGRAPH_BODY_BYTES = 1_000_000;

export interface SubgraphServerOptions<Context> {
  name: string;
  sdl: string;
  /**
   * The subgraph's resolvers, typed by codegen against its SDL. buildSubgraphSchema takes a looser
   * map type that codegen's types are not assignable to, hence the one cast below.
   */
  resolvers: object;
  host: string;
  port: number;
  secret: string;
  /** A fresh context per request: caller plus request-scoped loaders. */
  createContext(caller: Caller): Context;
  /** Resolves when the subgraph can serve (its database answers). */
  isReady(): Promise<boolean>;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Domain errors keep their code and message; errors GraphQL itself raised (parse, validation,
 * variable coercion) keep theirs; anything else is masked, so no SQL or stack reaches a caller.
 */
export function formatSubgraphError(name: string) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return { message: original.message, path: formatted.path, extensions: { code: original.code } };
    }
    if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') {
      return formatted;
    }
    console.error(`[${name}] internal error`, original);
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** Apollo's reporting to its cloud stays off unless an operator turns it on (DESIGN.md, "Running"). */
export const PRIVATE_BY_DEFAULT_PLUGINS: ApolloServerPlugin[] = [
  ApolloServerPluginUsageReportingDisabled(),
  ApolloServerPluginSchemaReportingDisabled(),
  ApolloServerPluginLandingPageDisabled(),
];

/**
 * Node closes idle keep-alive connections after 5 s by default, which races with a client reusing
 * one ("socket hang up" at the gateway). Keep them well past any client's idle reuse instead.
 */
export function keepConnectionsAlive(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

/** Development diagnostic: the SQL statements a request issued, in `extensions.sqlStatements`. */
const reportStatementCount: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const statements = statementCount();
        if (response.body.kind === 'single' && statements !== undefined) {
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: statements };
        }
      },
    };
  },
};

/** Starts a subgraph's HTTP server: /graphql for signed gateway calls, /health and /ready. */
export async function startSubgraphServer<Context extends object>(options: SubgraphServerOptions<Context>): Promise<RunningServer> {
  const app = express();
  const httpServer: Server = createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: buildSubgraphSchema({
      typeDefs: parse(options.sdl),
      resolvers: withDeclaredEntityHints(options.resolvers) as GraphQLResolverMap<unknown>,
    }),
    formatError: formatSubgraphError(options.name),
    includeStacktraceInErrorResponses: false,
    plugins: [
      ...PRIVATE_BY_DEFAULT_PLUGINS,
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(mode() === 'development' ? [reportStatementCount] : []),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', subgraph: options.name });
  });
  app.get('/ready', async (_req, res) => {
    const ready = await options.isReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', subgraph: options.name });
  });
  app.use(
    '/graphql',
    (_req, _res, next) => withStatementCount(next),
    express.json({ limit: MAX_SUBGRAPH_BODY_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const caller = verifyCaller(req.get(CALLER_HEADER), req.get(SIGNATURE_HEADER), options.secret);
        if (!caller) {
          throw new GraphQLError('This subgraph accepts only calls signed by the coalition gateway', {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        }
        return options.createContext(caller);
      },
    }),
  );

  keepConnectionsAlive(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/graphql`,
    stop: () => apollo.stop(),
  };
}
