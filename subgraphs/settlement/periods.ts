import { randomUUID } from 'node:crypto';
import { DateTime, IANAZone } from 'luxon';
import type { EntityManager } from 'typeorm';
import { preparedQuery } from '../../shared/database';
import { assertInvariant, notFound } from '../../shared/errors';
import { checkId } from '../../shared/validation';

/**
 * Settlement periods: calendar periods (a month by default) that tile time with no gap. A period
 * opens when the first event of its time needs it; the operator closes it (statements.ts).
 */
export type PeriodLength = 'month' | 'week' | 'day';

/**
 * The coalition's period calendar, one for every partner: how long a period is and the time zone
 * whose local midnights bound it (months start on the 1st, weeks on Monday, days at midnight).
 * Across a change of the zone's clocks a period is as long as the local calendar makes it: a day
 * is 23 or 25 hours.
 */
export interface PeriodCalendar {
  length: PeriodLength;
  /** An IANA time zone name, such as `Europe/Berlin`; `UTC` by default. */
  timeZone: string;
}

export interface PeriodRow {
  id: string;
  starts_at: Date;
  ends_at: Date;
  status: 'OPEN' | 'CLOSED';
  closed_at: Date | null;
}

/**
 * Whether `name` is an IANA time zone the runtime knows (`Europe/Berlin`, `UTC`). A bare UTC
 * offset (`+01:00`) is refused even where the runtime would take it: it has no rules for its
 * clocks, and the setting promises a zone's local calendar.
 */
export function isIanaTimeZone(name: string): boolean {
  return /^[A-Za-z]/.test(name) && IANAZone.isValidZone(name);
}

/**
 * The first period boundary strictly after `start`, in the calendar's zone: the start of the next
 * local month (the 1st), ISO week (Monday) or day. `start` is usually a boundary itself; it is not
 * after an early close, nor after the time zone setting changed (the period after the latest one
 * then runs from its end to the new zone's next boundary). Luxon does the zone arithmetic: adding a
 * calendar unit keeps the local wall time, so a local day is 23 or 25 hours across a change of
 * clocks, and a midnight the clocks skip starts the day when they jump.
 */
export function nextBoundary(start: Date, calendar: PeriodCalendar): Date {
  const unit = calendar.length; // the lengths are Luxon's unit names
  const next = DateTime.fromJSDate(start, { zone: calendar.timeZone })
    .startOf(unit)
    .plus({ [unit]: 1 })
    .startOf(unit)
    .toJSDate();
  assertInvariant(next > start, `the period boundary after ${start.toISOString()} in ${calendar.timeZone} is later than it`);
  return next;
}

/**
 * The start of the calendar period containing `at`: the first boundary after the same local time
 * one unit earlier. Not `startOf` on `at` itself: where the clocks go back at midnight (as in
 * Atlantic/Azores or America/Havana) midnight happens twice, and Luxon resolves a repeated local time
 * with the offset of the instant it starts from, so an instant after the change would get the
 * second midnight; stepping from the previous unit always resolves to the first, where the period
 * starts.
 */
export function calendarStart(at: Date, calendar: PeriodCalendar): Date {
  const unit = calendar.length;
  return nextBoundary(
    DateTime.fromJSDate(at, { zone: calendar.timeZone })
      .minus({ [unit]: 1 })
      .toJSDate(),
    calendar,
  );
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
  await preparedQuery(manager, `SELECT pg_advisory_xact_lock(hashtext('settlement-periods'))`, []);
}

/** The period containing `at`, creating it and any missing periods before it. Needs lockPeriods. */
export async function periodContaining(manager: EntityManager, at: Date, calendar: PeriodCalendar): Promise<PeriodRow> {
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
  let start = latest ? latest.ends_at : calendarStart(at, calendar);
  for (;;) {
    const end = nextBoundary(start, calendar);
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
 * Where an event that happened at `at` is booked (for a claim's earn, `at` is its purchase): its
 * own period while that is open; once it is closed, the first open period after it, and the entry
 * is marked late (docs/DESIGN.md, "Money and settlement rules": each event is counted once, and a
 * closed statement never changes). Needs lockPeriods.
 *
 * Made for the events of one feed batch, in its transaction: the periods are read once per period
 * the batch's instants fall in, not once per event. Under the lock only this transaction changes
 * the periods, and it only adds periods after the latest, which moves neither an instant's own
 * period nor the first open period after a closed one; so an instant inside a period already looked
 * up is booked where that lookup booked.
 */
export function bookingPeriods(
  manager: EntityManager,
  calendar: PeriodCalendar,
): (at: Date) => Promise<{ period: PeriodRow; late: boolean }> {
  const known: { own: PeriodRow; booked: { period: PeriodRow; late: boolean } }[] = [];
  return async (at) => {
    const hit = known.find(({ own }) => own.starts_at <= at && at < own.ends_at);
    if (hit) return hit.booked;
    const own = await periodContaining(manager, at, calendar);
    // Not the earliest period when it took an instant before every period (clock skew at start-up).
    const remember = (booked: { period: PeriodRow; late: boolean }) => {
      if (own.starts_at <= at && at < own.ends_at) known.push({ own, booked });
      return booked;
    };
    if (own.status === 'OPEN') return remember({ period: own, late: false });
    const [open] = (await manager.query(
      `SELECT ${COLUMNS} FROM settlement_periods WHERE status = 'OPEN' AND starts_at >= $1 ORDER BY starts_at LIMIT 1`,
      [own.ends_at],
    )) as PeriodRow[];
    if (open) return remember({ period: open, late: true });
    // No open period after it: the current one takes it, created with those before it; the next
    // event of the same closed period asks again and finds the first of those.
    return { period: await periodContaining(manager, new Date(), calendar), late: true };
  };
}

/**
 * Ends an open period early, at `closeAt` (closing, statements.ts), and hands the rest of its time,
 * [closeAt, its old end), to an open period, so periods still tile time: to the next period when
 * that is open (it then starts at closeAt), else to a new open period of exactly that time. A
 * closed next period is never touched: its frozen statements agree with its entries and its bounds
 * only while neither changes. What happened from closeAt on (entries and their flows) moves to the
 * period that now holds its time, on time as before. Needs lockPeriods.
 */
export async function endPeriodEarly(manager: EntityManager, period: PeriodRow, closeAt: Date): Promise<void> {
  assertInvariant(
    period.status === 'OPEN' && period.starts_at < closeAt && closeAt < period.ends_at,
    `period ${period.id} is open and ${closeAt.toISOString()} falls inside it`,
  );
  const [next] = (await manager.query(`SELECT ${COLUMNS} FROM settlement_periods WHERE starts_at = $1`, [period.ends_at])) as PeriodRow[];
  await manager.query('UPDATE settlement_periods SET ends_at = $2 WHERE id = $1', [period.id, closeAt]);
  let takerId: string;
  if (next?.status === 'OPEN') {
    await manager.query('UPDATE settlement_periods SET starts_at = $2 WHERE id = $1', [next.id, closeAt]);
    takerId = next.id;
  } else {
    takerId = randomUUID();
    await manager.query(`INSERT INTO settlement_periods (id, starts_at, ends_at, status) VALUES ($1, $2, $3, 'OPEN')`, [
      takerId,
      closeAt,
      period.ends_at,
    ]);
  }
  // By the instant an entry counts as of (a claim's earn: its purchase), which is when it happened.
  await manager.query(
    `UPDATE settlement_flows f SET period_id = $3 FROM settlement_entries e
      WHERE e.event_id = f.event_id AND e.period_id = $1 AND coalesce(e.effective_at, e.occurred_at) >= $2`,
    [period.id, closeAt, takerId],
  );
  await manager.query('UPDATE settlement_entries SET period_id = $3 WHERE period_id = $1 AND coalesce(effective_at, occurred_at) >= $2', [
    period.id,
    closeAt,
    takerId,
  ]);
}
