import { DomainError, ERROR_CODES, type ErrorCode } from './errors';
import { signCall } from './identity';
import { trace } from '@opentelemetry/api';
import { Pool } from 'undici';
import { injectTraceHeaders, inSpan } from './tracing';

/** An internal call whose answer (its headers, or its body after them) takes longer than this fails with UPSTREAM_UNAVAILABLE. */
export const INTERNAL_CALL_TIMEOUT_MS = 10_000;

/**
 * Calls another subgraph's internal (@inaccessible) operations directly, as a `service` caller
 * signed with the shared secret for that subgraph and that body, as the gateway signs its calls.
 * Domain errors come back with their code; a subgraph that does not answer gives
 * UPSTREAM_UNAVAILABLE, and the caller decides whether the write is safe to retry (every internal
 * write carries an idempotency key, so it is).
 */
export class SubgraphClient {
  /**
   * Keep-alive connections to the subgraph, through undici's own API rather than fetch: the
   * gateway's ledger watcher reads the feed on every event batch, and fetch's WHATWG layer (Request,
   * Response, streams, an abort signal's timer) costs CPU on every call.
   */
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    /** The subgraph called, by its name in the supergraph: its calls are signed for it, and errors name it (not its address). */
    private readonly target: string,
    url: string,
    private readonly service: string,
    private readonly secret: string,
  ) {
    const parsed = new URL(url);
    this.path = `${parsed.pathname}${parsed.search}`;
    this.pool = new Pool(parsed.origin, { headersTimeout: INTERNAL_CALL_TIMEOUT_MS, bodyTimeout: INTERNAL_CALL_TIMEOUT_MS });
  }

  /**
   * One span per call (fetch is not instrumented here), carried to the callee in `traceparent`,
   * which the signature does not cover: it steers only which trace the callee's spans join.
   */
  request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    // Background loops (settlement's feed, rewards' recovery) call outside any trace: no span, as
    // the callee then starts none either (shared/tracing.ts).
    if (!trace.getActiveSpan()?.isRecording()) return this.send<T>(query, variables);
    return inSpan(`internal.call ${this.target}`, { 'coalition.subgraph': this.target, 'coalition.caller': this.service }, () =>
      this.send<T>(query, variables),
    );
  }

  private async send<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const requestBody = JSON.stringify({ query, variables });
    let status: number;
    let text: string;
    try {
      const response = await this.pool.request({
        path: this.path,
        method: 'POST',
        headers: injectTraceHeaders({
          'content-type': 'application/json',
          ...signCall({ kind: 'service', service: this.service }, this.secret, this.target, requestBody),
        }),
        body: requestBody,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch {
      throw new DomainError('UPSTREAM_UNAVAILABLE', `the ${this.target} service did not answer`);
    }
    const body = parseJson(text) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: unknown } }[];
    } | null;
    const [error] = body?.errors ?? [];
    if (error) {
      const code = error.extensions?.code;
      if (code && (ERROR_CODES as readonly string[]).includes(code)) {
        // The wait a limit asks for reaches the caller through the calling subgraph too.
        const retryAfterSeconds = error.extensions?.retryAfterSeconds;
        throw new DomainError(code as ErrorCode, error.message, typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {});
      }
      throw new Error(`internal call to ${this.target} failed: ${error.message}`);
    }
    if (!body?.data) throw new DomainError('UPSTREAM_UNAVAILABLE', `the ${this.target} service answered with status ${status}`);
    return body.data;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
