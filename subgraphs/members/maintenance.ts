import type { EntityManager } from 'typeorm';
import { requireOperatorOrService } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { callerActor, type Caller } from '../../shared/identity';
import { createLogger } from '../../shared/logger';
import { deleteSpentCheckoutTokens } from './checkout';
import { postEndedHold } from './earning';
import { write, type LedgerDeps } from './ledger';
import { breakageAccount, lockMember, memberAccount, post } from './postings';
import { releaseTimedOut } from './reservations';
import { refreshTier } from './tiers';

const log = createLogger('ledger maintenance');

/**
 * The ledger's time-driven work: expiry into breakage, holds that ended, reservations that timed
 * out; and the point of sale's housekeeping: used and expired checkout tokens deleted.
 */

/** Work done per maintenance pass of each kind; the timer comes back for the rest. */
export const MAINTENANCE_BATCH_SIZE = 200;
/**
 * Most points one pass expires, over all its members: what `LedgerMaintenanceRun.pointsExpired`
 * (a GraphQL Int) can answer, since 200 members may each hold up to MAX_MEMBER_POINTS. The pass
 * stops before the member whose expiry would take it past (writing nothing for that member), and
 * the timer comes back for the rest. No smaller than MAX_MEMBER_POINTS, so every pass with due lots
 * expires at least one member's.
 */
export const MAX_POINTS_EXPIRED_PER_PASS = 2_147_483_647;

export interface MaintenanceRun {
  lotsExpired: number;
  pointsExpired: number;
  pendingEarnsPosted: number;
  reservationsReleased: number;
  checkoutTokensDeleted: number;
}

/**
 * One pass of the ledger's time-driven work. Each item is re-checked under its member's lock, so
 * two passes at once (two replicas, or the timer and the operator) never apply anything twice.
 * An operator's run is audited item by item, each in the transaction that applied it.
 */
export async function runMaintenance(deps: LedgerDeps, caller: Caller): Promise<MaintenanceRun> {
  requireOperatorOrService(caller, 'run ledger maintenance');
  const run: MaintenanceRun = {
    lotsExpired: 0,
    pointsExpired: 0,
    pendingEarnsPosted: 0,
    reservationsReleased: 0,
    checkoutTokensDeleted: 0,
  };
  const by = caller.kind === 'service' ? 'ledger' : callerActor(caller);

  const due = (await deps.dataSource.query(
    `SELECT DISTINCT member_id FROM lots WHERE points_remaining > 0 AND expires_at <= now() LIMIT $1`,
    [MAINTENANCE_BATCH_SIZE],
  )) as { member_id: string }[];
  for (const { member_id: memberId } of due) {
    const expired = await write(deps, async (manager) => {
      const done = await expireDueLots(manager, memberId, by, MAX_POINTS_EXPIRED_PER_PASS - run.pointsExpired);
      if (done && done.lots > 0) await auditOperatorAction(manager, caller, 'runLedgerMaintenance', memberId, { step: 'expiry', ...done });
      return done;
    });
    if (!expired) break; // the pass's points are full: the next pass expires the rest
    run.lotsExpired += expired.lots;
    run.pointsExpired += expired.points;
  }

  const pending = (await deps.dataSource.query(
    `SELECT transfer_id FROM earns WHERE status = 'PENDING' AND release_at <= now() ORDER BY release_at LIMIT $1`,
    [MAINTENANCE_BATCH_SIZE],
  )) as { transfer_id: string }[];
  for (const { transfer_id: earnId } of pending) {
    const posted = await write(deps, async (manager) => {
      const transferId = await postEndedHold(deps.config, manager, earnId, by);
      if (transferId) await auditOperatorAction(manager, caller, 'runLedgerMaintenance', earnId, { step: 'postPendingEarn', transferId });
      return transferId !== null;
    });
    if (posted) run.pendingEarnsPosted += 1;
  }

  const stale = (await deps.dataSource.query(
    `SELECT id FROM reservations WHERE status = 'RESERVED' AND expires_at <= now() ORDER BY expires_at LIMIT $1`,
    [MAINTENANCE_BATCH_SIZE],
  )) as { id: string }[];
  for (const { id } of stale) {
    const released = await write(deps, async (manager) => {
      const done = await releaseTimedOut(manager, id, by);
      if (done) await auditOperatorAction(manager, caller, 'runLedgerMaintenance', id, { step: 'releaseReservation' });
      return done;
    });
    if (released) run.reservationsReleased += 1;
  }

  // Nothing of the ledger's: no member lock, no audit entry (a token is no one's money).
  run.checkoutTokensDeleted = await deleteSpentCheckoutTokens(deps);
  if (run.checkoutTokensDeleted > 0)
    log.info({ checkoutTokensDeleted: run.checkoutTokensDeleted }, 'used and expired checkout tokens deleted');
  return run;
}

/**
 * Moves what is left of a member's due lots to breakage, as one EXPIRY transfer taking exactly
 * those lots (re-read under the member's lock, so a lot expires once). Null, having written
 * nothing, when they come to more than `room` points.
 */
async function expireDueLots(
  manager: EntityManager,
  memberId: string,
  createdBy: string,
  room: number,
): Promise<{ lots: number; points: number } | null> {
  const member = await lockMember(manager, memberId);
  const due = (await manager.query(
    `SELECT id, points_remaining::int AS remaining FROM lots
      WHERE member_id = $1 AND points_remaining > 0 AND expires_at <= now() FOR UPDATE`,
    [memberId],
  )) as { id: string; remaining: number }[];
  const points = due.reduce((sum, lot) => sum + lot.remaining, 0);
  if (points === 0) return { lots: 0, points: 0 }; // another pass expired them first
  if (points > room) return null;
  await post(manager, {
    kind: 'EXPIRY',
    from: memberAccount(memberId),
    to: breakageAccount,
    points,
    createdBy,
    preferredLotIds: due.map((lot) => lot.id),
  });
  await refreshTier(manager, member);
  return { lots: due.length, points };
}
