import { DomainError } from './errors';

/**
 * How long a background loop may fail to reach a peer it has never reached before saying so. Services
 * start in any order (settlement before members in every stack), and a peer still migrating or
 * listening for the first time is not a fault; one that has not answered for this long may be.
 */
export const PEER_START_GRACE_MS = 30_000;

export interface PeerFailureLog {
  /** The peer answered: from now on every failure to reach it is logged. */
  answered(): void;
  /** A pass failed: logged, unless it is a peer not answering yet at start-up (see quietUntilPeerAnswers). */
  failed(error: unknown): void;
}

/**
 * Logs a background loop's failures, except the first ones at start-up: while the peer has never
 * answered and the grace period since `now()` at creation has not passed, a peer that does not answer
 * (UPSTREAM_UNAVAILABLE) is retried quietly by the loop. Anything else is logged at once, and so is
 * every failure after the peer's first answer or after the grace period, which then says how many
 * quiet attempts came before it.
 */
export function quietUntilPeerAnswers(options: {
  log: (line: string) => void;
  /** How a failure reads in the log. */
  describe: (error: unknown) => string;
  graceMs?: number;
  now?: () => number;
}): PeerFailureLog {
  const now = options.now ?? Date.now;
  const graceMs = options.graceMs ?? PEER_START_GRACE_MS;
  const startedAtMs = now();
  let hasAnswered = false;
  let quietFailures = 0;
  return {
    answered() {
      hasAnswered = true;
      quietFailures = 0;
    },
    failed(error) {
      const peerNotUpYet = error instanceof DomainError && error.code === 'UPSTREAM_UNAVAILABLE';
      if (peerNotUpYet && !hasAnswered && now() - startedAtMs < graceMs) {
        quietFailures += 1;
        return;
      }
      const earlier = quietFailures > 0 ? ` (after ${quietFailures} quiet attempt(s) since start-up)` : '';
      quietFailures = 0;
      options.log(`${options.describe(error)}${earlier}`);
    },
  };
}
