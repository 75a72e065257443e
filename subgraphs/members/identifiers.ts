import { randomInt } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { DataSource, EntityManager } from 'typeorm';
import { preparedRead } from '../../shared/database';
import { partnerScope, requireMemberItselfOrOperator, requireOperator, requireService } from '../../shared/access';
import { auditOperatorAction, recordAudit } from '../../shared/audit';
import { badInput, DomainError, notFound } from '../../shared/errors';
import { idempotentTransaction } from '../../shared/idempotency';
import type { Caller } from '../../shared/identity';
import { checkId } from '../../shared/validation';
import { memberOfCheckoutToken, peekCheckoutToken } from './checkout';
import { MAX_EMAIL_LENGTH } from './enrollment';
import type { LedgerDeps } from './ledger';
import { lockMember } from './postings';

/**
 * Identifiers a partner's till knows a member by, never our UUID: the coalition card (one card for
 * every partner), a verified phone number and the email address, each unique in the coalition,
 * and a checkout token from the member's app (checkout.ts). `resolveMemberReference` turns any of
 * them into the member for the earn, burn and redemption inputs; `memberByIdentifier` is the
 * partner's lookup. What a partner then sees of the member is the Member type's business
 * (personal data only where it may: shared/access.ts, `canSeePersonalData`).
 */

/** Card numbers: 15 digits from the OS CSPRNG and a Luhn check digit, so a mistyped digit is caught at the till. */
export const CARD_NUMBER_DIGITS = 16;
/** Longest identifier value accepted, before any parsing. */
export const MAX_IDENTIFIER_LENGTH = 254;

/** The Luhn check digit for `payload` (digits only): the digit that makes payload + digit pass. */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  // From the right, every second digit of the payload (the first next to the check digit) doubles.
  for (let i = 0; i < payload.length; i += 1) {
    let digit = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isWellFormedCardNumber(cardNumber: string): boolean {
  if (!new RegExp(`^[0-9]{${CARD_NUMBER_DIGITS}}$`).test(cardNumber)) return false;
  return luhnCheckDigit(cardNumber.slice(0, -1)) === Number(cardNumber.slice(-1));
}

export function newCardNumber(): string {
  let payload = '';
  for (let i = 0; i < CARD_NUMBER_DIGITS - 1; i += 1) payload += String(randomInt(10));
  return payload + String(luhnCheckDigit(payload));
}

/** Spaces and dashes a card is printed or typed with are not part of its number. */
function normalizeCardNumber(value: string): string {
  const digits = value.replace(/[\s-]/g, '');
  if (!isWellFormedCardNumber(digits)) throw badInput(`A coalition card number is ${CARD_NUMBER_DIGITS} digits with a valid check digit`);
  return digits;
}

/** A phone number in E.164 (`+4930901820`); only international notation, since the coalition spans countries. */
export function normalizePhoneNumber(value: string): string {
  const parsed = value.length <= 40 ? parsePhoneNumberFromString(value.trim()) : undefined;
  if (!parsed?.isValid()) throw badInput('phoneNumber must be a valid phone number in international notation, such as +4930901820');
  return parsed.number;
}

/**
 * Gives a member an active card; a member that has one keeps it. A clash with an existing number
 * (10^15 of them) is drawn again, with the unique primary key as the judge.
 */
export async function ensureCard(manager: EntityManager, memberId: string): Promise<string> {
  const [held] = (await manager.query(`SELECT card_number FROM member_cards WHERE member_id = $1 AND status = 'ACTIVE'`, [memberId])) as {
    card_number: string;
  }[];
  if (held) return held.card_number;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const inserted = (await manager.query(
      'INSERT INTO member_cards (card_number, member_id) VALUES ($1, $2) ON CONFLICT (card_number) DO NOTHING RETURNING card_number',
      [newCardNumber(), memberId],
    )) as { card_number: string }[];
    if (inserted[0]) return inserted[0].card_number;
  }
  throw new Error('could not draw an unused card number in 5 attempts');
}

export interface ReissueCardInput {
  memberId: string;
  idempotencyKey: string;
}

/** A lost card: the old number is blocked (kept, so lookups of it say so) and a new one issued. */
export async function reissueCard(deps: LedgerDeps, caller: Caller, input: ReissueCardInput): Promise<string> {
  const memberId = checkId(input.memberId, 'memberId');
  requireMemberItselfOrOperator(caller, memberId, 'reissue its card');
  const { cardNumber } = await idempotentTransaction(
    deps.dataSource,
    { scope: `reissueCard:${memberId}`, key: input.idempotencyKey, request: { memberId } },
    async (manager) => {
      await lockMember(manager, memberId);
      const blocked = (await manager.query(
        `UPDATE member_cards SET status = 'BLOCKED', blocked_at = now() WHERE member_id = $1 AND status = 'ACTIVE' RETURNING card_number`,
        [memberId],
      )) as [{ card_number: string }[], number];
      const issued = await ensureCard(manager, memberId);
      await auditOperatorAction(manager, caller, 'reissueCard', memberId, { blockedCards: blocked[0].length });
      return { cardNumber: issued };
    },
  );
  return cardNumber;
}

/**
 * Records a phone number as the member's, unverified: it is no lookup key until it is verified.
 * There is no text-message delivery in the coalition yet, so the proof is the operator's
 * (`verifyPhoneNumber`, after checking it out of band). Setting the number it has changes nothing;
 * another number replaces it, unverified.
 */
export async function setPhoneNumber(deps: LedgerDeps, caller: Caller, input: { memberId: string; phoneNumber: string }): Promise<string> {
  const memberId = checkId(input.memberId, 'memberId');
  requireMemberItselfOrOperator(caller, memberId, 'set its phone number');
  const phone = normalizePhoneNumber(input.phoneNumber);
  await deps.dataSource.transaction(async (manager) => {
    await lockMember(manager, memberId);
    await manager.query(`UPDATE members SET phone_e164 = $2, phone_verified_at = NULL WHERE id = $1 AND phone_e164 IS DISTINCT FROM $2`, [
      memberId,
      phone,
    ]);
    await auditOperatorAction(manager, caller, 'setPhoneNumber', memberId);
  });
  return memberId;
}

/** Marks the member's phone number verified, so it becomes a lookup key; refused when another member verified it first. */
export async function verifyPhoneNumber(deps: LedgerDeps, caller: Caller, memberIdInput: string): Promise<string> {
  requireOperator(caller, 'verify phone numbers');
  const memberId = checkId(memberIdInput, 'memberId');
  await deps.dataSource.transaction(async (manager) => {
    const member = await lockMember(manager, memberId);
    if (!member.phoneE164) throw badInput('The member has no phone number to verify');
    const [taken] = (await manager.query('SELECT id FROM members WHERE phone_e164 = $1 AND phone_verified_at IS NOT NULL AND id <> $2', [
      member.phoneE164,
      memberId,
    ])) as { id: string }[];
    if (taken) throw badInput('This phone number is already verified for another member');
    await manager.query('UPDATE members SET phone_verified_at = coalesce(phone_verified_at, now()) WHERE id = $1', [memberId]);
    await auditOperatorAction(manager, caller, 'verifyPhoneNumber', memberId);
  });
  return memberId;
}

// ---------------------------------------------------------------------------------------------
// Lookups

export type IdentifierKind = 'CARD_NUMBER' | 'PHONE_NUMBER' | 'EMAIL' | 'CHECKOUT_TOKEN';

/**
 * The member a card, verified phone number or email belongs to (not tokens: see
 * resolveMemberReference), as `viewerPartnerId` may find it (null: the operator or a subgraph,
 * who find anyone).
 *
 * A coalition card finds its member at every partner: that is the card's promise, and its 10^15
 * numbers cannot be enumerated. A phone number or email is personal data, which a partner sees
 * only where the member enrolled through it or consented to it (shared/access.ts,
 * canSeePersonalData); so it finds the member only there. Elsewhere the answer is the very answer
 * for an address no member has, by the same single statement: a partner cannot learn whether a
 * customer's email or phone belongs to a coalition member it may not see.
 */
async function memberIdByKey(
  deps: LedgerDeps,
  kind: Exclude<IdentifierKind, 'CHECKOUT_TOKEN'>,
  value: string,
  viewerPartnerId: string | null,
): Promise<string> {
  if (value.length > MAX_IDENTIFIER_LENGTH) throw badInput(`An identifier is at most ${MAX_IDENTIFIER_LENGTH} characters`);
  const manager = deps.dataSource.manager;
  if (kind === 'CARD_NUMBER') {
    const [card] = (await manager.query('SELECT member_id, status FROM member_cards WHERE card_number = $1', [
      normalizeCardNumber(value),
    ])) as { member_id: string; status: string }[];
    if (!card) throw notFound('No member has this card number');
    if (card.status === 'BLOCKED')
      throw new DomainError('CARD_BLOCKED', 'This card was blocked (lost and reissued); ask the member for its current card');
    return card.member_id;
  }
  const byKey = kind === 'PHONE_NUMBER' ? 'm.phone_e164 = $1 AND m.phone_verified_at IS NOT NULL' : 'lower(m.email) = lower($1)';
  const key = kind === 'PHONE_NUMBER' ? normalizePhoneNumber(value) : checkEmailLength(value.trim());
  const [member] = (await manager.query(
    `SELECT m.id FROM members m
      WHERE ${byKey}
        AND ($2::uuid IS NULL OR m.enrolled_via_partner_id = $2
             OR EXISTS (SELECT 1 FROM consents c WHERE c.member_id = m.id AND c.partner_id = $2))`,
    [key, viewerPartnerId],
  )) as { id: string }[];
  if (!member)
    throw notFound(kind === 'PHONE_NUMBER' ? 'No member found with this phone number' : 'No member found with this email address');
  return member.id;
}

function checkEmailLength(email: string): string {
  if (email.length < 1 || email.length > MAX_EMAIL_LENGTH) throw badInput(`email must be 1 to ${MAX_EMAIL_LENGTH} characters`);
  return email;
}

/** A partner's lookups in one window (memberByIdentifier), counted in the database so the budget holds across replicas. */
export interface LookupConfig {
  limitPerWindow: number;
  windowMs: number;
}

export const DEFAULT_LOOKUP_CONFIG: LookupConfig = { limitPerWindow: 120, windowMs: 60_000 };

export function checkLookupConfig(config: LookupConfig): LookupConfig {
  if (!Number.isInteger(config.limitPerWindow) || config.limitPerWindow < 1) throw new Error('the member lookup limit must be 1 or more');
  if (!Number.isInteger(config.windowMs) || config.windowMs < 1000) throw new Error('the member lookup window must be 1 s or more');
  return config;
}

/**
 * Spends one of the partner's lookups, or refuses with RATE_LIMITED and `retryAfterSeconds` (when
 * its window ends). One row per partner, its window starting at the first lookup after the last
 * window ended; one atomic upsert counts, so concurrent lookups through any replica each get their
 * own number and exactly one is the first over the limit, which records the audit entry (once per
 * window). Refused lookups are counted too: they change nothing, and the count is only compared.
 */
async function spendLookup(deps: LedgerDeps, partnerId: string): Promise<void> {
  const { limitPerWindow, windowMs } = deps.lookups;
  const [budget] = (await deps.dataSource.query(
    `INSERT INTO member_lookup_budgets AS b (partner_id, window_started_at, lookups) VALUES ($1, now(), 1)
     ON CONFLICT (partner_id) DO UPDATE SET
       window_started_at = CASE WHEN b.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE b.window_started_at END,
       lookups = CASE WHEN b.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE least(b.lookups + 1, 2147483647) END
     RETURNING lookups, window_started_at + make_interval(secs => $2) AS window_ends_at`,
    [partnerId, windowMs / 1000],
  )) as { lookups: number; window_ends_at: Date }[];
  if (budget!.lookups <= limitPerWindow) return;
  if (budget!.lookups === limitPerWindow + 1) {
    await recordAudit(deps.dataSource.manager, {
      actor: `partner:${partnerId}`,
      action: 'memberLookupsLimited',
      target: null,
      details: { limitPerWindow, windowMs },
    });
  }
  throw lookupsLimited(deps.lookups, budget!.window_ends_at);
}

function lookupsLimited({ limitPerWindow, windowMs }: LookupConfig, windowEndsAt: Date): DomainError {
  return new DomainError(
    'RATE_LIMITED',
    `A partner may look members up at most ${limitPerWindow} times in ${windowMs / 1000} s; retry after the window ends`,
    { retryAfterSeconds: Math.max(1, Math.ceil((windowEndsAt.getTime() - Date.now()) / 1000)) },
  );
}

/** Refuses (as spendLookup would) while the partner's window holds more lookups than its limit; spends nothing. */
async function checkLookupsLeft(deps: LedgerDeps, partnerId: string): Promise<void> {
  const [spent] = (await deps.dataSource.query(
    `SELECT window_started_at + make_interval(secs => $2) AS window_ends_at FROM member_lookup_budgets
      WHERE partner_id = $1 AND lookups > $3 AND window_started_at > now() - make_interval(secs => $2)`,
    [partnerId, deps.lookups.windowMs / 1000, deps.lookups.limitPerWindow],
  )) as { window_ends_at: Date }[];
  if (spent) throw lookupsLimited(deps.lookups, spent.window_ends_at);
}

/**
 * The member an earn, burn or redemption names by card, phone or email, at `partnerId`'s till.
 * Naming a member the till serves is ordinary business and spends nothing; a reference that finds
 * no member is a guess and spends one of the partner's lookups, so probing identifiers through
 * writes meets the budget memberByIdentifier has. While the budget is spent, every such reference
 * is refused alike, found or not: the refusal says nothing about the identifier.
 */
async function memberIdByKeyAtTill(
  deps: LedgerDeps,
  kind: Exclude<IdentifierKind, 'CHECKOUT_TOKEN'>,
  value: string,
  partnerId: string | null,
): Promise<string> {
  if (partnerId === null) return memberIdByKey(deps, kind, value, null);
  await checkLookupsLeft(deps, partnerId);
  try {
    return await memberIdByKey(deps, kind, value, partnerId);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'NOT_FOUND') await spendLookup(deps, partnerId);
    throw error;
  }
}

/**
 * A partner's (or the operator's) lookup at the till, within the partner's lookup budget. A
 * checkout token answers only while it is live and meant for this partner, and an unknown one
 * counts against the partner's failed attempts (checkout.ts); looking it up does not use it.
 */
export async function memberByIdentifier(deps: LedgerDeps, caller: Caller, kind: IdentifierKind, value: string): Promise<string> {
  const partnerId = partnerScope(caller, 'look members up');
  if (partnerId) await spendLookup(deps, partnerId);
  if (kind === 'CHECKOUT_TOKEN') return peekCheckoutToken(deps, partnerId, value);
  return memberIdByKey(deps, kind, value, partnerId);
}

/** How an earn, burn or redemption names its member: exactly one of these. */
export interface MemberReference {
  id?: string | null;
  cardNumber?: string | null;
  phoneNumber?: string | null;
  email?: string | null;
  checkoutToken?: string | null;
}

export interface ResolvedMember {
  memberId: string;
  /** The token the reference named the member by, for the operation to check and use. */
  checkoutToken: string | null;
}

/**
 * The member an input names, by its legacy `memberId` or its `member` reference (exactly one of
 * the two, and exactly one field of the reference). A token names its member whatever its state,
 * so a retried request resolves as its first attempt did; the operations that spend check and use
 * the token in their own transaction. `presentingPartnerId` is the partner an unknown token counts
 * against, the partner a phone number or email must find the member for (memberIdByKey), and whose
 * lookup budget a card, phone or email that finds no member spends (memberIdByKeyAtTill).
 */
export async function resolveMemberReference(
  deps: LedgerDeps,
  input: { memberId?: string | null; member?: MemberReference | null },
  presentingPartnerId: string | null,
): Promise<ResolvedMember> {
  const given = [input.memberId, input.member].filter((v) => v !== null && v !== undefined);
  if (given.length !== 1) throw badInput('Name the member by exactly one of memberId and member');
  if (input.memberId) return { memberId: checkId(input.memberId, 'memberId'), checkoutToken: null };
  const reference = input.member!;
  const fields = (['id', 'cardNumber', 'phoneNumber', 'email', 'checkoutToken'] as const).filter(
    (field) => reference[field] !== null && reference[field] !== undefined,
  );
  if (fields.length !== 1) throw badInput('A member reference names exactly one of id, cardNumber, phoneNumber, email and checkoutToken');
  const [field] = fields as [keyof MemberReference];
  const value = reference[field]!;
  switch (field) {
    case 'id':
      return { memberId: checkId(value, 'member.id'), checkoutToken: null };
    case 'checkoutToken':
      return { memberId: await memberOfCheckoutToken(deps, presentingPartnerId, value), checkoutToken: value };
    case 'cardNumber':
      return { memberId: await memberIdByKeyAtTill(deps, 'CARD_NUMBER', value, presentingPartnerId), checkoutToken: null };
    case 'phoneNumber':
      return { memberId: await memberIdByKeyAtTill(deps, 'PHONE_NUMBER', value, presentingPartnerId), checkoutToken: null };
    case 'email':
      return { memberId: await memberIdByKeyAtTill(deps, 'EMAIL', value, presentingPartnerId), checkoutToken: null };
  }
}

/** `resolveMemberReference` for another subgraph (rewards, for a redemption at a partner's till). */
export async function resolveReferenceForService(
  deps: LedgerDeps,
  caller: Caller,
  reference: MemberReference,
  partnerIdInput: string | null,
): Promise<ResolvedMember> {
  requireService(caller, 'resolveMemberReference');
  return resolveMemberReference(deps, { member: reference }, partnerIdInput ? checkId(partnerIdInput, 'partnerId') : null);
}

/** Each member's active card number (null for none), in the order asked; a batch for the per-request loader. */
export async function activeCardsOf(dataSource: DataSource, memberIds: readonly string[]): Promise<(string | null)[]> {
  const rows = (await preparedRead(
    dataSource,
    `SELECT member_id, card_number FROM member_cards WHERE member_id = ANY($1::uuid[]) AND status = 'ACTIVE'`,
    [memberIds],
  )) as { member_id: string; card_number: string }[];
  const byMember = new Map(rows.map((r) => [r.member_id, r.card_number]));
  return memberIds.map((id) => byMember.get(id) ?? null);
}
