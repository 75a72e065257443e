import type { ApolloServerPlugin } from '@apollo/server';
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
