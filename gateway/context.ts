import type { Caller } from '../shared/identity';

/**
 * What every gateway request carries, from authentication to the last subgraph call: HTTP
 * requests, operations sent over graphql-ws and the gateway's own (statement exports). Its own
 * module so that the server and its plugins (scopes, trusted documents, subscriptions) all import
 * it without importing one another.
 */
export interface GatewayContext {
  caller: Caller;
  /** Development diagnostic: SQL statements the subgraphs reported for this request. */
  sqlStatements: number;
}
