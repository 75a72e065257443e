import { createSecretKey } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import { jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { mode } from '../shared/config';
import { demoCredentials } from '../shared/demo';
import type { Caller } from '../shared/identity';
import type { SubgraphClient } from '../shared/internalClient';

/** Longest Authorization header value read; anything longer is refused unread. */
export const MAX_CREDENTIAL_LENGTH = 4096;
/** How long the gateway trusts a key check before asking settlement again (revocation delay). */
export const API_KEY_CACHE_MS = 5_000;
const API_KEY_CACHE_MAX = 10_000;
/** Verified tokens remembered (an LRU: a flood of distinct tokens evicts, never grows the heap). */
const VERIFIED_TOKENS_MAX = 10_000;

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

const DEVELOPMENT_JWT_SECRET = 'coalition-development-jwt-secret-do-not-use-in-production';

/** The key member and operator tokens are signed with (HS256): COALITION_JWT_SECRET, 32+ characters. */
export function jwtKey(): Uint8Array {
  const secret = process.env.COALITION_JWT_SECRET;
  if (secret) {
    if (secret.length < 32) throw new Error('COALITION_JWT_SECRET must be at least 32 characters');
    return new TextEncoder().encode(secret);
  }
  if (mode() === 'production') throw new Error('COALITION_JWT_SECRET is required in production');
  return new TextEncoder().encode(DEVELOPMENT_JWT_SECRET);
}

/**
 * A member or operator token, as an identity provider would issue it (`npm run token`), signed with
 * `key` (this process's jwtKey() unless given, e.g. by a launcher minting for a gateway it starts).
 */
export async function signToken(
  role: 'member' | 'operator',
  subject: string,
  ttlSeconds: number,
  key: Uint8Array = jwtKey(),
): Promise<string> {
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
}

/**
 * Establishes who calls from `Authorization: Bearer <credential>`:
 * - a partner API key `ck_<id>_<secret>`, checked by settlement (which stores only its hash);
 * - a member or operator JWT (HS256, COALITION_JWT_SECRET, expiry required);
 * - in development mode only, the demo credentials (shared/demo.ts).
 * No header: anonymous. A credential that is not recognised is refused outright rather than
 * treated as anonymous, so a partner with a broken key finds out at once.
 */
export function createAuthenticator(
  settlement: SubgraphClient | null,
): (headers: IncomingHttpHeaders | { authorization?: string }) => Promise<Caller> {
  const demo = mode() === 'development' ? demoCredentials() : new Map<string, Caller>();
  // A KeyObject made once: given bytes, jose would make one on every verification.
  const key = createSecretKey(jwtKey());
  const keyChecks = new Map<string, { caller: Caller | null; atMs: number }>();

  const checkApiKey = async (secret: string): Promise<Caller | null> => {
    const cached = keyChecks.get(secret);
    if (cached && Date.now() - cached.atMs < API_KEY_CACHE_MS) return cached.caller;
    if (!settlement) return null; // served a supergraph without settlement: no partner keys
    const { verifyPartnerApiKey } = await settlement.request<{ verifyPartnerApiKey: { partnerId: string; scopes: string[] } | null }>(
      'query($secret: String!) { verifyPartnerApiKey(secret: $secret) { partnerId scopes } }',
      { secret },
    );
    const caller: Caller | null = verifyPartnerApiKey
      ? { kind: 'partner', partnerId: verifyPartnerApiKey.partnerId, scopes: verifyPartnerApiKey.scopes }
      : null;
    if (keyChecks.size >= API_KEY_CACHE_MAX) keyChecks.clear();
    keyChecks.set(secret, { caller, atMs: Date.now() });
    return caller;
  };

  // A token that verified stays valid until its expiry (nothing revokes a JWT), so a client sending
  // the same token with every request has its signature checked once, not per request. Only
  // verified tokens are kept, keyed by the whole token (signature included), until their `exp`.
  const verifiedTokens = new LRUCache<string, { caller: Caller; expiresAtMs: number }>({ max: VERIFIED_TOKENS_MAX });

  const checkToken = async (token: string): Promise<Caller | null> => {
    const verified = verifiedTokens.get(token);
    if (verified) {
      if (Date.now() < verified.expiresAtMs) return { ...verified.caller };
      verifiedTokens.delete(token);
    }
    let caller: Caller | null;
    let expiresAtMs: number;
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
      caller =
        payload.role === 'member'
          ? { kind: 'member', memberId: payload.sub! }
          : payload.role === 'operator'
            ? { kind: 'operator', operatorId: payload.sub! }
            : null;
      // jose refuses a token once the current whole second reaches `exp`: before exp * 1000 ms.
      expiresAtMs = payload.exp! * 1000;
    } catch {
      return null; // bad signature, expired, malformed
    }
    if (caller) verifiedTokens.set(token, { caller: { ...caller }, expiresAtMs });
    return caller;
  };

  return async (headers) => {
    const header = headers.authorization;
    if (header === undefined || header === '') return { kind: 'anonymous' };
    if (header.length > MAX_CREDENTIAL_LENGTH) throw unauthenticated('The Authorization header is too long');
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(header);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <credential>"');
    const credential = match[1]!;
    const caller =
      demo.get(credential) ??
      (credential.startsWith('ck_')
        ? await checkApiKey(credential)
        : credential.split('.').length === 3
          ? await checkToken(credential)
          : null);
    if (!caller) throw unauthenticated('The credential is not valid (unknown, revoked or expired)');
    return caller;
  };
}
