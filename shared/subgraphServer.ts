import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type HTTPGraphQLResponse } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginSchemaReportingDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError, parse, type GraphQLFormattedError } from 'graphql';
import { cacheHintsPlugin, withDeclaredEntityHints } from './cacheHints';
import { mode } from './config';
import { DomainError } from './errors';
import { readJsonBody, RequestBodyError, type JsonBody } from './requestBody';
import { statementCount, withStatementCount } from './statementCount';
import { CALLER_HEADER, SIGNATURE_HEADER, verifyCall, type Caller } from './identity';
import { createLogger } from './logger';

const log = createLogger('subgraph server');

/**
 * On shutdown, requests in flight get this long to finish (the gateway's and each subgraph's);
 * whatever is still open then is cut. The launcher and an orchestrator wait longer than this
 * before killing a process (shared/process.ts, SHUTDOWN_TIMEOUT_MS).
 */
export const DRAIN_TIMEOUT_MS = 10_000;

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
      return { message: original.message, path: formatted.path, extensions: { ...original.extensions, code: original.code } };
    }
    if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') {
      return formatted;
    }
    log.error({ err: original, subgraph: name }, 'internal error');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** Apollo's reporting to its cloud stays off unless an operator turns it on (docs/DESIGN.md, "Running"). */
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
  const httpServer = createServer();
  const development = mode() === 'development';
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
      ApolloServerPluginCacheControlDisabled(),
      cacheHintsPlugin<Context>(),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: DRAIN_TIMEOUT_MS }),
      ...(development ? [reportStatementCount] : []),
    ],
  });
  await apollo.start();

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = request.url ?? '/';
    const searchStart = url.indexOf('?');
    const path = searchStart === -1 ? url : url.slice(0, searchStart);
    if (path === '/graphql') {
      let body: JsonBody | undefined;
      try {
        body = request.method === 'POST' ? await readJsonBody(request, MAX_SUBGRAPH_BODY_BYTES) : undefined;
      } catch (error) {
        if (!(error instanceof RequestBodyError)) throw error;
        // A body left unread (refused for its size or encoding) is not read to its end just to
        // keep the connection: closing it is what stops the reading.
        if (!request.complete) response.setHeader('connection', 'close');
        sendJson(response, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
        return;
      }
      const headers = headerMapOf(request);
      // The signature covers this subgraph's own name and the bytes just read, so a captured header
      // sent with another body or to another subgraph fails here, before Apollo parses anything.
      // A request with no JSON body (a GET) has nothing a signature covers and is refused too.
      const caller = verifyCall(
        headers.get(CALLER_HEADER),
        headers.get(SIGNATURE_HEADER),
        { subgraph: options.name, body: body?.bytes },
        options.secret,
      );
      if (!caller) {
        sendJson(response, 401, {
          errors: [
            {
              message: 'This subgraph accepts only calls the coalition gateway signed for it and for this request body',
              extensions: { code: 'UNAUTHENTICATED' },
            },
          ],
        });
        return;
      }
      const answer = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: request.method!.toUpperCase(),
          headers,
          search: searchStart === -1 ? '' : url.slice(searchStart),
          body: body?.value,
        },
        context: async () => options.createContext(caller),
      });
      await sendHttpGraphQLResponse(response, answer);
      return;
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      if (path === '/health') {
        sendJson(response, 200, { status: 'ok', subgraph: options.name });
        return;
      }
      if (path === '/ready') {
        const ready = await options.isReady().catch(() => false);
        sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', subgraph: options.name });
        return;
      }
    }
    response.statusCode = 404;
    response.setHeader('content-type', 'text/plain; charset=utf-8');
    response.end('Not Found');
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    serve(request, response).catch((error: unknown) => {
      log.error({ err: error, subgraph: options.name }, 'HTTP request failed');
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendJson(response, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
  };
  // Only the development-mode reportStatementCount plugin reads the count. Its AsyncLocalStorage
  // would otherwise cost every promise of every request in production (promise hooks, Node 20).
  httpServer.on('request', development ? (request, response) => withStatementCount(() => handle(request, response)) : handle);

  keepConnectionsAlive(httpServer);
  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/graphql`,
    stop: () => apollo.stop(),
  };
}

/** Node's request headers as Apollo takes them: repeated headers joined with ", ", as fetch's Headers does. */
function headerMapOf(request: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Apollo's answer, headers included: the gateway reads the cache-control header Apollo's cache-control plugin sets. */
async function sendHttpGraphQLResponse(response: ServerResponse, answer: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of answer.headers) response.setHeader(key, value);
  response.statusCode = answer.status ?? 200;
  if (answer.body.kind === 'complete') {
    response.end(answer.body.string);
    return;
  }
  // Incremental delivery (@defer, @stream) answers in chunks; the subgraphs do not enable it.
  for await (const chunk of answer.body.asyncIterator) response.write(chunk);
  response.end();
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}
