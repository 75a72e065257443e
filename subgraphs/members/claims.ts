import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { memberRecordsScope, partnerScope, requireClaimant, requirePartnerItselfOrOperator } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { assertInvariant, badInput, DomainError, forbidden, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { checkId, checkText } from '../../shared/validation';
import { createLogger } from '../../shared/logger';
import type { BasketLineInput } from './basket';
import { earnPoints, MAX_DOCUMENT_FIELD_LENGTH, receiptAlreadyEarned } from './earning';
import { checkInstant, checkPurchaseAmount, DAY_MS, MAX_REASON_LENGTH, type LedgerDeps } from './ledger';

/**
 * Claims of missing points: a member forgot to show its card, and attaches the receipt afterwards
 * (document number, store, date, amount) within the claim window. The partner of the receipt
 * confirms it, and it earns through the ordinary earn (earning.ts) under a key derived from the
 * claim, so a retried or concurrent confirmation earns once; or the partner rejects it.
 *
 * One receipt is claimed once: purchase_claims is unique on (partner, document number), and a
 * receipt that already earned at the till (earns.document_number) cannot be claimed at all.
 *
 * Auto-matching: a partner may record the purchases made without an identified member
 * (purchases.ts). A claim whose receipt matches a recorded purchase (receiptsMatch) is confirmed
 * without the partner's decision, whichever of the two arrives first; a mismatch leaves the claim
 * for the partner. Each side looks for the other after its own commit (confirmIfMatched), so of a
 * claim and a recording racing, the later to commit sees both; the earn runs under the claim's key.
 */

export type ClaimStatus = 'PENDING' | 'CONFIRMED' | 'REJECTED';

export interface ClaimRow {
  id: string;
  memberId: string;
  partnerId: string;
  documentNumber: string;
  storeId: string | null;
  purchaseAmountMinor: number;
  currency: string;
  purchasedAt: Date;
  status: ClaimStatus;
  rejectionReason: string | null;
  earnTransferId: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  /** The recorded purchase that confirmed the claim by itself; null when the partner decided. */
  matchedPurchaseId: string | null;
}

export interface ClaimInput {
  memberId: string;
  /** The partner of the receipt. A partner caller may omit it; a member or the operator names it. */
  partnerId?: string | null;
  documentNumber: string;
  storeId?: string | null;
  purchaseAmountMinor: number;
  currency: string;
  purchasedAt: Date | string;
}

const log = createLogger('claims');

/**
 * The one rule for which purchases a claim may still name, used by claims and by recorded
 * purchases (which exist only to be matched by claims): not in the future, and no older than the
 * claim window.
 */
export function checkWithinClaimWindow(config: LedgerDeps['config'], purchasedAt: Date, nowMs = Date.now()): void {
  if (purchasedAt.getTime() > nowMs) throw badInput('purchasedAt is in the future');
  if (purchasedAt.getTime() < nowMs - config.claimWindowDays * DAY_MS) {
    throw badInput(`purchasedAt is outside the claim window: purchases can be claimed only within ${config.claimWindowDays} days`);
  }
}

const CLAIM_COLUMNS = `id, member_id AS "memberId", partner_id AS "partnerId", document_number AS "documentNumber", store_id AS "storeId",
  purchase_amount_minor::int AS "purchaseAmountMinor", currency, purchased_at AS "purchasedAt", status,
  rejection_reason AS "rejectionReason", earn_transfer_id AS "earnTransferId", created_at AS "createdAt", decided_at AS "decidedAt",
  matched_purchase_id AS "matchedPurchaseId"`;

export async function readClaim(deps: LedgerDeps, claimId: string): Promise<ClaimRow> {
  const [claim] = (await deps.dataSource.query(`SELECT ${CLAIM_COLUMNS} FROM purchase_claims WHERE id = $1`, [claimId])) as ClaimRow[];
  if (!claim) throw notFound(`No purchase claim with id ${claimId}`);
  return claim;
}

/** The claim a recorded purchase matched, if any. */
export async function claimMatchedBy(deps: LedgerDeps, purchaseId: string): Promise<ClaimRow | null> {
  const [claim] = (await deps.dataSource.query(`SELECT ${CLAIM_COLUMNS} FROM purchase_claims WHERE matched_purchase_id = $1`, [
    purchaseId,
  ])) as ClaimRow[];
  return claim ?? null;
}

/**
 * Refuses a receipt that already earned (at the till or by a claim). An earn committing just after
 * this check is still stopped where it counts: the earn of the receipt (earns_receipt).
 */
export async function refuseEarnedReceipt(manager: EntityManager, partnerId: string, documentNumber: string): Promise<void> {
  const [earned] = (await manager.query('SELECT 1 FROM earns WHERE partner_id = $1 AND document_number = $2 LIMIT 1', [
    partnerId,
    documentNumber,
  ])) as unknown[];
  if (earned) throw receiptAlreadyEarned(documentNumber);
}

/** How far apart a claim's purchase time and the recorded one may be: a member remembers the day, not the minute. */
export const MATCH_TOLERANCE_MS = DAY_MS;

/** What a recorded purchase must agree with a claim on (the receipt's partner and number are the key of both). */
export interface ReceiptFacts {
  storeId: string | null;
  purchaseAmountMinor: number;
  currency: string;
  purchasedAt: Date;
}

/**
 * Whether a claim's receipt is the recorded purchase: the same amount and currency, the same store
 * where both name one, and purchase times within MATCH_TOLERANCE_MS. Anything else is for the
 * partner to decide.
 */
export function receiptsMatch(claim: ReceiptFacts, purchase: ReceiptFacts): boolean {
  return (
    claim.purchaseAmountMinor === purchase.purchaseAmountMinor &&
    claim.currency === purchase.currency &&
    (claim.storeId === null || purchase.storeId === null || claim.storeId === purchase.storeId) &&
    Math.abs(claim.purchasedAt.getTime() - purchase.purchasedAt.getTime()) <= MATCH_TOLERANCE_MS
  );
}

/**
 * Confirms the pending claim of a receipt if the partner recorded a matching purchase of it, and
 * earns it; run after the claim or the purchase committed, and again by a retry of either. The
 * recorded purchase vouches for the receipt as the partner's own confirmation would, so the earn
 * is the partner's. A claim that cannot earn (too small, the partner suspended) stays pending.
 */
export async function confirmIfMatched(deps: LedgerDeps, partnerId: string, documentNumber: string): Promise<ClaimRow | null> {
  const [pair] = (await deps.dataSource.query(
    `SELECT c.id AS "claimId", p.id AS "purchaseId", p.store_id AS "storeId", p.purchase_amount_minor::int AS "purchaseAmountMinor",
            p.currency, p.purchased_at AS "purchasedAt"
       FROM purchase_claims c JOIN recorded_purchases p USING (partner_id, document_number)
      WHERE c.partner_id = $1 AND c.document_number = $2
        AND (c.status = 'PENDING' OR (c.status = 'CONFIRMED' AND c.matched_purchase_id = p.id AND c.earn_transfer_id IS NULL))`,
    [partnerId, documentNumber],
  )) as (ReceiptFacts & { claimId: string; purchaseId: string })[];
  if (!pair) return null;
  const claim = await readClaim(deps, pair.claimId);
  if (!receiptsMatch(claim, pair)) return null;
  // Only a pending claim is taken (or one this purchase confirmed before, on a retry): a claim the
  // partner confirmed meanwhile earns without lines, as the partner decided it, and a rejected one
  // (the partner's word, after an earn that failed) stays rejected.
  const [, taken] = (await deps.dataSource.query(
    `UPDATE purchase_claims SET status = 'CONFIRMED', decided_at = coalesce(decided_at, now()), matched_purchase_id = $2
      WHERE id = $1 AND (status = 'PENDING' OR (status = 'CONFIRMED' AND matched_purchase_id = $2))`,
    [claim.id, pair.purchaseId],
  )) as [unknown[], number];
  if (taken === 0) return null;
  try {
    return await earnClaim(deps, { kind: 'partner', partnerId }, claim.id);
  } catch (error) {
    if (error instanceof DomainError) {
      log.info({ claimId: claim.id, code: error.code }, 'a claim matching a recorded purchase could not earn; left for the partner');
      return null;
    }
    throw error;
  }
}

/** The partner a claim is for: a partner caller claims at itself; anyone else names the partner. */
function claimPartner(caller: Caller, partnerId: string | null | undefined): string {
  if (caller.kind === 'partner') {
    if (partnerId && partnerId !== caller.partnerId) throw forbidden('A partner may attach only its own receipts');
    return caller.partnerId;
  }
  if (!partnerId) throw badInput('partnerId is required: the partner where the purchase was made');
  return checkId(partnerId, 'partnerId');
}

/**
 * Attaches a receipt for a purchase the member forgot to identify. Sending the same receipt again
 * for the same member and purchase returns the first claim (a retry is safe); any other claim of
 * a receipt already claimed, or already earned at the till, is refused.
 */
export async function submitClaim(deps: LedgerDeps, caller: Caller, input: ClaimInput): Promise<ClaimRow> {
  const memberId = checkId(input.memberId, 'memberId');
  const partnerId = claimPartner(caller, input.partnerId);
  requireClaimant(caller, memberId, partnerId, 'claim missing points');
  const documentNumber = checkText(input.documentNumber, 'documentNumber', MAX_DOCUMENT_FIELD_LENGTH);
  const storeId = input.storeId ? checkText(input.storeId, 'storeId', MAX_DOCUMENT_FIELD_LENGTH) : null;
  checkPurchaseAmount(input.purchaseAmountMinor);
  const purchasedAt = checkInstant(input.purchasedAt, 'purchasedAt');
  checkWithinClaimWindow(deps.config, purchasedAt);
  const terms = await deps.partners.partnerTerms(partnerId);
  if (!terms.active) throw forbidden('The partner is suspended and takes no claims');
  if (input.currency !== terms.currency) {
    throw badInput(`The partner's contract is in ${terms.currency}; the receipt is in ${input.currency}`);
  }

  const claim = await deps.dataSource.transaction(async (manager) => {
    const [member] = (await manager.query('SELECT id FROM members WHERE id = $1', [memberId])) as { id: string }[];
    if (!member) throw notFound(`No member with id ${memberId}`);
    await refuseEarnedReceipt(manager, partnerId, documentNumber);
    // ON CONFLICT waits for a concurrent claim of the same receipt to commit, then inserts nothing:
    // of many clients claiming one receipt at once exactly one claim is made.
    const inserted = (await manager.query(
      `INSERT INTO purchase_claims (id, member_id, partner_id, document_number, store_id, purchase_amount_minor, currency, purchased_at,
                                    status, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'PENDING', $9)
       ON CONFLICT (partner_id, document_number) DO NOTHING RETURNING id`,
      [
        randomUUID(),
        memberId,
        partnerId,
        documentNumber,
        storeId,
        input.purchaseAmountMinor,
        input.currency,
        purchasedAt,
        callerActor(caller),
      ],
    )) as { id: string }[];
    const [claim] = (await manager.query(`SELECT ${CLAIM_COLUMNS} FROM purchase_claims WHERE partner_id = $1 AND document_number = $2`, [
      partnerId,
      documentNumber,
    ])) as ClaimRow[];
    assertInvariant(claim, `the claim of receipt ${documentNumber} exists once inserted or found`);
    if (inserted.length === 0) {
      const sameClaim =
        claim.memberId === memberId &&
        claim.purchaseAmountMinor === input.purchaseAmountMinor &&
        claim.purchasedAt.getTime() === purchasedAt.getTime() &&
        claim.storeId === storeId;
      if (!sameClaim) throw badInput('The receipt was already claimed');
      return claim;
    }
    await auditOperatorAction(manager, caller, 'claimMissingPoints', claim.id, { memberId, partnerId, documentNumber });
    return claim;
  });
  // A retry runs it again: a crash between the claim's commit and its earn is repaired.
  return (await confirmIfMatched(deps, partnerId, documentNumber)) ?? claim;
}

/**
 * The partner confirms a claim: it earns as the receipt would have at the till. The claim is
 * marked CONFIRMED first (so no rejection can follow), then earned under the key `claim:<id>`: a
 * retry after a failure between the two, or a concurrent confirmation, finds the same earn.
 */
export async function confirmClaim(deps: LedgerDeps, caller: Caller, claimIdInput: string): Promise<ClaimRow> {
  const claimId = checkId(claimIdInput, 'claimId');
  const claim = await readClaim(deps, claimId);
  requirePartnerItselfOrOperator(caller, claim.partnerId, 'confirm purchase claims');
  return earnClaim(deps, caller, claimId);
}

/**
 * Marks a claim confirmed and earns it under `claim:<id>`. A claim a recorded purchase confirmed
 * earns with that purchase's basket lines (excluded categories then earn nothing, as at the till),
 * read back from the claim each time, so every run sends the earn the same input.
 */
async function earnClaim(deps: LedgerDeps, caller: Caller, claimId: string): Promise<ClaimRow> {
  const claim = await readClaim(deps, claimId);
  if (claim.status === 'REJECTED') throw badInput('The claim was rejected; it cannot be confirmed');
  if (claim.status === 'CONFIRMED' && claim.earnTransferId) return claim;
  const marked = (await deps.dataSource.query(
    `UPDATE purchase_claims SET status = 'CONFIRMED', decided_at = now() WHERE id = $1 AND status IN ('PENDING', 'CONFIRMED') RETURNING id`,
    [claimId],
  )) as [unknown[], number];
  if (marked[1] === 0) throw badInput('The claim was rejected; it cannot be confirmed');
  const { matchedPurchaseId } = await readClaim(deps, claimId);
  const [matched] = matchedPurchaseId
    ? ((await deps.dataSource.query('SELECT lines FROM recorded_purchases WHERE id = $1', [matchedPurchaseId])) as {
        lines: BasketLineInput[] | null;
      }[])
    : [];
  let transferId: string;
  try {
    ({ transferId } = await earnPoints(deps, caller, {
      memberId: claim.memberId,
      partnerId: claim.partnerId,
      purchaseAmountMinor: claim.purchaseAmountMinor,
      currency: claim.currency,
      reference: `claim ${claim.documentNumber}`,
      documentNumber: claim.documentNumber,
      storeId: claim.storeId,
      purchasedAt: claim.purchasedAt,
      lines: matched?.lines ?? null,
      idempotencyKey: `claim:${claimId}`,
    }));
  } catch (error) {
    // A receipt that cannot earn (too small, partner suspended) leaves the claim for a decision. A
    // matched purchase stays named, so any later earn of the claim sends its key the same lines.
    if (error instanceof DomainError) {
      await deps.dataSource.query(
        `UPDATE purchase_claims SET status = 'PENDING', decided_at = NULL WHERE id = $1 AND earn_transfer_id IS NULL`,
        [claimId],
      );
    }
    throw error;
  }
  await deps.dataSource.query('UPDATE purchase_claims SET earn_transfer_id = $2 WHERE id = $1', [claimId, transferId]);
  return readClaim(deps, claimId);
}

/** The partner rejects a pending claim, with its reason. The receipt stays claimed. */
export async function rejectClaim(deps: LedgerDeps, caller: Caller, claimIdInput: string, reasonInput: string): Promise<ClaimRow> {
  const claimId = checkId(claimIdInput, 'claimId');
  const reason = checkText(reasonInput, 'reason', MAX_REASON_LENGTH);
  const claim = await readClaim(deps, claimId);
  requirePartnerItselfOrOperator(caller, claim.partnerId, 'reject purchase claims');
  if (claim.status === 'REJECTED') return claim;
  await deps.dataSource.transaction(async (manager) => {
    const updated = (await manager.query(
      `UPDATE purchase_claims SET status = 'REJECTED', rejection_reason = $2, decided_at = now() WHERE id = $1 AND status = 'PENDING'`,
      [claimId, reason],
    )) as [unknown[], number];
    if (updated[1] === 0) throw badInput('The claim was confirmed; it cannot be rejected');
    await auditOperatorAction(manager, caller, 'rejectPurchaseClaim', claimId, { reason });
  });
  return readClaim(deps, claimId);
}

export interface ClaimFilter {
  memberId: string | null;
  partnerId: string | null;
  status: ClaimStatus | null;
  limit: number;
  after: (string | number)[] | null;
}

/**
 * Claims, newest first: a member's (the member itself, the operator, or a partner for those at
 * it), or a partner's (the partner itself, the operator). Fetches limit + 1 rows (toConnection).
 */
export async function listClaims(deps: LedgerDeps, caller: Caller, filter: ClaimFilter): Promise<ClaimRow[]> {
  let memberId = filter.memberId ? checkId(filter.memberId, 'memberId') : null;
  if (!memberId && caller.kind === 'member') memberId = caller.memberId;
  const partnerId = memberId
    ? memberRecordsScope(caller, memberId, 'purchase claims', filter.partnerId ? checkId(filter.partnerId, 'partnerId') : null)
    : partnerScope(caller, 'list purchase claims', {
        requestedPartnerId: filter.partnerId ? checkId(filter.partnerId, 'partnerId') : null,
      });
  const [afterAt, afterId] = filter.after ?? [null, null];
  return (await deps.dataSource.query(
    `SELECT ${CLAIM_COLUMNS} FROM purchase_claims
      WHERE ($1::uuid IS NULL OR member_id = $1) AND ($2::uuid IS NULL OR partner_id = $2) AND ($3::text IS NULL OR status = $3)
        AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $6`,
    [memberId, partnerId, filter.status, afterAt, afterId, filter.limit + 1],
  )) as ClaimRow[];
}
