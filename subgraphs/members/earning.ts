import type { EntityManager } from 'typeorm';
import { actingPartner, requirePartnerItselfOrOperator } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { assertInvariant, badInput, DomainError, forbidden, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { currencyExponent } from '../../shared/money';
import { checkId, checkText } from '../../shared/validation';
import type { MemberRow, TransferRow } from './entities';
import {
  checkFuture,
  checkInstant,
  lotExpiry,
  MAX_POINTS_PER_TRANSFER,
  checkPurchaseAmount,
  MAX_REFERENCE_LENGTH,
  writeIdempotent,
  type LedgerConfig,
  type LedgerDeps,
  DAY_MS,
} from './ledger';
import { checkBasket, hasLines, priceBasket, returnLines, storeBasket, type BasketLineInput } from './basket';
import { resolveMemberReference, type MemberReference } from './identifiers';
import { issuanceAccount, lockMember, memberAccount, pendingAccount, post } from './postings';
import { qualifyingPoints, refreshTier, tierRule } from './tiers';
import { bonusesToReverse, grantBonuses } from './campaigns';

/**
 * Earning: purchases earn points (at once, or pending until a hold ends), pending earns are posted
 * or voided exactly once (invariant 5), and refunds take points back in proportion.
 */

export const MAX_PENDING_HOLD_MS = 366 * DAY_MS;

export interface EarnInput {
  /** The member, by id; or by `member` (a card number, a phone number, a checkout token...). */
  memberId?: string | null;
  member?: MemberReference | null;
  partnerId?: string | null;
  purchaseAmountMinor: number;
  currency: string;
  reference: string;
  pendingUntil?: Date | string | null;
  /** The basket (basket.ts): lines that add up to the purchase amount; points are then per eligible line. */
  lines?: readonly BasketLineInput[] | null;
  /** The receipt or invoice number, and the store (location) of the partner. */
  documentNumber?: string | null;
  storeId?: string | null;
  /**
   * When the purchase was made, if before now: a confirmed claim of missing points (claims.ts). Its
   * lot's lifetime then runs from the purchase, as it would have had the card been shown. Not part
   * of the public input: a till earns as of now.
   */
  purchasedAt?: Date | null;
  idempotencyKey: string;
}

/** Longest document number or store id. */
export const MAX_DOCUMENT_FIELD_LENGTH = 64;

/** A receipt earns once, at the till or by a claim: the refusal both paths give. */
export function receiptAlreadyEarned(documentNumber: string): DomainError {
  return new DomainError('RECEIPT_ALREADY_EARNED', `Receipt ${documentNumber} already earned points at this partner`);
}

/**
 * Points for a purchase: amount x earn rate x tier multiplier, rounded down to a whole point
 * (a member never gets a point the partner did not pay for). Pure integer arithmetic.
 */
export function pointsForPurchase(
  purchaseAmountMinor: number,
  earnRateMilliPointsPerUnit: number,
  earnMultiplierPermille: number,
  currency: string,
): number {
  const minorPerUnit = 10n ** BigInt(currencyExponent(currency));
  const points =
    (BigInt(purchaseAmountMinor) * BigInt(earnRateMilliPointsPerUnit) * BigInt(earnMultiplierPermille)) / (1000n * 1000n * minorPerUnit);
  return Number(points);
}

interface EarnRow {
  transfer_id: string;
  member_id: string;
  partner_id: string;
  points: number;
  purchase_amount_minor: number;
  refunded_amount_minor: number;
  reversed_points: number;
  status: 'PENDING' | 'POSTED' | 'VOIDED';
  lot_id: string | null;
  settle_transfer_id: string | null;
}

export interface Earned {
  transferId: string;
  /** The transfer as this call wrote it (the answer, not read back); null when its key's first result answered. */
  transfer: TransferRow | null;
}

export async function earnPoints(deps: LedgerDeps, caller: Caller, input: EarnInput): Promise<Earned> {
  const partnerId = actingPartner(caller, input.partnerId, 'post purchases');
  // A card alone is enough to earn: points coming in need no proof that the member is present. A
  // checkout token only names the member here; it stays usable for a spend.
  const { memberId } = await resolveMemberReference(deps, input, caller.kind === 'partner' ? partnerId : null);
  checkPurchaseAmount(input.purchaseAmountMinor);
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE_LENGTH);
  const pendingUntil = input.pendingUntil ? checkInstant(input.pendingUntil, 'pendingUntil') : null;
  const lines = input.lines ? checkBasket(input.lines, input.purchaseAmountMinor) : null;
  const documentNumber = input.documentNumber ? checkText(input.documentNumber, 'documentNumber', MAX_DOCUMENT_FIELD_LENGTH) : null;
  const storeId = input.storeId ? checkText(input.storeId, 'storeId', MAX_DOCUMENT_FIELD_LENGTH) : null;
  const terms = await deps.partners.partnerTerms(partnerId);
  if (!terms.active) throw forbidden('The partner is suspended and cannot post purchases');
  // Checked before the transaction, as the terms are: an activation committed after it applies from the next earn.
  const campaignsMayApply = await deps.campaignReach.mayReach(partnerId);
  if (input.currency !== terms.currency) {
    throw badInput(`The partner's contract is in ${terms.currency}; the purchase is in ${input.currency}`);
  }

  const request = {
    memberId,
    partnerId,
    purchaseAmountMinor: input.purchaseAmountMinor,
    currency: input.currency,
    reference,
    pendingUntil: pendingUntil?.toISOString() ?? null,
    // Only when given: a request from before baskets existed keeps its hash, so its retry still answers.
    ...(lines ? { lines } : {}),
    ...(documentNumber ? { documentNumber } : {}),
    ...(storeId ? { storeId } : {}),
    ...(input.purchasedAt ? { purchasedAt: input.purchasedAt.toISOString() } : {}),
  };
  let written: TransferRow | null = null;
  const { transferId } = await writeIdempotent(
    deps,
    { scope: `earnPoints:${partnerId}`, key: input.idempotencyKey, request },
    async (manager) => {
      written = null;
      if (pendingUntil) checkFuture(pendingUntil, 'pendingUntil', MAX_PENDING_HOLD_MS);
      const member = await lockMember(manager, memberId);
      // The tier held before this purchase sets its multiplier.
      const qualifyingBefore = await qualifyingPoints(manager, memberId);
      const tierBefore = await refreshTier(manager, member, qualifyingBefore);
      const { earnMultiplierPermille } = tierRule(tierBefore);
      const priced = lines ? await priceBasket(manager, lines, terms, earnMultiplierPermille) : null;
      const points = priced
        ? priced.reduce((sum, line) => sum + line.points, 0)
        : pointsForPurchase(input.purchaseAmountMinor, terms.earnRateMilliPointsPerUnit, earnMultiplierPermille, terms.currency);
      if (points < 1) {
        throw badInput(
          priced
            ? 'The purchase earns no whole point: its eligible lines are too small, or every line is in an excluded category'
            : 'The purchase is too small to earn a whole point',
        );
      }
      if (points > MAX_POINTS_PER_TRANSFER) throw badInput(`The purchase would earn more than ${MAX_POINTS_PER_TRANSFER} points`);
      const pending = pendingUntil !== null;
      // The receipt's unique key (earns_receipt) decides between a till earn and a claim of the same
      // receipt racing: the second waits for the first to commit, records nothing, and is refused,
      // its posting rolled back with it.
      const {
        transferId: id,
        transfer,
        earnRecorded,
      } = await post(manager, {
        kind: pending ? 'EARN_PENDING' : 'EARN',
        from: issuanceAccount(partnerId),
        to: pending ? pendingAccount(memberId) : memberAccount(memberId),
        points,
        partnerId,
        reference,
        createdBy: callerActor(caller),
        lotExpiresAt: lotExpiry(deps.config, input.purchasedAt ?? new Date()),
        effectiveAt: input.purchasedAt ?? undefined,
        earn: {
          purchaseAmountMinor: input.purchaseAmountMinor,
          currency: terms.currency,
          releaseAt: pendingUntil,
          documentNumber,
          storeId,
        },
      });
      if (!earnRecorded) throw receiptAlreadyEarned(documentNumber!);
      if (priced) await storeBasket(manager, id, priced);
      // Campaigns grant on points the member has: at once here, or when a pending earn posts (postPending).
      if (!pending) {
        if (campaignsMayApply) {
          await grantBonuses(manager, {
            earnId: id,
            memberId,
            partnerId,
            tier: tierBefore,
            points,
            createdBy: callerActor(caller),
            lotExpiresAt: lotExpiry(deps.config),
          });
        }
        // The earn just posted counts in full (posted now, nothing refunded); bonuses are not earns.
        await refreshTier(manager, member, qualifyingBefore + points);
      }
      await auditOperatorAction(manager, caller, 'earnPoints', id, { memberId, partnerId, points, pending });
      written = transfer;
      return { transferId: id };
    },
  );
  // The work's own transfer, only when it is the key's answer: a deadlock victim's rerun (shared/
  // idempotency.ts) may have run the work, rolled back, and then found another attempt's result.
  const answered = written as TransferRow | null;
  return { transferId, transfer: answered?.id === transferId ? answered : null };
}

/**
 * A refund of a purchase without lines: after refunds totalling R of a purchase P that earned E,
 * floor(E x R / P) points have been taken back in all.
 */
function amountRefund(earn: EarnRow, refundAmountMinor: number | null, returnedLines: readonly number[] | null) {
  if (returnedLines) throw badInput('The purchase was posted without lines; refund it by refundAmountMinor');
  const refundable = earn.purchase_amount_minor - earn.refunded_amount_minor;
  const refund = refundAmountMinor ?? refundable;
  if (refund < 1 || refund > refundable)
    throw badInput(`The refund must be between 1 and ${refundable} minor units (what remains of the purchase)`);
  const reversedTotal = Number((BigInt(earn.points) * BigInt(earn.refunded_amount_minor + refund)) / BigInt(earn.purchase_amount_minor));
  return { refund, toTakeBack: reversedTotal - earn.reversed_points };
}

/** A return of lines: each takes back exactly the points it earned. Without lines named, every line not yet returned. */
async function lineRefund(
  manager: EntityManager,
  earn: EarnRow,
  refundAmountMinor: number | null,
  returnedLines: readonly number[] | null,
) {
  if (refundAmountMinor !== null) throw badInput('The purchase was posted with lines; refund it by returnedLines');
  let lineNumbers = returnedLines;
  if (!lineNumbers) {
    const rows = (await manager.query(
      'SELECT line_number FROM earn_lines WHERE earn_id = $1 AND returned_at IS NULL ORDER BY line_number',
      [earn.transfer_id],
    )) as { line_number: number }[];
    if (rows.length === 0) throw badInput('Every line of the purchase was already returned');
    lineNumbers = rows.map((r) => r.line_number);
  }
  const returned = await returnLines(manager, earn.transfer_id, lineNumbers);
  return { refund: returned.amountMinor, toTakeBack: returned.points };
}

async function lockEarn(manager: EntityManager, earnId: string): Promise<{ earn: EarnRow; member: MemberRow }> {
  const [found] = (await manager.query('SELECT member_id FROM earns WHERE transfer_id = $1', [earnId])) as { member_id: string }[];
  if (!found) throw notFound(`No earn with id ${earnId}`);
  const member = await lockMember(manager, found.member_id);
  const [earn] = (await manager.query(
    `SELECT transfer_id, member_id, partner_id, points::int AS points, purchase_amount_minor::int AS purchase_amount_minor,
            refunded_amount_minor::int AS refunded_amount_minor, reversed_points::int AS reversed_points, status, lot_id, settle_transfer_id
       FROM earns WHERE transfer_id = $1`,
    [earnId],
  )) as EarnRow[];
  assertInvariant(earn, `earn ${earnId} still exists`);
  return { earn, member };
}

/**
 * Posts a pending earn (confirmation, or its hold ended): the points become the member's, as a lot,
 * and the campaigns active now grant their bonuses on it, as on an immediate earn (once: the earn
 * posts once). The member is locked.
 */
async function postPending(
  config: LedgerConfig,
  manager: EntityManager,
  member: MemberRow,
  earn: EarnRow,
  createdBy: string,
): Promise<string> {
  assertInvariant(earn.status === 'PENDING', `earn ${earn.transfer_id} is pending`);
  const tierBefore = await refreshTier(manager, member);
  const { transferId, lotId } = await post(manager, {
    kind: 'EARN_POST',
    from: pendingAccount(member.id),
    to: memberAccount(member.id),
    points: earn.points,
    partnerId: earn.partner_id,
    createdBy,
    lotExpiresAt: lotExpiry(config),
  });
  await manager.query(
    `UPDATE earns SET status = 'POSTED', posted_at = now(), lot_id = $2, settle_transfer_id = $3 WHERE transfer_id = $1`,
    [earn.transfer_id, lotId, transferId],
  );
  await grantBonuses(manager, {
    earnId: earn.transfer_id,
    memberId: member.id,
    partnerId: earn.partner_id,
    tier: tierBefore,
    points: earn.points,
    createdBy,
    lotExpiresAt: lotExpiry(config),
  });
  await refreshTier(manager, member);
  return transferId;
}

/**
 * Posts a pending earn whose hold ended (maintenance), re-checked under the member's lock: false
 * when another pass or a confirmation settled it first.
 */
export async function postEndedHold(
  config: LedgerConfig,
  manager: EntityManager,
  earnId: string,
  createdBy: string,
): Promise<string | null> {
  const { earn, member } = await lockEarn(manager, earnId);
  if (earn.status !== 'PENDING') return null;
  return postPending(config, manager, member, earn, createdBy);
}

export interface SettlePendingInput {
  earnId: string;
  idempotencyKey: string;
}

/** Posts a pending earn now. Confirming a posted earn returns its posting; a voided one is refused. */
export async function confirmPendingEarn(deps: LedgerDeps, caller: Caller, input: SettlePendingInput): Promise<string> {
  const earnId = checkId(input.earnId, 'earnId');
  const { transferId } = await writeIdempotent(
    deps,
    { scope: `confirmPendingEarn:${callerActor(caller)}`, key: input.idempotencyKey, request: { earnId } },
    async (manager) => {
      const { earn, member } = await lockEarn(manager, earnId);
      requirePartnerItselfOrOperator(caller, earn.partner_id, 'confirm pending points');
      if (earn.status === 'VOIDED') throw badInput('The pending earn was voided; it cannot be posted');
      if (earn.status === 'POSTED') return { transferId: earn.settle_transfer_id ?? earn.transfer_id };
      const transferId = await postPending(deps.config, manager, member, earn, callerActor(caller));
      await auditOperatorAction(manager, caller, 'confirmPendingEarn', earnId, { transferId, memberId: member.id, points: earn.points });
      return { transferId };
    },
  );
  return transferId;
}

/** Cancels a pending earn: its points go back to the partner's issuance account. */
export async function voidPendingEarn(deps: LedgerDeps, caller: Caller, input: SettlePendingInput): Promise<string> {
  const earnId = checkId(input.earnId, 'earnId');
  const { transferId } = await writeIdempotent(
    deps,
    { scope: `voidPendingEarn:${callerActor(caller)}`, key: input.idempotencyKey, request: { earnId } },
    async (manager) => {
      const { earn, member } = await lockEarn(manager, earnId);
      requirePartnerItselfOrOperator(caller, earn.partner_id, 'void pending points');
      if (earn.status === 'POSTED') throw badInput('The earn was already posted; refund it with reverseEarn instead');
      if (earn.status === 'VOIDED') return { transferId: earn.settle_transfer_id! };
      const { transferId: id } = await post(manager, {
        kind: 'EARN_VOID',
        from: pendingAccount(member.id),
        to: issuanceAccount(earn.partner_id),
        points: earn.points,
        partnerId: earn.partner_id,
        createdBy: callerActor(caller),
      });
      await manager.query(`UPDATE earns SET status = 'VOIDED', settle_transfer_id = $2 WHERE transfer_id = $1`, [earnId, id]);
      await auditOperatorAction(manager, caller, 'voidPendingEarn', earnId, { transferId: id, memberId: member.id, points: earn.points });
      return { transferId: id };
    },
  );
  return transferId;
}

// ---------------------------------------------------------------------------------------------
// Refunds

export interface ReverseInput {
  earnId: string;
  refundAmountMinor?: number | null;
  /** For a purchase posted with lines: the line numbers returned (1 for the first line given). */
  returnedLines?: readonly number[] | null;
  reference: string;
  idempotencyKey: string;
}

export interface ReversalResult {
  memberId: string;
  pointsReversed: number;
  pointsClawedBack: number;
  transferIds: string[];
}

/**
 * Takes points back from a member to a partner's issuance: what the member still has is reversed
 * (the preferred lots first), what it already spent is clawed back, leaving a recorded debt. The
 * member is locked.
 */
async function takeBack(
  manager: EntityManager,
  memberId: string,
  points: number,
  common: { partnerId: string; reference: string; createdBy: string; reverses: string; preferredLotIds: string[] },
): Promise<{ reversed: number; clawedBack: number; transferIds: string[] }> {
  const [{ available }] = (await manager.query(
    `SELECT balance_points::int AS available FROM accounts WHERE kind = 'MEMBER' AND owner_id = $1`,
    [memberId],
  )) as [{ available: number }];
  const reversed = Math.min(points, Math.max(available, 0));
  const clawedBack = points - reversed;
  const transferIds: string[] = [];
  const posting = { ...common, from: memberAccount(memberId), to: issuanceAccount(common.partnerId) };
  if (reversed > 0) transferIds.push((await post(manager, { ...posting, kind: 'REVERSAL', points: reversed })).transferId);
  if (clawedBack > 0) transferIds.push((await post(manager, { ...posting, kind: 'CLAWBACK', points: clawedBack })).transferId);
  return { reversed, clawedBack, transferIds };
}

/**
 * Takes back the points of a refund, in proportion: after refunds totalling R of a purchase P that
 * earned E points, floor(E x R / P) points have been taken back in all (so partial refunds never
 * drift from the whole, and a full refund takes back exactly E). What the member still has is
 * reversed (its own lot first); what it already spent is clawed back, leaving a recorded debt.
 */
export async function reverseEarn(deps: LedgerDeps, caller: Caller, input: ReverseInput): Promise<ReversalResult> {
  const earnId = checkId(input.earnId, 'earnId');
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE_LENGTH);
  if (input.refundAmountMinor !== undefined && input.refundAmountMinor !== null) {
    if (!Number.isSafeInteger(input.refundAmountMinor) || input.refundAmountMinor < 1)
      throw badInput('refundAmountMinor must be a positive whole number');
  }
  const returnedLines = input.returnedLines ?? null;
  if (returnedLines && input.refundAmountMinor != null) throw badInput('Refund by returnedLines or by refundAmountMinor, not both');
  const request = { earnId, refundAmountMinor: input.refundAmountMinor ?? null, reference, ...(returnedLines ? { returnedLines } : {}) };
  return writeIdempotent(deps, { scope: `reverseEarn:${callerActor(caller)}`, key: input.idempotencyKey, request }, async (manager) => {
    const { earn, member } = await lockEarn(manager, earnId);
    requirePartnerItselfOrOperator(caller, earn.partner_id, 'refund purchases');
    if (earn.status === 'PENDING') throw badInput('The earn is still pending; cancel it with voidPendingEarn instead');
    if (earn.status === 'VOIDED') throw badInput('The earn was voided; there is nothing to refund');
    const { refund, toTakeBack } = (await hasLines(manager, earnId))
      ? await lineRefund(manager, earn, input.refundAmountMinor ?? null, returnedLines)
      : amountRefund(earn, input.refundAmountMinor ?? null, returnedLines);
    const refundedTotal = earn.refunded_amount_minor + refund;
    const reversedTotal = earn.reversed_points + toTakeBack;
    await manager.query('UPDATE earns SET refunded_amount_minor = $2, reversed_points = $3 WHERE transfer_id = $1', [
      earnId,
      refundedTotal,
      reversedTotal,
    ]);

    const createdBy = callerActor(caller);
    // Priced like the points' issuance: the posting of a pending earn, or the earn itself.
    const base = await takeBack(manager, member.id, toTakeBack, {
      partnerId: earn.partner_id,
      reference,
      createdBy,
      reverses: earn.settle_transfer_id ?? earn.transfer_id,
      preferredLotIds: earn.lot_id ? [earn.lot_id] : [],
    });
    const transferIds = base.transferIds;
    let reversed = base.reversed;
    let clawedBack = base.clawedBack;
    // The bonuses go back to their funders, in the same proportion as the points (campaigns.ts).
    for (const bonus of await bonusesToReverse(manager, earnId, refundedTotal, earn.purchase_amount_minor)) {
      const taken = await takeBack(manager, member.id, bonus.points, {
        partnerId: bonus.funderPartnerId,
        reference,
        createdBy,
        reverses: bonus.bonusTransferId,
        preferredLotIds: [],
      });
      transferIds.push(...taken.transferIds);
      reversed += taken.reversed;
      clawedBack += taken.clawedBack;
    }
    await refreshTier(manager, member);
    await auditOperatorAction(manager, caller, 'reverseEarn', earnId, {
      memberId: member.id,
      refundAmountMinor: refund,
      pointsReversed: reversed,
      pointsClawedBack: clawedBack,
      transferIds,
    });
    return { memberId: member.id, pointsReversed: reversed, pointsClawedBack: clawedBack, transferIds };
  });
}
