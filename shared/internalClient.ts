import { DomainError, ERROR_CODES, type ErrorCode } from './errors';
import { signCall } from './identity';

/** An internal call that takes longer than this fails with UPSTREAM_UNAVAILABLE. */
export const INTERNAL_CALL_TIMEOUT_MS = 10_000;

/**
 * Calls another subgraph's internal (@inaccessible) operations directly, as a `service` caller
 * signed with the shared secret for that subgraph and that body, as the gateway signs its calls.
 * Domain errors come back with their code; a subgraph that does not answer gives
 * UPSTREAM_UNAVAILABLE, and the caller decides whether the write is safe to retry (every internal
 * write carries an idempotency key, so it is).
 */
export class SubgraphClient {
  constructor(
    /** The subgraph called, by its name in the supergraph: its calls are signed for it, and errors name it (not its address). */
    private readonly target: string,
    private readonly url: string,
    private readonly service: string,
    private readonly secret: string,
  ) {}

  async request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    let response: Response;
    const requestBody = JSON.stringify({ query, variables });
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signCall({ kind: 'service', service: this.service }, this.secret, this.target, requestBody),
        },
        body: requestBody,
        signal: AbortSignal.timeout(INTERNAL_CALL_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DomainError('UPSTREAM_UNAVAILABLE', `the ${this.target} service did not answer`);
    }
    const body = (await response.json().catch(() => null)) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    } | null;
    const [error] = body?.errors ?? [];
    if (error) {
      const code = error.extensions?.code;
      if (code && (ERROR_CODES as readonly string[]).includes(code)) throw new DomainError(code as ErrorCode, error.message);
      throw new Error(`internal call to ${this.target} failed: ${error.message}`);
    }
    if (!body?.data) throw new DomainError('UPSTREAM_UNAVAILABLE', `the ${this.target} service answered with status ${response.status}`);
    return body.data;
  }
}
