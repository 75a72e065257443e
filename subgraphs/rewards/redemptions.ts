import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { partnerScope, requireMemberItselfOrOperator, requireMemberPresent, requireSignedIn } from '../../shared/access';
import { assertInvariant, badInput, DomainError, ERROR_CODES, forbidden, notFound, type ErrorCode } from '../../shared/errors';
import { auditOperatorAction } from '../../shared/audit';
import { idempotentTransaction, recordedOutcome } from '../../shared/idempotency';
import type { Caller } from '../../shared/identity';
import { appendEvent } from '../../shared/outbox';
import { checkId } from '../../shared/validation';
import { splitPrice } from './catalog';
import { RedemptionRow, RewardRow, type TierLevel } from './entities';

/**
 * The rewards domain core, part two: redemptions, a saga over this subgraph (stock, voucher) and
 * the members ledger (reserve, then post; refund on cancellation). No GraphQL here. Points move only
 * through the ledger (the PointsLedger port); this subgraph never writes a balance.
 *
 * The saga's state is the redemption row; every step is idempotent and re-runnable, so a crash of
 * either subgraph at any step is repaired by running the remaining steps again (recover()):
 *   PENDING    stock held          -> reserve points (key redemption:<id>) -> post -> ISSUED
 *                                  -> the ledger refused (or the hold was voided) -> FAILED, stock back
 *   ISSUED     voucher usable      -> USED (useVoucher) | EXPIRED (after voucherExpiresAt) | CANCELLING
 *   CANCELLING cancel committed    -> refund the reservation -> CANCELLED, stock back
 */

/** What the rewards subgraph needs of the members ledger. */
export interface PointsLedger {
  /** Holds points; idempotent by key (a refusal included). Resolves with the reservation id. */
  reserve(input: {
    memberId: string;
    partnerId: string;
    points: number;
    reference: string;
    minTier: TierLevel;
    /** The member's checkout token, when a partner redeems at its till: the ledger checks and uses it with the hold. */
    checkoutToken?: string | null;
    idempotencyKey: string;
  }): Promise<string>;
  /**
   * A checkout token for this partner bought with the member's PIN typed at its till: the ledger
   * checks the PIN and counts a wrong one (FORBIDDEN; LIMIT_EXCEEDED once locked).
   */
  checkoutTokenForPin(input: { memberId: string; partnerId: string; pin: string }): Promise<string>;
  /** The member a till's reference names (a card number, a checkout token...); `partnerId` is the partner presenting it. */
  resolveMember(reference: MemberReference, partnerId: string | null): Promise<string>;
  /** Spends held points; posting twice is a no-op. Resolves with the ledger's REDEEM transfer id. */
  post(reservationId: string): Promise<string>;
  /** Gives spent points back; refunding twice is a no-op. */
  refund(reservationId: string): Promise<void>;
}

export interface RedemptionDeps {
  dataSource: DataSource;
  ledger: PointsLedger;
  /** Called after a commit that appended outbox events. */
  onEventsAppended(): void;
}

// ---------------------------------------------------------------------------------------------
// Voucher codes

/**
 * 12 symbols of Crockford's base32 alphabet (no I, L, O, U: nothing to misread) from the operating
 * system's CSPRNG: 60 bits of entropy. With a million live vouchers a guess succeeds with
 * probability 1e6 / 2^60, under 1e-12; an attacker needs around 10^12 attempts for one hit, far
 * beyond any rate limit. Codes are unique (database constraint).
 */
const VOUCHER_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const VOUCHER_CODE_LENGTH = 12;

export function newVoucherCode(): string {
  let code = '';
  for (let i = 0; i < VOUCHER_CODE_LENGTH; i += 1) code += VOUCHER_ALPHABET[randomInt(VOUCHER_ALPHABET.length)];
  return code;
}

// ---------------------------------------------------------------------------------------------
// Events

/** Appends a redemption event with the member's next number in this subgraph's sequence. */
async function recordEvent(
  manager: EntityManager,
  redemption: RedemptionRow,
  type: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const [row] = (await manager.query(
    `INSERT INTO member_event_sequences (member_id, last_sequence) VALUES ($1, 1)
     ON CONFLICT (member_id) DO UPDATE SET last_sequence = member_event_sequences.last_sequence + 1 RETURNING last_sequence`,
    [redemption.memberId],
  )) as { last_sequence: number }[];
  await appendEvent(manager, {
    type,
    memberId: redemption.memberId,
    memberSequence: row!.last_sequence,
    payload: {
      redemptionId: redemption.id,
      rewardId: redemption.rewardId,
      partnerId: redemption.partnerId,
      points: redemption.pointsSpent,
      // Points + cash: the money part the partner takes at the till (a bigint column: an exact string).
      ...(redemption.cashAmountMinor !== null && redemption.cashCurrency !== null
        ? { cash: { amountMinor: Number(redemption.cashAmountMinor), currency: redemption.cashCurrency } }
        : {}),
      ...extra,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Redeeming

/** How a till names a member (the members subgraph's MemberReferenceInput): exactly one field. */
export interface MemberReference {
  id?: string | null;
  cardNumber?: string | null;
  phoneNumber?: string | null;
  email?: string | null;
  checkoutToken?: string | null;
}

export interface RedeemInput {
  memberId?: string | null;
  member?: MemberReference | null;
  rewardId: string;
  /** The member's checkout token, which a partner must present... */
  checkoutToken?: string | null;
  /** ...or the member's PIN, typed at the till. */
  pin?: string | null;
  /** Points + cash: the points to pay, the rest in money at the reward's cash option (catalog.ts, splitPrice). */
  pointsPart?: number | null;
  idempotencyKey: string;
}

/** The member an input names, by memberId or a reference the ledger resolves; and the token the reference gave, if any. */
async function redeemingMember(
  deps: RedemptionDeps,
  caller: Caller,
  input: RedeemInput,
): Promise<{ memberId: string; token: string | null }> {
  if ((input.memberId ? 1 : 0) + (input.member ? 1 : 0) !== 1) throw badInput('Name the member by exactly one of memberId and member');
  if (input.memberId) return { memberId: checkId(input.memberId, 'memberId'), token: null };
  const reference = input.member!;
  const partnerId = caller.kind === 'partner' ? caller.partnerId : null;
  const memberId = checkId(await deps.ledger.resolveMember(reference, partnerId), 'memberId');
  return { memberId, token: reference.checkoutToken ?? null };
}

/**
 * Step 1 holds one unit of stock and records a PENDING redemption, in one transaction under the
 * reward's row lock: the conditional decrement never oversells, and the per-member count read after
 * the lock sees every committed redemption of the reward. Then the saga runs to its end (advance).
 * A retry with the same key returns the same redemption in whatever state it reached, repeating the
 * error of a FAILED one; if the ledger is unreachable the caller gets UPSTREAM_UNAVAILABLE and
 * recovery completes the redemption later.
 */
export async function redeemReward(deps: RedemptionDeps, caller: Caller, input: RedeemInput): Promise<string> {
  requireSignedIn(caller, 'redeem rewards');
  const rewardId = checkId(input.rewardId, 'rewardId');
  const named = await redeemingMember(deps, caller, input);
  const memberId = named.memberId;
  if (named.token && input.checkoutToken && named.token !== input.checkoutToken) {
    throw badInput('The member is named by one checkout token and checkoutToken gives another');
  }
  const presence = requireMemberPresent(
    caller,
    memberId,
    { checkoutToken: named.token ?? input.checkoutToken, pin: input.pin },
    'redeem its points',
  );
  // A partner's redemptions have keys of their own: its key never answers with the member's redemption.
  const scope = caller.kind === 'partner' ? `redeemReward:${memberId}:partner:${caller.partnerId}` : `redeemReward:${memberId}`;
  // pointsPart only when given: a retry from before points + cash keeps its hash. Another points
  // part (so another cash part) under the same key is an IDEMPOTENCY_CONFLICT, as for burns.
  const keyed = {
    scope,
    key: input.idempotencyKey,
    request: { memberId, rewardId, ...(input.pointsPart != null ? { pointsPart: input.pointsPart } : {}) },
  };
  // A retry of a redemption that has its answer gets it without the PIN typed again: a PIN attempt
  // counts towards the member's lock, and a lock (or a new PIN) since must not refuse its answer.
  const answered =
    presence !== null && 'pin' in presence ? await recordedOutcome<{ redemptionId: string }>(deps.dataSource, keyed) : undefined;
  // A PIN buys a token for this partner, which the redemption then carries like a presented one.
  const checkoutToken =
    presence === null || answered
      ? null
      : 'pin' in presence
        ? await deps.ledger.checkoutTokenForPin({ memberId, partnerId: presence.partnerId, pin: presence.pin })
        : presence.checkoutToken;

  const { redemptionId } =
    answered?.result ??
    (await idempotentTransaction(deps.dataSource, keyed, async (manager) => {
      const reward = await manager
        .getRepository(RewardRow)
        .createQueryBuilder('r')
        .setLock('pessimistic_write')
        .where('r.id = :rewardId', { rewardId })
        .getOne();
      if (!reward) throw notFound(`No reward with id ${rewardId}`);
      if (caller.kind === 'partner' && reward.partnerId !== caller.partnerId) {
        throw forbidden('A partner may redeem only its own rewards at its till');
      }
      const now = Date.now();
      if (reward.status !== 'ACTIVE') throw badInput('This reward was retired');
      if (reward.validFrom && reward.validFrom.getTime() > now) throw badInput('This reward cannot be redeemed yet');
      if (reward.validUntil && reward.validUntil.getTime() <= now) throw badInput('This reward can no longer be redeemed');
      if (reward.stockRemaining !== null && reward.stockRemaining < 1) throw new DomainError('OUT_OF_STOCK', 'This reward is out of stock');
      if (reward.perMemberLimit !== null) {
        const [{ count }] = (await manager.query(
          `SELECT count(*)::int AS count FROM redemptions WHERE member_id = $1 AND reward_id = $2 AND status NOT IN ('CANCELLED', 'FAILED')`,
          [memberId, rewardId],
        )) as [{ count: number }];
        if (count >= reward.perMemberLimit)
          throw new DomainError('LIMIT_EXCEEDED', `A member may redeem this reward at most ${reward.perMemberLimit} times`);
      }
      // Against the reward as it is now, under its lock: the points part the ledger will spend, and the cash part.
      const { pointsSpent, cash } = splitPrice(reward, input.pointsPart);
      await manager.query('UPDATE rewards SET stock_remaining = stock_remaining - 1 WHERE id = $1 AND stock_remaining IS NOT NULL', [
        rewardId,
      ]);
      const redemptionId = randomUUID();
      await manager.query(
        `INSERT INTO redemptions (id, member_id, reward_id, partner_id, points_spent, status, checkout_token, cash_amount_minor, cash_currency)
         VALUES ($1, $2, $3, $4, $5, 'PENDING', $6, $7, $8)`,
        [redemptionId, memberId, rewardId, reward.partnerId, pointsSpent, checkoutToken, cash?.amountMinor ?? null, cash?.currency ?? null],
      );
      await auditOperatorAction(manager, caller, 'redeemReward', redemptionId, {
        memberId,
        rewardId,
        pointsCost: reward.pointsCost,
        pointsSpent,
        cash,
      });
      return { redemptionId };
    }));

  const settled = await advance(deps, redemptionId);
  if (settled.status === 'FAILED') {
    const code = (ERROR_CODES as readonly string[]).includes(settled.failureCode ?? '')
      ? (settled.failureCode as ErrorCode)
      : 'BAD_USER_INPUT';
    throw new DomainError(code, settled.failureMessage ?? 'The redemption failed');
  }
  return redemptionId;
}

/**
 * Runs a redemption's remaining saga steps (PENDING to ISSUED or FAILED; CANCELLING to CANCELLED)
 * and returns where it stands. Safe to run any number of times, concurrently: ledger calls are
 * idempotent and every state change is conditional on the state it leaves.
 */
export async function advance(deps: RedemptionDeps, redemptionId: string): Promise<RedemptionRow> {
  const redemption = await deps.dataSource.getRepository(RedemptionRow).findOneByOrFail({ id: redemptionId });
  if (redemption.status === 'PENDING') await complete(deps, redemption);
  else if (redemption.status === 'CANCELLING') await finishCancel(deps, redemption);
  return deps.dataSource.getRepository(RedemptionRow).findOneByOrFail({ id: redemptionId });
}

async function complete(deps: RedemptionDeps, redemption: RedemptionRow): Promise<void> {
  const reward = await deps.dataSource.getRepository(RewardRow).findOneByOrFail({ id: redemption.rewardId });
  let reservationId: string;
  let transferId: string;
  try {
    reservationId = await deps.ledger.reserve({
      memberId: redemption.memberId,
      partnerId: redemption.partnerId,
      points: redemption.pointsSpent,
      reference: `redemption:${redemption.id}`,
      minTier: reward.minTier,
      checkoutToken: redemption.checkoutToken,
      idempotencyKey: `redemption:${redemption.id}`,
    });
    // The ledger has used the token: the row need not keep it.
    await deps.dataSource.query('UPDATE redemptions SET ledger_reservation_id = $2, checkout_token = NULL WHERE id = $1', [
      redemption.id,
      reservationId,
    ]);
    transferId = await deps.ledger.post(reservationId);
  } catch (error) {
    // The ledger said no (not enough points, tier too low, no such member, the hold was voided):
    // nothing was spent, so fail and give the stock back. An unreachable ledger is no answer: the
    // redemption stays PENDING for a retry or for recovery.
    if (error instanceof DomainError && error.code !== 'UPSTREAM_UNAVAILABLE') {
      await settle(deps, redemption, 'PENDING', 'FAILED', { failureCode: error.code, failureMessage: error.message, returnStock: true });
      return;
    }
    throw error;
  }
  const expiresAt = new Date(Date.now() + reward.voucherValidDays * 24 * 3600 * 1000);
  const issued = await deps.dataSource.transaction(async (manager) => {
    const [, updated] = (await manager.query(
      `UPDATE redemptions SET status = 'ISSUED', voucher_code = $2, voucher_expires_at = $3, ledger_transfer_id = $4, settled_at = now()
        WHERE id = $1 AND status = 'PENDING'`,
      [redemption.id, newVoucherCode(), expiresAt, transferId],
    )) as [unknown[], number];
    if (updated === 0) {
      // A concurrent run completed it first: it must be ISSUED by the same ledger transfer.
      const current = await manager.getRepository(RedemptionRow).findOneByOrFail({ id: redemption.id });
      assertInvariant(current.ledgerTransferId === transferId, `redemption ${redemption.id} is settled by transfer ${transferId}`);
      return false;
    }
    await recordEvent(manager, redemption, 'redemption.issued', { voucherExpiresAt: expiresAt.toISOString() });
    return true;
  });
  if (issued) deps.onEventsAppended();
}

/** Moves a redemption from one state to another once, optionally giving its stock unit back. */
async function settle(
  deps: RedemptionDeps,
  redemption: RedemptionRow,
  from: RedemptionRow['status'],
  to: RedemptionRow['status'],
  options: {
    failureCode?: string;
    failureMessage?: string;
    returnStock: boolean;
    /** The caller's action this change carries out, audited with it when the operator made it. */
    audit?: { caller: Caller; action: string };
  },
): Promise<boolean> {
  const changed = await deps.dataSource.transaction(async (manager) => {
    const [[row]] = (await manager.query(
      `UPDATE redemptions SET status = $3, failure_code = coalesce($4, failure_code), failure_message = coalesce($5, failure_message), settled_at = now(),
              checkout_token = NULL
        WHERE id = $1 AND status = $2 RETURNING reward_id`,
      [redemption.id, from, to, options.failureCode ?? null, options.failureMessage ?? null],
    )) as [{ reward_id: string }[], number];
    if (!row) return false;
    if (options.returnStock) {
      await manager.query('UPDATE rewards SET stock_remaining = stock_remaining + 1 WHERE id = $1 AND stock_remaining IS NOT NULL', [
        row.reward_id,
      ]);
    }
    await recordEvent(manager, redemption, `redemption.${to.toLowerCase()}`);
    if (options.audit) await auditOperatorAction(manager, options.audit.caller, options.audit.action, redemption.id, { from, to });
    return true;
  });
  if (changed) deps.onEventsAppended();
  return changed;
}

// ---------------------------------------------------------------------------------------------
// After issue: use, cancel, expire

async function redemptionFor(deps: RedemptionDeps, redemptionIdInput: string): Promise<RedemptionRow> {
  const redemption = await deps.dataSource.getRepository(RedemptionRow).findOneBy({ id: checkId(redemptionIdInput, 'redemptionId') });
  if (!redemption) throw notFound(`No redemption with id ${redemptionIdInput}`);
  return redemption;
}

/**
 * Cancels an ISSUED voucher: first the cancellation is committed (CANCELLING, so the voucher can no
 * longer be used), then the ledger gives the points back, then the stock returns (CANCELLED).
 */
export async function cancelRedemption(deps: RedemptionDeps, caller: Caller, redemptionId: string): Promise<string> {
  const redemption = await redemptionFor(deps, redemptionId);
  requireMemberItselfOrOperator(caller, redemption.memberId, 'cancel its redemptions');
  if (redemption.status === 'CANCELLED' || redemption.status === 'CANCELLING') {
    await advance(deps, redemption.id);
    return redemption.id;
  }
  if (redemption.status !== 'ISSUED') throw badInput(`A ${redemption.status} redemption cannot be cancelled; only an issued voucher can`);
  if (!(await settle(deps, redemption, 'ISSUED', 'CANCELLING', { returnStock: false, audit: { caller, action: 'cancelRedemption' } }))) {
    const current = await redemptionFor(deps, redemption.id);
    if (current.status !== 'CANCELLING' && current.status !== 'CANCELLED')
      throw badInput(`The voucher was ${current.status.toLowerCase()} meanwhile`);
  }
  await advance(deps, redemption.id);
  return redemption.id;
}

async function finishCancel(deps: RedemptionDeps, redemption: RedemptionRow): Promise<void> {
  assertInvariant(redemption.ledgerReservationId, `cancelled redemption ${redemption.id} has a ledger reservation`);
  await deps.ledger.refund(redemption.ledgerReservationId);
  await settle(deps, redemption, 'CANCELLING', 'CANCELLED', { returnStock: true });
}

/** The partner accepts a voucher at its point of sale. */
export async function useVoucher(deps: RedemptionDeps, caller: Caller, voucherCode: string): Promise<string> {
  // The partner the voucher must have been redeemed at; null for the operator, who accepts any.
  const atPartnerId = partnerScope(caller, 'accept vouchers');
  const code = voucherCode.trim().toUpperCase();
  if (!/^[0-9A-Z]{1,32}$/.test(code)) throw badInput('That is not a voucher code');
  const redemption = await deps.dataSource.getRepository(RedemptionRow).findOneBy({ voucherCode: code });
  // A partner learns nothing about other partners' vouchers: theirs look unknown.
  if (!redemption || (atPartnerId !== null && atPartnerId !== redemption.partnerId)) throw notFound('No such voucher at this partner');
  if (redemption.status === 'ISSUED' && redemption.voucherExpiresAt && redemption.voucherExpiresAt.getTime() <= Date.now()) {
    await settle(deps, redemption, 'ISSUED', 'EXPIRED', { returnStock: false });
  }
  if (!(await settle(deps, redemption, 'ISSUED', 'USED', { returnStock: false, audit: { caller, action: 'useVoucher' } }))) {
    const current = await redemptionFor(deps, redemption.id);
    throw badInput(`The voucher is ${current.status.toLowerCase()}; only an issued voucher can be used`);
  }
  return redemption.id;
}

// ---------------------------------------------------------------------------------------------
// Recovery and expiry

export const RECOVERY_BATCH_SIZE = 100;

export interface RecoveryRun {
  advanced: number;
  expired: number;
}

/**
 * Completes or compensates redemptions left unfinished (a crash, an unreachable ledger), once they
 * are older than `minAgeMs` (younger ones are still in their own request), and expires vouchers
 * past their date. Runs at start-up and on a timer; safe alongside live requests and other replicas.
 */
export async function recover(deps: RedemptionDeps, minAgeMs: number): Promise<RecoveryRun> {
  const run: RecoveryRun = { advanced: 0, expired: 0 };
  const unfinished = (await deps.dataSource.query(
    `SELECT id FROM redemptions WHERE status IN ('PENDING', 'CANCELLING') AND created_at < now() - make_interval(secs => $1)
      ORDER BY created_at LIMIT $2`,
    [minAgeMs / 1000, RECOVERY_BATCH_SIZE],
  )) as { id: string }[];
  for (const { id } of unfinished) {
    try {
      await advance(deps, id);
      run.advanced += 1;
    } catch (error) {
      // The ledger still unreachable: the next run tries again.
      if (!(error instanceof DomainError)) throw error;
    }
  }
  const due = await deps.dataSource
    .getRepository(RedemptionRow)
    .createQueryBuilder('d')
    .where(`d.status = 'ISSUED' AND d.voucherExpiresAt <= now()`)
    .limit(RECOVERY_BATCH_SIZE)
    .getMany();
  for (const redemption of due) if (await settle(deps, redemption, 'ISSUED', 'EXPIRED', { returnStock: false })) run.expired += 1;
  return run;
}
