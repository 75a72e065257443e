import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { assertInvariant, notFound } from '../../shared/errors';
import { checkId } from '../../shared/validation';

/**
 * Settlement periods: calendar periods (a month by default) that tile time with no gap. A period
 * opens when the first event of its time needs it; the operator closes it (statements.ts).
 */
export type PeriodLength = 'month' | 'week' | 'day';

export interface PeriodRow {
  id: string;
  starts_at: Date;
  ends_at: Date;
  status: 'OPEN' | 'CLOSED';
  closed_at: Date | null;
}

/** The period boundary after `start` (UTC calendar). */
export function nextBoundary(start: Date, length: PeriodLength): Date {
  const next = new Date(start);
  if (length === 'month') {
    next.setUTCMonth(next.getUTCMonth() + 1, 1);
    next.setUTCHours(0, 0, 0, 0);
  } else {
    next.setUTCDate(next.getUTCDate() + (length === 'week' ? 7 : 1));
    next.setUTCHours(0, 0, 0, 0);
    if (length === 'week') next.setUTCDate(next.getUTCDate() - ((next.getUTCDay() + 6) % 7)); // Mondays
  }
  return next;
}

/** The start of the calendar period containing `at`. */
function calendarStart(at: Date, length: PeriodLength): Date {
  const start = new Date(at);
  start.setUTCHours(0, 0, 0, 0);
  if (length === 'month') start.setUTCDate(1);
  if (length === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  return start;
}

const COLUMNS = 'id, starts_at, ends_at, status, closed_at';

/** A period by its id (NOT_FOUND when there is none). */
export async function periodById(manager: EntityManager, periodId: string): Promise<PeriodRow> {
  const [period] = (await manager.query(`SELECT ${COLUMNS} FROM settlement_periods WHERE id = $1`, [
    checkId(periodId, 'periodId'),
  ])) as PeriodRow[];
  if (!period) throw notFound(`No settlement period with id ${periodId}`);
  return period;
}

/**
 * Everything that books into periods or changes them (the ledger feed, closing) runs under this
 * transaction-scoped advisory lock, one at a time: a close never interleaves with an event being
 * booked, so an event lands either before the freeze (in its period) or after it (late, in the
 * next), never in a frozen statement and never twice.
 */
export async function lockPeriods(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('settlement-periods'))`);
}

/** The period containing `at`, creating it and any missing periods before it. Needs lockPeriods. */
export async function periodContaining(manager: EntityManager, at: Date, length: PeriodLength): Promise<PeriodRow> {
  const find = async () =>
    ((await manager.query(`SELECT ${COLUMNS} FROM settlement_periods WHERE starts_at <= $1 AND $1 < ends_at`, [at])) as PeriodRow[])[0];
  const found = await find();
  if (found) return found;
  const [latest] = (await manager.query(`SELECT ${COLUMNS} FROM settlement_periods ORDER BY starts_at DESC LIMIT 1`)) as PeriodRow[];
  if (latest && at < latest.starts_at) {
    // Before the first period (clock skew at start-up): the earliest period takes it.
    const [earliest] = (await manager.query(`SELECT ${COLUMNS} FROM settlement_periods ORDER BY starts_at LIMIT 1`)) as PeriodRow[];
    return earliest!;
  }
  let start = latest ? latest.ends_at : calendarStart(at, length);
  for (;;) {
    const end = nextBoundary(start, length);
    await manager.query(`INSERT INTO settlement_periods (id, starts_at, ends_at, status) VALUES ($1, $2, $3, 'OPEN')`, [
      randomUUID(),
      start,
      end,
    ]);
    if (at < end) break;
    start = end;
  }
  const created = await find();
  assertInvariant(created, `a period contains ${at.toISOString()}`);
  return created;
}

/**
 * Where an event that happened at `at` is booked: its own period while that is open; once it is
 * closed, the first open period after it, and the entry is marked late (docs/DESIGN.md, "Money and
 * settlement rules": each event is counted once, and a closed statement never changes). Needs
 * lockPeriods.
 */
export async function bookingPeriod(manager: EntityManager, at: Date, length: PeriodLength): Promise<{ period: PeriodRow; late: boolean }> {
  const own = await periodContaining(manager, at, length);
  if (own.status === 'OPEN') return { period: own, late: false };
  const [open] = (await manager.query(
    `SELECT ${COLUMNS} FROM settlement_periods WHERE status = 'OPEN' AND starts_at >= $1 ORDER BY starts_at LIMIT 1`,
    [own.ends_at],
  )) as PeriodRow[];
  return { period: open ?? (await periodContaining(manager, new Date(), length)), late: true };
}
