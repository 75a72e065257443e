import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/identity';
import type { PublishedEvent } from '../../shared/outbox';
import { countLedgerEvents } from '../../subgraphs/settlement/entries';
import { closePeriod } from '../../subgraphs/settlement/statements';
import { DAILY, ledgerEvent as eventAt, startSettlementCore, type SettlementCore } from '../support/settlementCore';

/**
 * Closing a period early when a later period exists (subgraphs/settlement/periods.ts,
 * endPeriodEarly), at the domain core, on a settlement database of its own (migrated as the
 * subgraph migrates it): the time after the early close goes to an open period, never to a closed
 * one, whose bounds, entries and statements must not change. Ledger events are synthetic, with
 * chosen times, fed to countLedgerEvents as the feed would.
 */

const OPERATOR: Caller = { kind: 'operator', operatorId: 'early-close-test' };
const noCatchUp = async () => undefined;

let core: SettlementCore;
let dataSource: DataSource;
let day: SettlementCore['day'];

beforeEach(async () => {
  core = await startSettlementCore('early_close');
  ({ dataSource, day } = core);
});

afterEach(async () => {
  await core?.stop();
});

/** A ledger event at the test's partner, at `occurredAt`. */
const ledgerEvent = (kind: 'EARN' | 'REDEEM', points: number, occurredAt: Date): PublishedEvent =>
  eventAt(core.partnerId, kind, points, occurredAt);

interface Period {
  id: string;
  starts_at: Date;
  ends_at: Date;
  status: string;
  closed_at: Date | null;
}
const periods = async (): Promise<Period[]> =>
  dataSource.query('SELECT id, starts_at, ends_at, status, closed_at FROM settlement_periods ORDER BY starts_at');
const periodAt = async (at: Date): Promise<Period> =>
  (
    await dataSource.query(
      'SELECT id, starts_at, ends_at, status, closed_at FROM settlement_periods WHERE starts_at <= $1 AND $1 < ends_at',
      [at],
    )
  )[0];
/** What a period holds: its entries (event, late or not), flows and statements, in a stable order. */
async function contents(periodId: string) {
  return {
    entries: await dataSource.query(
      'SELECT event_id, kind, points::int, late, occurred_at FROM settlement_entries WHERE period_id = $1 ORDER BY occurred_at',
      [periodId],
    ),
    flows: await dataSource.query('SELECT event_id, points::int FROM settlement_flows WHERE period_id = $1 ORDER BY event_id', [periodId]),
    statements: await dataSource.query('SELECT * FROM settlement_statements WHERE period_id = $1 ORDER BY partner_id', [periodId]),
  };
}

it('closing an earlier open period early leaves a closed later one untouched: the rest of its time becomes an open period', async () => {
  // Day D-3: two events before the close instant (12:00) and two after; day D-2: two events.
  const closeAt = day(3, 12);
  const before = [ledgerEvent('EARN', 100, day(3, 2)), ledgerEvent('REDEEM', 30, day(3, 6))];
  const after = [ledgerEvent('EARN', 200, day(3, 14)), ledgerEvent('REDEEM', 40, day(3, 20))];
  const dayTwo = [ledgerEvent('EARN', 300, day(2, 5)), ledgerEvent('REDEEM', 50, day(2, 15))];
  await countLedgerEvents(dataSource, [...before, ...after, ...dayTwo], DAILY);
  const d3 = await periodAt(day(3, 1));
  const d2 = await periodAt(day(2, 1));
  expect([d3.starts_at, d3.ends_at, d3.status]).toEqual([day(3), day(2), 'OPEN']);
  expect([d2.starts_at, d2.ends_at, d2.status]).toEqual([day(2), day(1), 'OPEN']);

  // Close D-2 (at its end), then D-3 early, at 12:00.
  await closePeriod(dataSource, OPERATOR, { periodId: d2.id }, DAILY, noCatchUp);
  const d2Closed = (await periods()).find((p) => p.id === d2.id)!;
  const d2Contents = await contents(d2.id);
  expect(d2Contents.entries.map((e: { event_id: string }) => e.event_id)).toEqual(dayTwo.map((e) => e.id));
  expect(d2Contents.flows).toHaveLength(1);
  expect(d2Contents.statements).toHaveLength(1);
  expect(d2Contents.statements[0]).toMatchObject({ points_issued: '300', points_redeemed: '50' });

  await closePeriod(dataSource, OPERATOR, { periodId: d3.id, closeAt }, DAILY, noCatchUp);

  // D-2: bounds, entries, flows and statements as they were.
  expect((await periods()).find((p) => p.id === d2.id)).toEqual(d2Closed);
  expect(await contents(d2.id)).toEqual(d2Contents);
  // D-3 ends at the close instant, with what happened before it, and its statement says so.
  const all = await periods();
  expect(all.find((p) => p.id === d3.id)).toMatchObject({ starts_at: day(3), ends_at: closeAt, status: 'CLOSED' });
  const d3Contents = await contents(d3.id);
  expect(d3Contents.entries.map((e: { event_id: string }) => e.event_id)).toEqual(before.map((e) => e.id));
  expect(d3Contents.statements).toEqual([expect.objectContaining({ points_issued: '100', points_redeemed: '30' })]);
  // The rest of D-3, [closeAt, D-2 start), is an open period of its own, holding what happened then, on time.
  const rest = all.find((p) => p.starts_at.getTime() === closeAt.getTime())!;
  expect(rest).toMatchObject({ ends_at: day(2), status: 'OPEN', closed_at: null });
  const restContents = await contents(rest.id);
  expect(restContents.entries.map((e: { event_id: string; late: boolean }) => [e.event_id, e.late])).toEqual(
    after.map((e) => [e.id, false]),
  );
  expect(restContents.flows.map((f: { event_id: string }) => f.event_id)).toEqual([after[1]!.id]);
  expect(restContents.statements).toEqual([]);
  // Periods still tile time: each starts where the one before it ends.
  all.slice(1).forEach((period, i) => expect(period.starts_at).toEqual(all[i]!.ends_at));

  // Booking afterwards: an event in the rest's time goes there on time; a late one for D-3 goes to
  // the first open period after D-3 (the rest), one for the closed D-2 to the first open period
  // after D-2 (D-1), never to the closed D-2.
  const inRest = ledgerEvent('EARN', 7, day(3, 16));
  const lateForD3 = ledgerEvent('EARN', 11, day(3, 8));
  const lateForD2 = ledgerEvent('EARN', 13, day(2, 10));
  await countLedgerEvents(dataSource, [inRest, lateForD3, lateForD2], DAILY);
  const booked = async (event: PublishedEvent) =>
    (await dataSource.query('SELECT period_id, late FROM settlement_entries WHERE event_id = $1', [event.id]))[0];
  const d1 = await periodAt(day(1, 1));
  expect(await booked(inRest)).toEqual({ period_id: rest.id, late: false });
  expect(await booked(lateForD3)).toEqual({ period_id: rest.id, late: true });
  expect(await booked(lateForD2)).toEqual({ period_id: d1.id, late: true });
  expect(await contents(d2.id)).toEqual(d2Contents);

  // The rest closes like any period, at its end, and D-2 still does not move.
  await closePeriod(dataSource, OPERATOR, { periodId: rest.id }, DAILY, noCatchUp);
  expect((await contents(rest.id)).statements).toEqual([
    expect.objectContaining({ points_issued: '218', points_redeemed: '40', late_events: 1 }),
  ]);
  expect((await periods()).find((p) => p.id === d2.id)).toEqual(d2Closed);
  expect(await contents(d2.id)).toEqual(d2Contents);
});

it('closing early before an open later period moves that period to start at the close instant, as before', async () => {
  const closeAt = day(2, 12);
  const before = ledgerEvent('EARN', 100, day(2, 2));
  const after = ledgerEvent('REDEEM', 40, day(2, 14));
  const next = ledgerEvent('EARN', 300, day(1, 5));
  await countLedgerEvents(dataSource, [before, after, next], DAILY);
  const d2 = await periodAt(day(2, 1));
  const d1 = await periodAt(day(1, 1));

  await closePeriod(dataSource, OPERATOR, { periodId: d2.id, closeAt }, DAILY, noCatchUp);

  const all = await periods();
  expect(all.map((p) => [p.id, p.starts_at, p.ends_at, p.status])).toEqual([
    [d2.id, day(2), closeAt, 'CLOSED'],
    [d1.id, closeAt, day(0), 'OPEN'],
  ]);
  expect((await contents(d1.id)).entries.map((e: { event_id: string; late: boolean }) => [e.event_id, e.late])).toEqual([
    [after.id, false],
    [next.id, false],
  ]);
  expect((await contents(d1.id)).flows.map((f: { event_id: string }) => f.event_id)).toEqual([after.id]);
});

it('closing early the latest period makes the rest of its time an open period of its own', async () => {
  const closeAt = day(1, 9);
  const before = ledgerEvent('EARN', 100, day(1, 3));
  const after = ledgerEvent('EARN', 200, day(1, 11));
  await countLedgerEvents(dataSource, [before, after], DAILY);
  const d1 = await periodAt(day(1, 1));

  await closePeriod(dataSource, OPERATOR, { periodId: d1.id, closeAt }, DAILY, noCatchUp);

  const all = await periods();
  expect(all.map((p) => [p.starts_at, p.ends_at, p.status])).toEqual([
    [day(1), closeAt, 'CLOSED'],
    [closeAt, day(0), 'OPEN'],
  ]);
  expect((await contents(all[1]!.id)).entries.map((e: { event_id: string }) => e.event_id)).toEqual([after.id]);
});
