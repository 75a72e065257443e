import { callerActor, type Caller } from '../../shared/identity';

/** Limits on what one caller can hold open. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
export const MAX_CONNECTIONS_PER_CALLER = 10;
/** A subscriber whose socket has this much unsent is closed rather than let memory grow. */
export const MAX_BUFFERED_BYTES = 1_000_000;
export const KEEP_ALIVE_MS = 12_000;
/** Largest message a client may send, as the HTTP body limit. */
export const MAX_MESSAGE_BYTES = 100_000;
/** Close codes (4000-4999 are the application's). */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_TOO_MANY_CONNECTIONS = 4429;
export const CLOSE_SLOW_CONSUMER = 4408;

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
