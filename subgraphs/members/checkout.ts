import { createHash, randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import type { EntityManager } from 'typeorm';
import { requireMemberItselfOrOperator } from '../../shared/access';
import { auditOperatorAction, recordAudit } from '../../shared/audit';
import { DomainError, forbidden } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import { checkId } from '../../shared/validation';
import { checkPoints, type LedgerDeps } from './ledger';
import { lockMember } from './postings';

/**
 * Checkout tokens: the member present at the till. A partner key alone may not spend a member's
 * points (it could spend anyone's, knowing an id or a card number); the member's app makes a
 * short-lived, single-use token, shown as a QR code or typed as a code, and the partner presents
 * it with the burn or redemption. The token is bound to its member and, optionally, to one partner
 * and a most points; it is used in the same transaction as the spend it authorizes, under the
 * member's lock, so of two spends racing with one token exactly one succeeds. Only its SHA-256 is
 * stored. Failed presentations count per partner: past the limit in the window the partner is
 * locked out of presenting tokens until old failures leave the window. Failures and lockouts are
 * audit entries, which are also what is counted.
 */

export interface CheckoutConfig {
  /** How long a token lives: 60 to 120 s, short enough that a photographed QR code is soon worthless. */
  tokenTtlMs: number;
  /** Failed token presentations a partner may make within the window before it is locked out. */
  maxFailedAttempts: number;
  failureWindowMs: number;
  /**
   * How long a used or expired token is kept before the maintenance pass deletes it: long enough
   * that a till replaying it a day later hears "already used" or "expired" rather than "unknown".
   */
  retentionMs: number;
}

export const DEFAULT_CHECKOUT_CONFIG: CheckoutConfig = {
  tokenTtlMs: 90_000,
  maxFailedAttempts: 10,
  failureWindowMs: 15 * 60_000,
  retentionMs: 24 * 3600_000,
};
export const MIN_TOKEN_TTL_MS = 60_000;
export const MAX_TOKEN_TTL_MS = 120_000;

/** Refuses a configuration outside its bounds at start-up rather than run with it. */
export function checkCheckoutConfig(config: CheckoutConfig): CheckoutConfig {
  if (!Number.isInteger(config.tokenTtlMs) || config.tokenTtlMs < MIN_TOKEN_TTL_MS || config.tokenTtlMs > MAX_TOKEN_TTL_MS) {
    throw new Error(`the checkout token lifetime must be ${MIN_TOKEN_TTL_MS / 1000} to ${MAX_TOKEN_TTL_MS / 1000} seconds`);
  }
  if (!Number.isInteger(config.maxFailedAttempts) || config.maxFailedAttempts < 1)
    throw new Error('the failed-attempt limit must be 1 or more');
  if (!Number.isInteger(config.failureWindowMs) || config.failureWindowMs < 1000)
    throw new Error('the failed-attempt window must be 1 s or more');
  if (!Number.isInteger(config.retentionMs) || config.retentionMs < MAX_TOKEN_TTL_MS)
    throw new Error(`used and expired checkout tokens must be kept ${MAX_TOKEN_TTL_MS / 1000} s or more`);
  return config;
}

/**
 * 16 symbols of Crockford's base32 (no I, L, O, U) from the OS CSPRNG: 80 bits. Short enough to
 * type from the member's screen when a till has no camera; guessing one of the few live tokens
 * takes around 2^80 / live tokens attempts, against a partner's 10 failures per window.
 */
const TOKEN_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CHECKOUT_TOKEN_LENGTH = 16;
const TOKEN_PATTERN = new RegExp(`^[${TOKEN_ALPHABET}]{${CHECKOUT_TOKEN_LENGTH}}$`);

function newToken(): string {
  let token = '';
  for (let i = 0; i < CHECKOUT_TOKEN_LENGTH; i += 1) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}

/** Tokens are read case-insensitively, without the spaces a person may type them with. */
function normalizeToken(token: string): string | null {
  const normalized = token.length <= 64 ? token.replace(/[\s-]/g, '').toUpperCase() : '';
  return TOKEN_PATTERN.test(normalized) ? normalized : null;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface CheckoutTokenInput {
  memberId: string;
  partnerId?: string | null;
  maxPoints?: number | null;
}

export interface IssuedCheckoutToken {
  token: string;
  expiresAt: Date;
  memberId: string;
  partnerId: string | null;
  maxPoints: number | null;
  /** The token as a QR code, an SVG document: what a till's scanner reads is the token itself. */
  qrCodeSvg: string;
}

/**
 * The member's app asks for a token at checkout. No idempotency key: a retry makes another token,
 * and the unused one is worthless within two minutes and known only to the member.
 */
export async function createCheckoutToken(deps: LedgerDeps, caller: Caller, input: CheckoutTokenInput): Promise<IssuedCheckoutToken> {
  const memberId = checkId(input.memberId, 'memberId');
  requireMemberItselfOrOperator(caller, memberId, 'create checkout tokens');
  const partnerId = input.partnerId ? checkId(input.partnerId, 'partnerId') : null;
  const maxPoints = input.maxPoints ?? null;
  if (maxPoints !== null) checkPoints(maxPoints, 'maxPoints');
  const issued = await deps.dataSource.transaction(async (manager) => {
    await lockMember(manager, memberId);
    const made = await issueCheckoutToken(deps, manager, { memberId, partnerId, maxPoints });
    await auditOperatorAction(manager, caller, 'createCheckoutToken', memberId, { partnerId, maxPoints });
    return made;
  });
  const qrCodeSvg = await QRCode.toString(issued.token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { ...issued, memberId, partnerId, maxPoints, qrCodeSvg };
}

/** Stores a new token for the member (its hash only) inside the caller's transaction; the token and its expiry. */
export async function issueCheckoutToken(
  deps: LedgerDeps,
  manager: EntityManager,
  binding: { memberId: string; partnerId: string | null; maxPoints: number | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + deps.checkout.tokenTtlMs);
  await manager.query(
    'INSERT INTO checkout_tokens (token_hash, member_id, partner_id, max_points, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [tokenHash(token), binding.memberId, binding.partnerId, binding.maxPoints, expiresAt],
  );
  return { token, expiresAt };
}

interface TokenRow {
  member_id: string;
  partner_id: string | null;
  max_points: string | null;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * The refusals a partner's lockout counts: unknown or unusable checkout tokens and wrong PINs
 * (pins.ts), each an audit entry of the partner, counted in the window (index audit_log_actor).
 */
export const COUNTED_REFUSALS = ['checkoutTokenRefused', 'pinRefused'] as const;

async function failuresInWindow(deps: LedgerDeps, manager: EntityManager, partnerId: string): Promise<number> {
  const [{ failures }] = (await manager.query(
    `SELECT count(*)::int AS failures FROM audit_log
      WHERE actor = $1 AND action = ANY($3::text[]) AND at > now() - make_interval(secs => $2)`,
    [`partner:${partnerId}`, deps.checkout.failureWindowMs / 1000, COUNTED_REFUSALS],
  )) as [{ failures: number }];
  return failures;
}

/** Refuses a partner past its failed-attempt limit before it may present another token or PIN. */
export async function checkNotLockedOut(deps: LedgerDeps, partnerId: string): Promise<void> {
  const failures = await failuresInWindow(deps, deps.dataSource.manager, partnerId);
  if (failures >= deps.checkout.maxFailedAttempts) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `Too many refused checkout tokens and PINs from this partner (${failures} in ${deps.checkout.failureWindowMs / 60_000} minutes); try again later`,
    );
  }
}

/**
 * Records a refusal the lockout counts, inside `manager`'s transaction (which must commit even
 * though the request fails); the refusal that reaches the limit also records the lockout, once,
 * for the operator to see.
 */
export async function recordCountedRefusal(
  deps: LedgerDeps,
  manager: EntityManager,
  partnerId: string,
  refusal: { action: (typeof COUNTED_REFUSALS)[number]; memberId: string | null; reason: string },
): Promise<void> {
  const actor = `partner:${partnerId}`;
  await recordAudit(manager, { actor, action: refusal.action, target: refusal.memberId, details: { reason: refusal.reason } });
  if ((await failuresInWindow(deps, manager, partnerId)) === deps.checkout.maxFailedAttempts) {
    await recordAudit(manager, {
      actor,
      action: 'checkoutTokensLockedOut',
      target: null,
      details: { windowMs: deps.checkout.failureWindowMs },
    });
  }
}

/**
 * A refusal: counted against the partner (in its own transaction, so it stays when the spend's
 * transaction rolls back), audited, then thrown. The operator presents no token and is never counted.
 */
async function refuse(deps: LedgerDeps, partnerId: string | null, reason: string, memberId: string | null): Promise<never> {
  if (partnerId !== null) {
    await deps.dataSource.transaction((manager) =>
      recordCountedRefusal(deps, manager, partnerId, { action: 'checkoutTokenRefused', memberId, reason }),
    );
  }
  throw forbidden(`The checkout token was refused: ${reason}. Ask the member for a new one`);
}

async function tokenRow(manager: EntityManager, token: string, lock: boolean): Promise<TokenRow | null> {
  const [row] = (await manager.query(
    `SELECT member_id, partner_id, max_points, expires_at, used_at FROM checkout_tokens WHERE token_hash = $1${lock ? ' FOR UPDATE' : ''}`,
    [tokenHash(token)],
  )) as TokenRow[];
  return row ?? null;
}

/**
 * The member a token names, whatever its state (it is checked when used), for resolving a member
 * reference. An unknown or malformed token is a refused attempt.
 */
export async function memberOfCheckoutToken(deps: LedgerDeps, partnerId: string | null, tokenInput: string): Promise<string> {
  if (partnerId) await checkNotLockedOut(deps, partnerId);
  const token = normalizeToken(tokenInput);
  const row = token ? await tokenRow(deps.dataSource.manager, token, false) : null;
  if (!row) return refuse(deps, partnerId, 'unknown token', null);
  return row.member_id;
}

/** Why a token may not be used (now, by this partner, for these points), or null when it may. */
function whyRefused(row: TokenRow, use: { memberId: string; partnerId: string | null; points: number | null }): string | null {
  if (row.member_id !== use.memberId) return 'it belongs to another member';
  if (row.used_at !== null) return 'it was already used';
  if (row.expires_at.getTime() <= Date.now()) return 'it expired';
  if (row.partner_id !== null && use.partnerId !== null && row.partner_id !== use.partnerId) return 'it was made for another partner';
  if (use.points !== null && row.max_points !== null && use.points > Number(row.max_points)) {
    return `it allows at most ${row.max_points} points`;
  }
  return null;
}

/** A partner's lookup by token: the member of a live token meant for it, without using the token. */
export async function peekCheckoutToken(deps: LedgerDeps, partnerId: string | null, tokenInput: string): Promise<string> {
  const memberId = await memberOfCheckoutToken(deps, partnerId, tokenInput);
  const row = (await tokenRow(deps.dataSource.manager, normalizeToken(tokenInput)!, false))!;
  const reason = whyRefused(row, { memberId, partnerId, points: null });
  if (reason) return refuse(deps, partnerId, reason, memberId);
  return memberId;
}

/**
 * Uses a token for a spend, inside the spend's transaction and after the member's lock (so two
 * spends with one token queue, and the second sees it used): bound to `memberId`, presented by
 * `partnerId` for `points`. Refused when used, expired, another member's, another partner's, or
 * for more than its most points.
 */
export async function useCheckoutToken(
  deps: LedgerDeps,
  manager: EntityManager,
  use: { token: string; memberId: string; partnerId: string; points: number; usedFor: string },
): Promise<void> {
  await checkNotLockedOut(deps, use.partnerId);
  const token = normalizeToken(use.token);
  const row = token ? await tokenRow(manager, token, true) : null;
  if (!row) return refuse(deps, use.partnerId, 'unknown token', use.memberId);
  const reason = whyRefused(row, use);
  if (reason) return refuse(deps, use.partnerId, reason, use.memberId);
  await manager.query('UPDATE checkout_tokens SET used_at = now(), used_for = $2 WHERE token_hash = $1', [tokenHash(token!), use.usedFor]);
}

// ---------------------------------------------------------------------------------------------
// Clean-up

/** Tokens one DELETE removes, and the most DELETEs of one maintenance pass: short statements, a bounded pass. */
export const CHECKOUT_TOKEN_CLEANUP_BATCH = 1000;
export const CHECKOUT_TOKEN_CLEANUP_BATCHES_PER_PASS = 10;

/**
 * Deletes tokens used or expired more than `retentionMs` ago, a batch at a time (index
 * checkout_tokens_spent_at), so the table holds about a day of checkouts whatever the traffic; a
 * pass that finds more than its bound leaves the rest to the next. Resolves with how many went.
 */
export async function deleteSpentCheckoutTokens(deps: LedgerDeps): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < CHECKOUT_TOKEN_CLEANUP_BATCHES_PER_PASS; batch += 1) {
    const [, count] = (await deps.dataSource.query(
      `DELETE FROM checkout_tokens WHERE token_hash IN (
         SELECT token_hash FROM checkout_tokens
          WHERE coalesce(used_at, expires_at) < now() - make_interval(secs => $1) LIMIT $2)`,
      [deps.checkout.retentionMs / 1000, CHECKOUT_TOKEN_CLEANUP_BATCH],
    )) as [unknown[], number];
    deleted += count;
    if (count < CHECKOUT_TOKEN_CLEANUP_BATCH) break;
  }
  return deleted;
}
