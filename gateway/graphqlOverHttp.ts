import { HeaderMap, type ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import type express from 'express';
import { parse as parseUrl } from 'node:url';
import { GraphQLError, OperationTypeNode } from 'graphql';
import Negotiator from 'negotiator';
import { booleanEnv, mode } from '../shared/config';

/**
 * Introspection (`__schema`, `__type`): on in development, off in production unless
 * GATEWAY_INTROSPECTION turns it on. The schema is no secret either way (GET /schema.graphql
 * publishes it); off spares production the largest queries a stranger can send for free.
 */
export function introspectionEnabled(): boolean {
  return booleanEnv('GATEWAY_INTROSPECTION', mode() === 'development');
}

// Apollo Server's candidates, spelled as it spells them (MEDIA_TYPES), in its order.
const APPLICATION_JSON = 'application/json; charset=utf-8';
const RESPONSE_MEDIA_TYPES = [
  APPLICATION_JSON,
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0; charset=utf-8',
];

/**
 * The media type Apollo Server answers a single result with, chosen the same way (the same
 * negotiator, the same candidates in the same order): application/json unless the client prefers
 * application/graphql-response+json; no Accept header at all means application/json.
 */
function responseMediaType(accept: string | undefined): string | undefined {
  if (!accept) return APPLICATION_JSON;
  return new Negotiator({ headers: { accept } }).mediaType(RESPONSE_MEDIA_TYPES);
}

/**
 * Request errors: the document does not parse, does not validate (graphql-armor's limits included),
 * names no operation it contains, or its variables do not coerce. Nothing ran; there is no `data`.
 */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * GraphQL over HTTP: answered as application/json, a well-formed request gets 200 whatever GraphQL
 * errors it raised, request errors included, because a legacy client reads errors from the body
 * and an intermediary must not mistake a GraphQL error for a transport one. Apollo Server answers
 * request errors 400 whichever media type it answers with; this plugin makes them 200 for
 * application/json and leaves 400 for application/graphql-response+json, whose clients read the
 * status. Requests that are not well formed (no query, a batch, bad JSON), refusals with a status
 * of their own (401, 413, 429, 405, the trusted-documents 400) are left alone.
 */
export function requestErrorStatusPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.http.status !== 400 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.data !== undefined || !result.errors?.length) return;
          if (!result.errors.every((error) => REQUEST_ERROR_CODES.has(String(error.extensions?.code)))) return;
          if (responseMediaType(request.http?.headers.get('accept')) !== APPLICATION_JSON) return;
          response.http.status = 200;
          // Fixed here, so the status and the media type Apollo Server then writes cannot disagree.
          response.http.headers.set('content-type', APPLICATION_JSON);
        },
      };
    },
  };
}

/**
 * A subscription sent as an HTTP request: refused before planning with 400 and BAD_REQUEST, saying
 * where subscriptions are served. The executor plans queries and mutations only, so without this a
 * client's wrong transport surfaced as an INTERNAL_SERVER_ERROR, a fault of ours that is none.
 */
export function subscriptionsOverWebSocketPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return;
          throw new GraphQLError(
            'Subscriptions are served over WebSocket (graphql-ws, subprotocol graphql-transport-ws) at this URL, not over HTTP requests',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        },
      };
    },
  };
}

/** The media types Apollo Server answers a complete body with that Express's res.send keeps as they are. */
const SENT_AS_IS = new Set([APPLICATION_JSON, 'application/graphql-response+json; charset=utf-8']);

/**
 * Apollo Server behind Express: what @as-integrations/express5's middleware does, except that a
 * POST's JSON answer is written as its string, with its byte length, instead of through res.send,
 * which copies a string of 1000 characters or more into a Buffer first (a deep query's answer is
 * 100 kB, copied on every request). Anything else (another method, another media type, a status
 * res.send treats specially, a streamed body) goes through res.send as before, so the bytes and
 * headers sent are the same either way. Expects express.json() before it.
 */
export function apolloExpressHandler<Context extends BaseContext>(
  server: ApolloServer<Context>,
  context: (request: express.Request, response: express.Response) => Promise<Context>,
): express.RequestHandler {
  return async (req, res) => {
    if (!('body' in req)) {
      res
        .status(500)
        .send('`req.body` is not set; this probably means you forgot to set up the `json` middleware before the Apollo Server middleware.');
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: req.method.toUpperCase(),
        headers,
        // url.parse only where there is a search to find: without a `?` it has none.
        search: req.url.includes('?') ? (parseUrl(req.url).search ?? '') : '',
        body: req.body,
      },
      context: () => context(req, res),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status || 200;
    if (response.body.kind === 'complete') {
      const type = res.get('Content-Type');
      const status = res.statusCode;
      if (
        req.method !== 'POST' ||
        !type ||
        !SENT_AS_IS.has(type) ||
        status === 204 ||
        status === 205 ||
        status === 304 ||
        res.get('Transfer-Encoding')
      ) {
        res.send(response.body.string);
        return;
      }
      // What res.send sets for these (its charset rewrite leaves these types as they are).
      res.setHeader('Content-Type', type);
      res.setHeader('Content-Length', String(Buffer.byteLength(response.body.string, 'utf8')));
      res.end(response.body.string, 'utf8');
      return;
    }
    for await (const chunk of response.body.asyncIterator) {
      res.write(chunk);
      if (typeof (res as { flush?: () => void }).flush === 'function') (res as unknown as { flush: () => void }).flush();
    }
    res.end();
  };
}
