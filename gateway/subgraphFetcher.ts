import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { Pool } from 'undici';
import { intEnv } from '../shared/config';
import type { CallSigner } from '../shared/identity';
import { injectTraceHeaders } from '../shared/tracing';
import { gatewayMetrics } from './metrics';
import { createLogger } from '../shared/logger';

const log = createLogger('subgraph fetcher');

/** Connections kept open to each subgraph: enough for the gateway's concurrency on two cores. */
const CONNECTIONS_PER_SUBGRAPH = intEnv('GATEWAY_SUBGRAPH_CONNECTIONS', 64);
/** Idle keep-alive: longer than a quiet second, shorter than the subgraphs' own 65 s. */
const KEEP_ALIVE_MS = 30_000;
/** A subgraph that has not answered by then is reported as unavailable. */
const SUBGRAPH_TIMEOUT_MS = intEnv('GATEWAY_SUBGRAPH_TIMEOUT_MS', 30_000);

/** What one subgraph answered, parsed afresh for each caller (results are merged in place). */
export interface SubgraphResult {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
  /** From the subgraph's Cache-Control header: how long, and for whom, the answer may be reused. */
  cacheHint: { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' };
}

/**
 * A request body as sent, and the SHA-256 of its bytes for the call's signature. The hash is asked
 * for only when the body is really sent (not when the call joins an identical one in flight), and
 * its builder may hash the body's constant start once (gateway/planExecutor.ts).
 */
export interface SubgraphRequestBody {
  text: string;
  sha256(): string;
}

interface RawAnswer {
  status: number;
  body: string;
  cacheControl: string | undefined;
}

/**
 * Sends the gateway's subgraph operations: one keep-alive connection pool per subgraph (undici),
 * request bodies assembled from pre-serialised parts, each call signed for this subgraph and its
 * body (shared/identity.ts), and identical queries that are in flight at the same time for the
 * same caller sent once. Sharing is safe only within one caller's scope (the
 * subgraphs answer per caller) and only for queries (a mutation runs once per request); each
 * sharer parses its own copy of the answer, because the executor merges answers in place.
 */
export class SubgraphFetcher {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly inFlight = new Map<string, Promise<RawAnswer>>();

  constructor(
    readonly serviceName: string,
    url: string,
  ) {
    const parsed = new URL(url);
    this.path = `${parsed.pathname}${parsed.search}`;
    this.pool = new Pool(parsed.origin, {
      connections: CONNECTIONS_PER_SUBGRAPH,
      keepAliveTimeout: KEEP_ALIVE_MS,
      headersTimeout: SUBGRAPH_TIMEOUT_MS,
      bodyTimeout: SUBGRAPH_TIMEOUT_MS,
    });
  }

  /**
   * Sends `body` (a GraphQL request as JSON) signed by `sign`, the caller's signer. `shareKey` names
   * the caller's scope when the operation is a query that may be shared with identical ones in flight.
   */
  async send(body: SubgraphRequestBody, sign: CallSigner, shareKey: string | null): Promise<SubgraphResult> {
    let answer: RawAnswer;
    if (shareKey === null) {
      answer = await this.post(body, sign);
    } else {
      const key = `${shareKey}\n${body.text}`;
      let pending = this.inFlight.get(key);
      if (!pending) {
        pending = this.post(body, sign).finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, pending);
      }
      answer = await pending;
    }
    return this.interpret(answer);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async post(body: SubgraphRequestBody, sign: CallSigner): Promise<RawAnswer> {
    const startedNs = process.hrtime.bigint();
    try {
      const response = await this.pool.request({
        path: this.path,
        method: 'POST',
        // `traceparent` (when tracing is on) is outside what the signature covers: it steers only
        // which trace the subgraph's spans join, never what the call may do.
        headers: injectTraceHeaders({
          ...sign(this.serviceName, body.sha256()),
          'content-type': 'application/json',
          accept: 'application/json',
        }),
        body: body.text,
      });
      const cacheControl = response.headers['cache-control'];
      const answer = {
        status: response.statusCode,
        body: await response.body.text(),
        cacheControl: Array.isArray(cacheControl) ? cacheControl.join(', ') : cacheControl,
      };
      gatewayMetrics.subgraphFetchDuration.observe({ subgraph: this.serviceName }, Number(process.hrtime.bigint() - startedNs) / 1e9);
      return answer;
    } catch (error) {
      gatewayMetrics.subgraphFetchFailures.inc({ subgraph: this.serviceName });
      throw this.unavailable(error);
    }
  }

  private interpret(answer: RawAnswer): SubgraphResult {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      parsed = null;
    }
    const isResponse = typeof parsed === 'object' && parsed !== null && ('data' in parsed || 'errors' in parsed);
    // A subgraph refusing a request (400 for a bad operation, 401 for a bad signature) still answers
    // in GraphQL: its errors are the useful part. Anything else is an upstream failure.
    if (!isResponse || (answer.status >= 300 && !(parsed as { errors?: unknown }).errors)) {
      throw this.unavailable(new Error(`HTTP ${answer.status}`));
    }
    return { ...(parsed as Omit<SubgraphResult, 'cacheHint'>), cacheHint: parseCacheControl(answer.cacheControl) };
  }

  private unavailable(cause: unknown): GraphQLError {
    // Internal addresses stay in the log, not in the answer.
    log.error({ err: cause, subgraph: this.serviceName }, 'subgraph call failed');
    return new GraphQLError('A service of the coalition graph did not answer; retry with the same idempotency key', {
      extensions: { code: 'UPSTREAM_UNAVAILABLE', serviceName: this.serviceName },
    });
  }
}

/** The cache hint a subgraph gave in its Cache-Control header (as @apollo/gateway reads it). */
export function parseCacheControl(header: string | undefined): SubgraphResult['cacheHint'] {
  const hint: SubgraphResult['cacheHint'] = { maxAge: 0 };
  if (!header) return hint;
  for (const directive of header.split(',')) {
    const [name, value] = directive.trim().toLowerCase().split('=');
    if (name === 'max-age' && value && /^\d+$/.test(value)) hint.maxAge = Number(value);
    if (name === 'private') hint.scope = 'PRIVATE';
    if (name === 'public') hint.scope = 'PUBLIC';
  }
  return hint;
}
