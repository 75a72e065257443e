import { intEnv } from '../../shared/config';
import { callerActor, type Caller } from '../../shared/identity';

/** A limit from the environment (README.md, "Configuration"), at least 1. */
function positiveIntEnv(name: string, fallback: number): number {
  const value = intEnv(name, fallback);
  if (value < 1) throw new Error(`${name} must be at least 1, got ${value}`);
  return value;
}

/** Limits on what one caller can hold open. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** Per caller and per gateway replica; configurable so a test can reach it with a few sockets. */
export const MAX_CONNECTIONS_PER_CALLER = positiveIntEnv('GATEWAY_WS_MAX_CONNECTIONS_PER_CALLER', 10);
/**
 * A subscriber for whom the gateway holds this much unsent is closed rather than let memory grow.
 * graphql-ws sends a subscription's next message only once its last one has left for the kernel, so
 * the socket holds at most one message per subscription and the rest waits, resolved, in the
 * subscriptions' queues (eventQueue.ts): both count (server.ts, closeIfSlow). Configurable, to fit
 * the messages a deployment's subscribers select; it must stay well above the largest.
 */
export const MAX_BUFFERED_BYTES = positiveIntEnv('GATEWAY_WS_MAX_BUFFERED_BYTES', 1_000_000);
/** A connection is pinged this often; one that did not answer the previous ping is terminated. */
export const KEEP_ALIVE_MS = 12_000;
/** A connection that sends no connection_init within this is closed with 4408, as graphql-ws's own timer would. */
export const CONNECTION_INIT_WAIT_MS = 3_000;
/** How often the one sweep over connections (wsAdapter.ts) looks for a missed connection-init deadline. */
export const SWEEP_MS = 500;
/** Largest message a client may send, as the HTTP body limit. */
export const MAX_MESSAGE_BYTES = 100_000;
/**
 * Close codes. 4000-4999 are the application's, but graphql-ws (6.4) already uses 4004, 4005,
 * 4400, 4401, 4403, 4406, 4408, 4409, 4429, 4500, 4504 and, in its client, 4499; its numbers
 * mirror HTTP statuses, so it may take more of 4400-4599. Ours are in 4800-4899, which it leaves
 * free, so a client can tell the gateway's limits from the protocol's own closes by the code alone.
 * 4401 is the exception: it is graphql-ws's "Unauthorized", used in that sense (a bad credential),
 * and its client treats it as final, which is right for a credential that will not start working.
 */
export const CLOSE_UNAUTHENTICATED = 4401;
/** The caller already holds MAX_CONNECTIONS_PER_CALLER connections to this gateway. */
export const CLOSE_TOO_MANY_CONNECTIONS = 4801;
/** Over MAX_BUFFERED_BYTES held unsent for the connection (in its socket and its subscriptions' queues). */
export const CLOSE_SLOW_CONSUMER = 4802;

/**
 * Open connections per caller, for MAX_CONNECTIONS_PER_CALLER. A caller is counted by its actor
 * (shared/identity.ts, callerActor), so all API keys of one partner share its allowance: minting
 * more keys does not buy more connections.
 */
export class CallerConnections {
  private readonly open = new Map<string, number>();

  /** Counts a new connection of `caller`; returns the key to release it with, or null when it already holds the most. */
  admit(caller: Caller): string | null {
    const key = callerActor(caller);
    const open = this.open.get(key) ?? 0;
    if (open >= MAX_CONNECTIONS_PER_CALLER) return null;
    this.open.set(key, open + 1);
    return key;
  }

  release(key: string): void {
    const open = (this.open.get(key) ?? 1) - 1;
    if (open <= 0) this.open.delete(key);
    else this.open.set(key, open);
  }
}
