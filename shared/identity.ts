import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Who is calling. The gateway establishes it from the request's credentials and passes it to the
 * subgraphs signed per call (see callSigner); a subgraph trusts only a caller whose signature
 * verifies for it and for the body it received (docs/DESIGN.md, "Callers").
 * `service` callers are subgraphs calling each other's internal (@inaccessible) operations.
 */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'member'; memberId: string }
  | { kind: 'partner'; partnerId: string; scopes?: string[] }
  | { kind: 'operator'; operatorId: string }
  | { kind: 'service'; service: string };

export type CallerKind = Caller['kind'];

/**
 * How rows name the caller who asked for them: `operator:<name>`, `partner:<id>`, `member:<id>`,
 * `service:<name>` or `anonymous` (transfers' created_by, audit entries, idempotency scopes).
 */
export function callerActor(caller: Caller): string {
  switch (caller.kind) {
    case 'member':
      return `member:${caller.memberId}`;
    case 'partner':
      return `partner:${caller.partnerId}`;
    case 'operator':
      return `operator:${caller.operatorId}`;
    case 'service':
      return `service:${caller.service}`;
    case 'anonymous':
      return 'anonymous';
  }
}

export const CALLER_HEADER = 'x-coalition-caller';
export const SIGNATURE_HEADER = 'x-coalition-signature';

/** How long a signed call stays valid; it bounds replay of a captured call, body and target included. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * Names what the HMAC covers, so a value signed for anything else (the caller header alone, as
 * the first scheme signed) can never pass as a call signature.
 */
const SIGNATURE_SCHEME = 'coalition-call-v2';

interface SignedCaller {
  caller: Caller;
  issuedAtMs: number;
}

/**
 * Signs one call to `subgraph` whose body's SHA-256 is `bodySha256`; returns the headers to send.
 * The caller header is the same for every call of a request, the signature is per call.
 */
export type CallSigner = (subgraph: string, bodySha256: string) => Record<string, string>;

/** SHA-256 of a request body's exact bytes (a string is hashed as its UTF-8, as it is sent), base64url. */
export function bodySha256(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

/**
 * The caller header: base64url JSON of the caller and the signing time. It is the same for every
 * subgraph call of one request, so the gateway builds it once per request.
 */
export function callerHeaderValue(caller: Caller, nowMs = Date.now()): string {
  return Buffer.from(JSON.stringify({ caller, issuedAtMs: nowMs } satisfies SignedCaller)).toString('base64url');
}

/**
 * A call's signature: HMAC-SHA256 with the shared secret over the scheme, the body's SHA-256, the
 * target subgraph and the caller header (which carries the signing time), one per line. The hash
 * has a fixed length and neither a subgraph name nor base64url holds a line break, so no two calls
 * share the signed text.
 */
function callMac(secret: string, subgraph: string, bodyHash: string, callerHeader: string): Buffer {
  return createHmac('sha256', secret).update(`${SIGNATURE_SCHEME}\n${bodyHash}\n${subgraph}\n${callerHeader}`).digest();
}

/** The signature header's value for one call (see callMac), base64url. */
export function callSignature(secret: string, subgraph: string, bodyHash: string, callerHeader: string): string {
  return callMac(secret, subgraph, bodyHash, callerHeader).toString('base64url');
}

/**
 * Per request, a signer for each of its subgraph calls: the caller header is built here once, and
 * each call costs one HMAC over a short string (the body is hashed by whoever built it).
 */
export function callSigner(caller: Caller, secret: string, nowMs = Date.now()): CallSigner {
  const callerHeader = callerHeaderValue(caller, nowMs);
  return (subgraph, bodyHash) => ({
    [CALLER_HEADER]: callerHeader,
    [SIGNATURE_HEADER]: callSignature(secret, subgraph, bodyHash, callerHeader),
  });
}

/**
 * Headers that carry `caller` on one call to `subgraph` with exactly `body` as its request body,
 * signed with the secret the gateway and the subgraphs share (internal calls, tests).
 */
export function signCall(caller: Caller, secret: string, subgraph: string, body: string | Uint8Array, nowMs = Date.now()) {
  return callSigner(caller, secret, nowMs)(subgraph, bodySha256(body));
}

/**
 * The caller named by a call's signed headers, or null when the headers are missing or altered,
 * signed with another secret, signed for another subgraph or another body than the one received,
 * or older than SIGNATURE_MAX_AGE_MS. `subgraph` is the verifier's own name and `body` the bytes it
 * actually read, never values the request states about itself.
 */
export function verifyCall(
  headerValue: string | undefined,
  signature: string | undefined,
  received: { subgraph: string; body: Uint8Array | undefined },
  secret: string,
  nowMs = Date.now(),
): Caller | null {
  if (!headerValue || !signature || !received.body) return null;
  const expected = callMac(secret, received.subgraph, bodySha256(received.body), headerValue);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let signed: SignedCaller;
  try {
    signed = JSON.parse(Buffer.from(headerValue, 'base64url').toString('utf8')) as SignedCaller;
  } catch {
    return null;
  }
  if (typeof signed.issuedAtMs !== 'number' || Math.abs(nowMs - signed.issuedAtMs) > SIGNATURE_MAX_AGE_MS) {
    return null;
  }
  return signed.caller;
}
