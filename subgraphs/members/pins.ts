import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { preparedRead } from '../../shared/database';
import { requireMemberItself, requireOperator, requireService, type MemberPresence } from '../../shared/access';
import { auditOperatorAction, recordAudit } from '../../shared/audit';
import { badInput, DomainError, forbidden } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import { checkId } from '../../shared/validation';
import { checkNotLockedOut, issueCheckoutToken, recordCountedRefusal } from './checkout';
import { checkPoints, type LedgerDeps } from './ledger';
import { lockMember } from './postings';

/**
 * PINs: the member present at a till without its app. A partner names the member by card (or
 * another identifier) and the member types its PIN; a right PIN is exchanged for a checkout token
 * bound to that member, that partner and those points, which the spend then uses like any other
 * token (checkout.ts). So a PIN is one more way to get a token, and every spend still goes
 * through the token's single use in the spend's transaction.
 *
 * A PIN has 10^4 to 10^6 values, so its safety is the limit on guesses, not the hash:
 * - per member, `maxWrongPins` wrong PINs within `wrongPinWindowMs` lock the PIN for `lockMs`;
 *   while locked every presentation gets the same refusal, right PIN or not, and checks nothing.
 *   The count lives on the member's member_pins row, read and written under its row lock, so
 *   wrong PINs racing each other are counted one at a time: never more than the limit before the
 *   lock.
 * - per partner, each wrong PIN is a refusal of the partner's checkout lockout (checkout.ts), so a
 *   till guessing across many members' cards is stopped too.
 * Every wrong PIN (`pinRefused`), every refusal while locked (`pinRefusedWhileLocked`) or for a
 * member without a PIN (`pinRefusedNoPin`) and every lock (`pinLocked`) is an audit entry.
 *
 * Stored as scrypt (salted, memory-hard, parameters kept with the hash so they can be raised
 * later); the PIN itself is never stored, logged (shared/logger.ts redacts `pin`) or audited.
 */

export interface PinConfig {
  maxWrongPins: number;
  wrongPinWindowMs: number;
  lockMs: number;
}

export const DEFAULT_PIN_CONFIG: PinConfig = { maxWrongPins: 5, wrongPinWindowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export function checkPinConfig(config: PinConfig): PinConfig {
  if (!Number.isInteger(config.maxWrongPins) || config.maxWrongPins < 1 || config.maxWrongPins > 10)
    throw new Error('the wrong-PIN limit must be 1 to 10');
  if (!Number.isInteger(config.wrongPinWindowMs) || config.wrongPinWindowMs < 1000)
    throw new Error('the wrong-PIN window must be 1 s or more');
  if (!Number.isInteger(config.lockMs) || config.lockMs < 1000) throw new Error('the PIN lock must last 1 s or more');
  return config;
}

const PIN_PATTERN = /^[0-9]{4,6}$/;

/**
 * 4 to 6 digits, and not one a thief tries first: all one digit (0000) or a run up or down
 * (1234, 9876). Only checked when set; a presented PIN is just compared.
 */
export function checkNewPin(pin: string): string {
  if (!PIN_PATTERN.test(pin)) throw badInput('A PIN is 4 to 6 digits');
  const steps = new Set([...pin].slice(1).map((digit, i) => Number(digit) - Number(pin[i])));
  if (steps.size === 1 && [0, 1, -1].includes([...steps][0]!)) {
    throw badInput('This PIN is too easy to guess (one digit repeated, or a run such as 1234); choose another');
  }
  return pin;
}

/** scrypt at N = 2^15, r = 8: about 32 MiB and tens of milliseconds a check, against an offline search of a stolen table. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

function scryptAsync(pin: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, keyLength, { ...options, maxmem: 256 * options.N! * options.r! }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(pin, salt, SCRYPT.keyLength, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

async function pinMatches(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) throw new Error('a stored PIN hash is not in the scrypt format');
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(pin, Buffer.from(salt!, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
}

// ---------------------------------------------------------------------------------------------
// Setting and resetting

/**
 * The member sets or changes its PIN with its own token (which already proves who it is, so the
 * old PIN is not asked); a new PIN also ends a lock and forgets wrong attempts. Setting the same
 * PIN again changes nothing a caller sees, so a retry is harmless without an idempotency key.
 */
export async function setPin(deps: LedgerDeps, caller: Caller, input: { memberId: string; pin: string }): Promise<string> {
  const memberId = checkId(input.memberId, 'memberId');
  requireMemberItself(caller, memberId, 'set its PIN (the operator may reset it)');
  const pinHash = await hashPin(checkNewPin(input.pin));
  await deps.dataSource.transaction(async (manager) => {
    await lockMember(manager, memberId);
    await manager.query(
      `INSERT INTO member_pins (member_id, pin_hash) VALUES ($1, $2)
       ON CONFLICT (member_id) DO UPDATE SET pin_hash = $2, set_at = now(), wrong_pins = 0, wrong_since = NULL, locked_until = NULL`,
      [memberId, pinHash],
    );
  });
  return memberId;
}

/** The operator removes a member's PIN (forgotten, or suspected known), lock included; the member sets a new one. */
export async function resetPin(deps: LedgerDeps, caller: Caller, memberIdInput: string): Promise<string> {
  requireOperator(caller, 'reset PINs');
  const memberId = checkId(memberIdInput, 'memberId');
  await deps.dataSource.transaction(async (manager) => {
    await lockMember(manager, memberId);
    const [, removed] = (await manager.query('DELETE FROM member_pins WHERE member_id = $1', [memberId])) as [unknown[], number];
    await auditOperatorAction(manager, caller, 'resetPin', memberId, { hadPin: removed > 0 });
  });
  return memberId;
}

/** Whether each member has a PIN, in the order asked; a batch for the per-request loader. */
export async function pinsSetOf(dataSource: DataSource, memberIds: readonly string[]): Promise<boolean[]> {
  const rows = (await preparedRead(dataSource, 'SELECT member_id FROM member_pins WHERE member_id = ANY($1::uuid[])', [memberIds])) as {
    member_id: string;
  }[];
  const set = new Set(rows.map((row) => row.member_id));
  return memberIds.map((id) => set.has(id));
}

// ---------------------------------------------------------------------------------------------
// At the till

interface PinRow {
  pin_hash: string;
  wrong_pins: number;
  wrong_since: Date | null;
  locked_until: Date | null;
}

export interface PinPresentation {
  memberId: string;
  partnerId: string;
  pin: string;
  /** The points the spend takes: the token it buys allows no more (null: a redemption, whose cost the reward sets). */
  points: number | null;
}

const lockedOut = (until: Date) =>
  new DomainError(
    'LIMIT_EXCEEDED',
    'Too many wrong PINs for this member: the PIN is locked. Ask the member for a checkout token from its app, or to try again later',
    { retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)) },
  );

/**
 * Checks a PIN typed at `partnerId`'s till for `memberId` and, when right, answers a checkout token
 * for this partner and at most `points`, to be used by the spend. One transaction under the
 * member's member_pins row lock: the attempt is counted, audited and committed before the caller
 * hears it was wrong, whatever becomes of the spend.
 */
export async function checkoutTokenForPin(deps: LedgerDeps, presentation: PinPresentation): Promise<string> {
  if (presentation.points !== null) checkPoints(presentation.points);
  await checkNotLockedOut(deps, presentation.partnerId);
  const { memberId, partnerId } = presentation;
  const actor = `partner:${partnerId}`;
  // A malformed PIN is no guess at a real one; refused without counting, as bad input.
  if (!PIN_PATTERN.test(presentation.pin)) throw badInput('A PIN is 4 to 6 digits');
  const outcome = await deps.dataSource.transaction(async (manager) => {
    const [row] = (await manager.query(
      'SELECT pin_hash, wrong_pins, wrong_since, locked_until FROM member_pins WHERE member_id = $1 FOR UPDATE',
      [memberId],
    )) as PinRow[];
    if (!row) {
      // Audited but not counted: a till trying a PIN for a member who has none guesses nothing.
      await recordAudit(manager, { actor, action: 'pinRefusedNoPin', target: memberId });
      return { refusal: forbidden('The member has no PIN; ask for a checkout token from its app') };
    }
    if (row.locked_until && row.locked_until.getTime() > Date.now()) {
      await recordAudit(manager, { actor, action: 'pinRefusedWhileLocked', target: memberId });
      return { refusal: lockedOut(row.locked_until) };
    }
    if (await pinMatches(presentation.pin, row.pin_hash)) {
      await manager.query('UPDATE member_pins SET wrong_pins = 0, wrong_since = NULL, locked_until = NULL WHERE member_id = $1', [
        memberId,
      ]);
      const { token } = await issueCheckoutToken(deps, manager, { memberId, partnerId, maxPoints: presentation.points });
      return { token };
    }
    // Wrong attempts older than the window are forgotten: the count starts again at this one.
    const windowOver = row.wrong_since === null || row.wrong_since.getTime() <= Date.now() - deps.pins.wrongPinWindowMs;
    const wrongPins = windowOver ? 1 : row.wrong_pins + 1;
    const lockedUntil = wrongPins >= deps.pins.maxWrongPins ? new Date(Date.now() + deps.pins.lockMs) : null;
    await manager.query(
      `UPDATE member_pins SET wrong_pins = $2, wrong_since = CASE WHEN $3 THEN now() ELSE wrong_since END, locked_until = $4
        WHERE member_id = $1`,
      [memberId, wrongPins, windowOver, lockedUntil],
    );
    await recordCountedRefusal(deps, manager, partnerId, { action: 'pinRefused', memberId, reason: 'wrong PIN' });
    if (lockedUntil) {
      await recordAudit(manager, { actor, action: 'pinLocked', target: memberId, details: { wrongPins, lockMs: deps.pins.lockMs } });
    }
    return { refusal: forbidden('The PIN was refused') };
  });
  if ('refusal' in outcome) throw outcome.refusal;
  return outcome.token;
}

/**
 * The token a spend uses, from what the partner presented (shared/access.ts, requireMemberPresent):
 * its token as given, or one bought with the PIN; null when the caller needs none. Called after
 * the spend's input is checked, so bad input costs no PIN attempt. A retried burn whose first
 * attempt has its answer is answered before this (spending.ts); a retry that races its first
 * attempt, or a retried redemption, presents its PIN again and buys a token it may not need (the
 * first outcome answers): unused, it expires.
 */
export async function tokenForSpend(
  deps: LedgerDeps,
  presence: MemberPresence | null,
  spend: { memberId: string; points: number },
): Promise<string | null> {
  if (presence === null) return null;
  if ('checkoutToken' in presence) return presence.checkoutToken;
  return checkoutTokenForPin(deps, { ...spend, partnerId: presence.partnerId, pin: presence.pin });
}

/** checkoutTokenForPin for another subgraph (rewards, for a redemption at a partner's till). */
export async function checkoutTokenForPinForService(
  deps: LedgerDeps,
  caller: Caller,
  input: { memberId: string; partnerId: string; pin: string },
): Promise<string> {
  requireService(caller, 'checkoutTokenForPin');
  return checkoutTokenForPin(deps, {
    memberId: checkId(input.memberId, 'memberId'),
    partnerId: checkId(input.partnerId, 'partnerId'),
    pin: input.pin,
    points: null,
  });
}
