import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Who is calling. The gateway establishes it from the request's credentials and passes it to the
 * subgraphs signed (see signCaller); a subgraph trusts only a caller whose signature verifies.
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

/** How long a signed caller header stays valid; it bounds replay of a captured header. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

interface SignedCaller {
  caller: Caller;
  issuedAtMs: number;
}

function hmac(secret: string, value: string): Buffer {
  return createHmac('sha256', secret).update(value).digest();
}

/** Headers that carry `caller` to a subgraph, signed with the secret the gateway and subgraphs share. */
export function signCaller(caller: Caller, secret: string, nowMs = Date.now()): Record<string, string> {
  const value = Buffer.from(JSON.stringify({ caller, issuedAtMs: nowMs } satisfies SignedCaller)).toString('base64url');
  return { [CALLER_HEADER]: value, [SIGNATURE_HEADER]: hmac(secret, value).toString('base64url') };
}

/**
 * The caller named by signed headers, or null when the headers are missing, altered, signed with
 * another secret, or older than SIGNATURE_MAX_AGE_MS.
 */
export function verifyCaller(
  headerValue: string | undefined,
  signature: string | undefined,
  secret: string,
  nowMs = Date.now(),
): Caller | null {
  if (!headerValue || !signature) return null;
  const expected = hmac(secret, headerValue);
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
