import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { requireService } from '../../shared/access';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { checkId, checkText } from '../../shared/validation';
import { useCheckoutToken } from './checkout';
import { ReservationRow } from './entities';
import { checkPoints, MAX_REFERENCE_LENGTH, write, writeIdempotent, type LedgerDeps } from './ledger';
import { lockMember, memberAccount, post, redemptionAccount, reservedAccount, type LotTake } from './postings';
import { refreshTier, TIERS, type TierLevel } from './tiers';

/**
 * Two-phase debits, internal to the coalition: the rewards subgraph reserves a member's points for
 * a redemption, then posts (spends) or voids (releases) them, and may refund a posted one when the
 * redemption is cancelled. Each settles once (invariant 5): the state changes only from RESERVED
 * (POSTED for a refund), under the member's lock.
 */

export const MAX_RESERVATION_TIMEOUT_SECONDS = 3600;

export interface ReserveInput {
  memberId: string;
  partnerId: string;
  points: number;
  reference: string;
  timeoutSeconds?: number | null;
  minTier?: TierLevel | null;
  /**
   * The member's checkout token, when a partner redeems for the member at its till: used with the
   * hold, in its transaction. Not part of the request's identity, so a retry of the saga's step
   * under the same key gets the first outcome even though the token is used by then.
   */
  checkoutToken?: string | null;
  idempotencyKey: string;
}

export async function reservePoints(deps: LedgerDeps, caller: Caller, input: ReserveInput): Promise<string> {
  const service = requireService(caller, 'reservePoints');
  const memberId = checkId(input.memberId, 'memberId');
  const partnerId = checkId(input.partnerId, 'partnerId');
  checkPoints(input.points);
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE_LENGTH);
  const timeoutSeconds = input.timeoutSeconds ?? null;
  if (
    timeoutSeconds !== null &&
    (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > MAX_RESERVATION_TIMEOUT_SECONDS)
  ) {
    throw badInput(`timeoutSeconds must be between 1 and ${MAX_RESERVATION_TIMEOUT_SECONDS}`);
  }
  const timeoutMs = timeoutSeconds === null ? deps.config.reservationTimeoutMs : timeoutSeconds * 1000;
  const minTier = input.minTier ?? null;
  const request = { memberId, partnerId, points: input.points, reference, timeoutSeconds, minTier };
  const { reservationId } = await writeIdempotent(
    deps,
    { scope: `reservePoints:${service}`, key: input.idempotencyKey, request },
    async (manager) => {
      const member = await lockMember(manager, memberId);
      if (input.checkoutToken) {
        await useCheckoutToken(deps, manager, {
          token: input.checkoutToken,
          memberId,
          partnerId,
          points: input.points,
          usedFor: reference,
        });
      }
      if (minTier) {
        const held = await refreshTier(manager, member);
        if (TIERS.findIndex((t) => t.level === held) < TIERS.findIndex((t) => t.level === minTier)) {
          throw forbidden(`This needs tier ${minTier}; the member holds ${held}`);
        }
      }
      const { transferId, takes } = await post(manager, {
        kind: 'RESERVE',
        from: memberAccount(memberId),
        to: reservedAccount(memberId),
        points: input.points,
        partnerId,
        reference,
        createdBy: callerActor(caller),
      });
      const reservationId = randomUUID();
      await manager.query(
        `INSERT INTO reservations (id, member_id, partner_id, points, reference, status, reserve_transfer_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'RESERVED', $6, $7)`,
        [reservationId, memberId, partnerId, input.points, reference, transferId, new Date(Date.now() + timeoutMs)],
      );
      for (const take of takes) {
        await manager.query('INSERT INTO reservation_lots (reservation_id, lot_id, points) VALUES ($1, $2, $3)', [
          reservationId,
          take.lotId,
          take.points,
        ]);
      }
      return { reservationId };
    },
  );
  return reservationId;
}

async function lockReservation(manager: EntityManager, reservationId: string): Promise<ReservationRow> {
  const found = await manager.getRepository(ReservationRow).findOneBy({ id: reservationId });
  if (!found) throw notFound(`No reservation with id ${reservationId}`);
  await lockMember(manager, found.memberId);
  // Re-read under the member's lock: a concurrent post or void may have settled it meanwhile.
  return manager.getRepository(ReservationRow).findOneByOrFail({ id: reservationId });
}

/** The lots a reservation took its points from, with the partners that issued them. */
async function reservationLots(manager: EntityManager, reservationId: string): Promise<Omit<LotTake, 'expiresAt'>[]> {
  return (await manager.query(
    `SELECT r.lot_id AS "lotId", r.points::int AS points, l.origin_partner_id AS "originPartnerId"
       FROM reservation_lots r JOIN lots l ON l.id = r.lot_id WHERE r.reservation_id = $1`,
    [reservationId],
  )) as Omit<LotTake, 'expiresAt'>[];
}

/** What every posting of a reservation shares: its member, partner, reference and lots. */
async function reservationPosting(manager: EntityManager, reservation: ReservationRow) {
  return {
    points: Number(reservation.points),
    partnerId: reservation.partnerId,
    reference: reservation.reference,
    reservedLots: await reservationLots(manager, reservation.id),
  };
}

/** Spends reserved points. Posting twice is a no-op; a voided reservation is never posted (invariant 5). */
export async function postReservation(deps: LedgerDeps, caller: Caller, reservationIdInput: string): Promise<string> {
  requireService(caller, 'postReservation');
  const reservationId = checkId(reservationIdInput, 'reservationId');
  return write(deps, async (manager) => {
    const reservation = await lockReservation(manager, reservationId);
    if (reservation.status === 'POSTED') return reservation.id;
    if (reservation.status === 'VOIDED') throw badInput('The reservation was voided (released or timed out); it cannot be posted');
    const { transferId } = await post(manager, {
      ...(await reservationPosting(manager, reservation)),
      kind: 'REDEEM',
      from: reservedAccount(reservation.memberId),
      to: redemptionAccount(reservation.partnerId),
      createdBy: callerActor(caller),
    });
    await manager.query(`UPDATE reservations SET status = 'POSTED', settle_transfer_id = $2 WHERE id = $1`, [reservation.id, transferId]);
    return reservation.id;
  });
}

/** Returns reserved points to the member (to the lots they came from). Voiding twice is a no-op. */
export async function voidReservation(deps: LedgerDeps, caller: Caller, reservationIdInput: string): Promise<string> {
  requireService(caller, 'voidReservation');
  const reservationId = checkId(reservationIdInput, 'reservationId');
  return write(deps, async (manager) => {
    const reservation = await lockReservation(manager, reservationId);
    if (reservation.status === 'VOIDED') return reservation.id;
    if (reservation.status === 'POSTED') throw badInput('The reservation was posted; its points are spent');
    await releaseReservation(manager, reservation, callerActor(caller));
    return reservation.id;
  });
}

/**
 * Releases a reservation whose hold timed out (maintenance), re-checked under the member's lock:
 * false when it was posted or voided first.
 */
export async function releaseTimedOut(manager: EntityManager, reservationId: string, createdBy: string): Promise<boolean> {
  const reservation = await lockReservation(manager, reservationId);
  if (reservation.status !== 'RESERVED') return false;
  await releaseReservation(manager, reservation, createdBy);
  return true;
}

async function releaseReservation(manager: EntityManager, reservation: ReservationRow, createdBy: string): Promise<void> {
  const { transferId } = await post(manager, {
    ...(await reservationPosting(manager, reservation)),
    kind: 'RELEASE',
    from: reservedAccount(reservation.memberId),
    to: memberAccount(reservation.memberId),
    createdBy,
  });
  await manager.query(`UPDATE reservations SET status = 'VOIDED', settle_transfer_id = $2 WHERE id = $1`, [reservation.id, transferId]);
}

/**
 * Gives back the points of a posted reservation (a cancelled redemption): the partner's redemption
 * account returns them to the member, into the lots they were taken from, so they keep their
 * expiry dates. Refunding twice is a no-op; only a posted reservation can be refunded.
 */
export async function refundReservation(deps: LedgerDeps, caller: Caller, reservationIdInput: string): Promise<string> {
  requireService(caller, 'refundReservation');
  const reservationId = checkId(reservationIdInput, 'reservationId');
  return write(deps, async (manager) => {
    const reservation = await lockReservation(manager, reservationId);
    if (reservation.status === 'REFUNDED') return reservation.id;
    if (reservation.status !== 'POSTED') throw badInput(`The reservation is ${reservation.status}; only spent points can be given back`);
    const { transferId } = await post(manager, {
      ...(await reservationPosting(manager, reservation)),
      kind: 'REDEEM_REFUND',
      from: redemptionAccount(reservation.partnerId),
      to: memberAccount(reservation.memberId),
      createdBy: callerActor(caller),
      // Given back at the value the redemption was paid at.
      reverses: reservation.settleTransferId!,
    });
    await manager.query(`UPDATE reservations SET status = 'REFUNDED', refund_transfer_id = $2 WHERE id = $1`, [reservation.id, transferId]);
    return reservation.id;
  });
}
