import { actingPartner, requireMemberItselfOrOperator, requireMemberPresent, requireOperator, requireSignedIn } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { badInput, DomainError, forbidden } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { recordedOutcome } from '../../shared/idempotency';
import { checkCashPart, pointsToMinor, type CashPart } from '../../shared/money';
import { checkId, checkText } from '../../shared/validation';
import {
  checkFuture,
  checkInstant,
  checkPoints,
  lotExpiry,
  MAX_POINTS_PER_TRANSFER,
  MAX_PURCHASE_AMOUNT_MINOR,
  MAX_REASON_LENGTH,
  MAX_REFERENCE_LENGTH,
  writeIdempotent,
  type LedgerDeps,
  DAY_MS,
} from './ledger';
import { useCheckoutToken } from './checkout';
import { tokenForSpend } from './pins';
import { resolveMemberReference, type MemberReference } from './identifiers';
import { adjustmentAccount, lockMember, lockMembers, memberAccount, post, redemptionAccount } from './postings';

/**
 * Points leaving or changing hands outside a redemption: paying with points at a point of sale,
 * gifts between members, and the operator's corrections.
 */

export const MAX_ADJUSTMENT_LIFETIME_MS = 10 * 366 * DAY_MS;
/**
 * Most a burn may be worth, in minor units: what the graph's `PointsBurn.valueMinor` (an Int) can
 * answer. Checked before anything is written, so no burn commits and then fails to answer (in a
 * three-decimal currency a large burn at a high redemption value would pass 2^31).
 */
export const MAX_BURN_VALUE_MINOR = 2_147_483_647n;

export interface BurnInput {
  /** The member, by id; or by `member`. */
  memberId?: string | null;
  member?: MemberReference | null;
  partnerId?: string | null;
  points: number;
  reference: string;
  /** The member's checkout token, which a partner must present (unless `member` names the member by it)... */
  checkoutToken?: string | null;
  /** ...or the member's PIN, typed at the till (pins.ts). */
  pin?: string | null;
  /** Points + cash: the part of the price the member pays in money, at the till. */
  cash?: CashPart | null;
  idempotencyKey: string;
}

/**
 * Spends points at a partner without a catalog reward; resolves with the transfer and its money
 * value. A partner needs the member present: its checkout token, used in the burn's transaction.
 */
export async function burnPoints(
  deps: LedgerDeps,
  caller: Caller,
  input: BurnInput,
): Promise<{ transferId: string; valueMinor: number; currency: string; cash: CashPart | null }> {
  requireSignedIn(caller, 'spend points');
  const resolved = await resolveMemberReference(deps, input, caller.kind === 'partner' ? caller.partnerId : null);
  const memberId = resolved.memberId;
  if (resolved.checkoutToken && input.checkoutToken && resolved.checkoutToken !== input.checkoutToken) {
    throw badInput('The member is named by one checkout token and checkoutToken gives another');
  }
  const presence = requireMemberPresent(
    caller,
    memberId,
    { checkoutToken: resolved.checkoutToken ?? input.checkoutToken, pin: input.pin },
    'spend its points',
  );
  let partnerId: string;
  if (caller.kind === 'member') {
    // A member pays with its own points, naming where; a partner takes them at its point of sale.
    if (!input.partnerId) throw badInput('partnerId is required when a member pays with points');
    partnerId = checkId(input.partnerId, 'partnerId');
  } else {
    partnerId = actingPartner(caller, input.partnerId, 'take points at a point of sale');
  }
  checkPoints(input.points);
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE_LENGTH);
  const terms = await deps.partners.partnerTerms(partnerId);
  if (!terms.active) throw forbidden('The partner is suspended and cannot take points');
  const valueMinor = pointsToMinor(BigInt(input.points), BigInt(terms.redemptionValueMicrosPerPoint), terms.currency);
  if (valueMinor > MAX_BURN_VALUE_MINOR) {
    throw badInput(
      `The points are worth ${valueMinor} minor units of ${terms.currency}; a burn may be worth at most ${MAX_BURN_VALUE_MINOR}`,
    );
  }
  const cash = input.cash ? checkCashPart(input.cash, terms.currency) : null;
  // Only when given: a retry of a burn from before points + cash keeps its hash.
  const request = { memberId, partnerId, points: input.points, reference, ...(cash ? { cash } : {}) };
  const keyed = { scope: `burnPoints:${callerActor(caller)}`, key: input.idempotencyKey, request };
  // A retry of a burn that has its answer gets it without the PIN typed again: a PIN attempt counts
  // towards the member's lock, and a lock (or a new PIN) since the burn must not refuse its answer.
  if (presence !== null && 'pin' in presence) {
    const answered = await recordedOutcome<Awaited<ReturnType<typeof burnPoints>>>(deps.dataSource, keyed);
    if (answered) return answered.result;
  }
  const checkoutToken = await tokenForSpend(deps, presence, { memberId, points: input.points });
  return writeIdempotent(deps, keyed, async (manager) => {
    await lockMember(manager, memberId);
    if (checkoutToken)
      await useCheckoutToken(deps, manager, { token: checkoutToken, memberId, partnerId, points: input.points, usedFor: 'burnPoints' });
    const { transferId } = await post(manager, {
      kind: 'BURN',
      from: memberAccount(memberId),
      to: redemptionAccount(partnerId),
      points: input.points,
      partnerId,
      reference,
      createdBy: callerActor(caller),
    });
    if (cash) {
      await manager.query('INSERT INTO burn_cash_parts (transfer_id, amount_minor, currency) VALUES ($1, $2, $3)', [
        transferId,
        cash.amountMinor,
        cash.currency,
      ]);
    }
    await auditOperatorAction(manager, caller, 'burnPoints', transferId, { memberId, partnerId, points: input.points, cash });
    return { transferId, valueMinor: Number(valueMinor), currency: terms.currency, cash };
  });
}

// ---------------------------------------------------------------------------------------------
// Member to member

export interface TransferInput {
  fromMemberId: string;
  toMemberId: string;
  points: number;
  idempotencyKey: string;
}

/**
 * Gives points to another member, within the giver's daily limit. The points keep their expiry
 * dates (the posting kernel copies the giver's lots): a gift never extends the life of points.
 */
export async function transferPoints(deps: LedgerDeps, caller: Caller, input: TransferInput): Promise<string> {
  const fromMemberId = checkId(input.fromMemberId, 'fromMemberId');
  const toMemberId = checkId(input.toMemberId, 'toMemberId');
  requireMemberItselfOrOperator(caller, fromMemberId, 'give its points');
  if (fromMemberId === toMemberId) throw badInput('A member cannot transfer points to itself');
  checkPoints(input.points);
  const request = { fromMemberId, toMemberId, points: input.points };
  const { transferId } = await writeIdempotent(
    deps,
    { scope: `transferPoints:${fromMemberId}`, key: input.idempotencyKey, request },
    async (manager) => {
      await lockMembers(manager, [fromMemberId, toMemberId]);
      const [{ given }] = (await manager.query(
        `SELECT coalesce(sum(points), 0)::int AS given FROM transfers
          WHERE member_id = $1 AND kind = 'TRANSFER' AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
        [fromMemberId],
      )) as [{ given: number }];
      const limit = deps.config.transferDailyLimitPoints;
      if (given + input.points > limit) {
        throw new DomainError(
          'LIMIT_EXCEEDED',
          `A member may give at most ${limit} points a day; ${Math.max(limit - given, 0)} remain today`,
        );
      }
      const { transferId: id } = await post(manager, {
        kind: 'TRANSFER',
        from: memberAccount(fromMemberId),
        to: memberAccount(toMemberId),
        points: input.points,
        createdBy: callerActor(caller),
      });
      await auditOperatorAction(manager, caller, 'transferPoints', id, { fromMemberId, toMemberId, points: input.points });
      return { transferId: id };
    },
  );
  return transferId;
}

// ---------------------------------------------------------------------------------------------
// Operator adjustments

export interface AdjustInput {
  memberId: string;
  points: number;
  reason: string;
  expiresAt?: Date | string | null;
  idempotencyKey: string;
}

/** Adds or removes points with a reason; the transfer row records who and why (the audit trail). */
export async function adjustPoints(deps: LedgerDeps, caller: Caller, input: AdjustInput): Promise<string> {
  requireOperator(caller, 'adjust points');
  const memberId = checkId(input.memberId, 'memberId');
  if (!Number.isSafeInteger(input.points) || input.points === 0 || Math.abs(input.points) > MAX_POINTS_PER_TRANSFER) {
    throw badInput(`points must be a non-zero whole number between -${MAX_POINTS_PER_TRANSFER} and ${MAX_POINTS_PER_TRANSFER}`);
  }
  const reason = checkText(input.reason, 'reason', MAX_REASON_LENGTH);
  if (input.expiresAt && input.points < 0) throw badInput('expiresAt applies only to added points');
  const expiresAt = input.expiresAt ? checkInstant(input.expiresAt, 'expiresAt') : null;
  const request = { memberId, points: input.points, reason, expiresAt: expiresAt?.toISOString() ?? null };
  const { transferId } = await writeIdempotent(
    deps,
    { scope: `adjustPoints:${callerActor(caller)}`, key: input.idempotencyKey, request },
    async (manager) => {
      if (expiresAt) checkFuture(expiresAt, 'expiresAt', MAX_ADJUSTMENT_LIFETIME_MS);
      await lockMember(manager, memberId);
      const adding = input.points > 0;
      const { transferId: id } = await post(manager, {
        kind: 'ADJUSTMENT',
        from: adding ? adjustmentAccount : memberAccount(memberId),
        to: adding ? memberAccount(memberId) : adjustmentAccount,
        points: Math.abs(input.points),
        reason,
        createdBy: callerActor(caller),
        lotExpiresAt: expiresAt ?? lotExpiry(deps.config),
      });
      await auditOperatorAction(manager, caller, 'adjustPoints', id, { memberId, points: input.points, reason });
      return { transferId: id };
    },
  );
  return transferId;
}
