import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/identity';
import type { PublishedEvent } from '../../shared/outbox';
import { countLedgerEvents } from '../../subgraphs/settlement/entries';
import { closePeriod } from '../../subgraphs/settlement/statements';
import { DAILY, ledgerEvent, startSettlementCore, type SettlementCore } from '../support/settlementCore';

/**
 * A late earn (a claim of missing points confirmed days after its purchase) in settlement
 * (subgraphs/settlement/entries.ts, periods.ts), at the domain core on a settlement database of
 * its own with daily periods: its event says when the purchase was (`effectiveAt`), and it is
 * booked in that day's period while open, else in the first open period after it, late; an early
 * close keeps it with the part of the period its purchase is in. Events are synthetic, fed to
 * countLedgerEvents as the feed would.
 */

const OPERATOR: Caller = { kind: 'operator', operatorId: 'claim-period-test' };
const noCatchUp = async () => undefined;

let core: SettlementCore;
let dataSource: DataSource;
let day: SettlementCore['day'];

beforeAll(async () => {
  core = await startSettlementCore('claim_periods');
  ({ dataSource, day } = core);
});

afterAll(async () => {
  await core?.stop();
});

/** An EARN published at `occurredAt`; with `effectiveAt`, a claim's earn of a purchase made then. */
const earnEvent = (points: number, occurredAt: Date, effectiveAt?: Date): PublishedEvent =>
  ledgerEvent(core.partnerId, 'EARN', points, occurredAt, effectiveAt);

const periodAt = async (at: Date): Promise<{ id: string; status: string }> =>
  (await dataSource.query('SELECT id, status FROM settlement_periods WHERE starts_at <= $1 AND $1 < ends_at', [at]))[0];
const booked = async (event: PublishedEvent) =>
  (await dataSource.query('SELECT period_id, late, effective_at, occurred_at FROM settlement_entries WHERE event_id = $1', [event.id]))[0];

it("books a claim's earn in its purchase date's period while open, else late in the next open one, never in a closed one", async () => {
  // Periods for D-4 .. today, each with an ordinary event.
  await countLedgerEvents(
    dataSource,
    [4, 3, 2, 1, 0].map((d) => earnEvent(10, day(d, 1))),
    DAILY,
  );

  // Confirmed today for a purchase two days ago, whose period is open: booked there, on time.
  const onTime = earnEvent(100, day(0, 9), day(2, 15));
  await countLedgerEvents(dataSource, [onTime], DAILY);
  expect(await booked(onTime)).toEqual({
    period_id: (await periodAt(day(2, 15))).id,
    late: false,
    effective_at: day(2, 15),
    occurred_at: day(0, 9),
  });
  // An ordinary event stays in the period of its own time.
  const plain = earnEvent(5, day(0, 9));
  await countLedgerEvents(dataSource, [plain], DAILY);
  expect(await booked(plain)).toMatchObject({ period_id: (await periodAt(day(0, 9))).id, late: false, effective_at: null });

  // The purchase's period is closed, with the earn in its statement; a later claim of that day goes
  // to the first open period after it (D-2), late, and the closed statement does not change.
  const d3 = await periodAt(day(3, 1));
  await closePeriod(dataSource, OPERATOR, { periodId: d3.id }, DAILY, noCatchUp);
  const [frozen] = await dataSource.query('SELECT points_issued FROM settlement_statements WHERE period_id = $1', [d3.id]);
  const late = earnEvent(200, day(0, 10), day(3, 12));
  await countLedgerEvents(dataSource, [late], DAILY);
  expect(await booked(late)).toMatchObject({ period_id: (await periodAt(day(2, 1))).id, late: true });
  expect(await dataSource.query('SELECT points_issued FROM settlement_statements WHERE period_id = $1', [d3.id])).toEqual([frozen]);
  expect((await periodAt(day(3, 1))).status).toBe('CLOSED');

  // Closing D-2 early at 12:00: the claim's earn of a purchase at 15:00 goes with the rest of the
  // day, although its event (today) is later than both; one of a purchase at 09:00 stays in D-2.
  const morning = earnEvent(300, day(0, 11), day(2, 9));
  await countLedgerEvents(dataSource, [morning], DAILY);
  const d2 = await periodAt(day(2, 1));
  await closePeriod(dataSource, OPERATOR, { periodId: d2.id, closeAt: day(2, 12) }, DAILY, noCatchUp);
  expect((await booked(morning)).period_id).toBe(d2.id);
  const rest = await periodAt(day(2, 13));
  expect(rest.id).not.toBe(d2.id);
  expect((await booked(onTime)).period_id).toBe(rest.id);
  const [statement] = await dataSource.query('SELECT points_issued FROM settlement_statements WHERE period_id = $1', [d2.id]);
  // D-2 until noon: its own event (10), the late earn for D-3 (200, booked before the close), the morning purchase (300).
  expect(statement.points_issued).toBe('510');
});
