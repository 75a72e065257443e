import type { ApolloServerPlugin } from '@apollo/server';
import { counter, histogram, OperationLabels } from '../shared/metrics';

/**
 * The gateway's own metrics (shared/metrics.ts serves them). Operation names are bounded labels
 * (OperationLabels). Error codes are the stable codes (shared/errors.ts) and Apollo's own; a code
 * that does not look like one counts as OTHER.
 */
export const gatewayMetrics = {
  requests: counter('coalition_gateway_requests_total', 'GraphQL operations answered, by operation name and type', ['operation', 'type']),
  errors: counter('coalition_gateway_errors_total', 'GraphQL errors in answers, by operation name and extensions.code', [
    'operation',
    'code',
  ]),
  duration: histogram('coalition_gateway_request_duration_seconds', 'Time from request to answer, by operation name', ['operation']),
  subgraphFetchDuration: histogram('coalition_gateway_subgraph_fetch_duration_seconds', 'Subgraph HTTP calls of query plans', ['subgraph']),
  subgraphFetchFailures: counter('coalition_gateway_subgraph_fetch_failures_total', 'Subgraph calls that got no answer', ['subgraph']),
  planCache: counter('coalition_gateway_plan_cache_total', 'Query plan lookups: hit (planned before) or miss', ['result']),
  entityCache: counter('coalition_gateway_entity_cache_total', 'Public entity lookups in the entity cache', ['subgraph', 'result']),
  subscriptionEvents: counter('coalition_gateway_subscription_messages_total', 'Results sent to graphql-ws clients (subscription events)'),
};

/** Error codes counted by name; anything else (a subgraph's own invention) is OTHER. */
const KNOWN_ERROR_CODE = /^[A-Z][A-Z_]{0,39}$/;

/**
 * Counts every GraphQL request the gateway answers, over HTTP and graphql-ws: by operation and
 * type, its errors by code, its time. Requests that never name an operation (a parse error) count
 * as anonymous.
 */
export function requestMetricsPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  const labels = new OperationLabels();
  return {
    async requestDidStart() {
      const startedNs = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, response }) {
          const name = labels.of(operationName);
          const type = operation?.operation ?? 'unknown';
          gatewayMetrics.requests.inc({ operation: name, type });
          gatewayMetrics.duration.observe({ operation: name }, Number(process.hrtime.bigint() - startedNs) / 1e9);
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          for (const error of errors ?? []) {
            const code = error.extensions?.code;
            gatewayMetrics.errors.inc({ operation: name, code: typeof code === 'string' && KNOWN_ERROR_CODE.test(code) ? code : 'OTHER' });
          }
        },
      };
    },
  };
}
