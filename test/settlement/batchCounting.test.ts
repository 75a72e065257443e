import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/identity';
import type { PublishedEvent } from '../../shared/outbox';
import { countLedgerEvents } from '../../subgraphs/settlement/entries';
import { closePeriod } from '../../subgraphs/settlement/statements';
import { DAILY, ledgerEvent, startSettlementCore, type SettlementCore } from '../support/settlementCore';

/**
 * A feed batch counted as a set (subgraphs/settlement/entries.ts, countLedgerEvents): one batch
 * spanning several periods (one of them closed) and two contracts books and prices each event as
 * counting it alone would, at the domain core on a settlement database of its own with daily
 * periods; a replayed or overlapping batch counts only what it has not counted.
 */

const OPERATOR: Caller = { kind: 'operator', operatorId: 'batch-counting-test' };
const noCatchUp = async () => undefined;

let core: SettlementCore;
let dataSource: DataSource;
let day: SettlementCore['day'];

beforeAll(async () => {
  core = await startSettlementCore('batch_counting');
  ({ dataSource, day } = core);
});

afterAll(async () => {
  await core?.stop();
});

const periodAt = async (at: Date): Promise<{ id: string; status: string }> =>
  (await dataSource.query('SELECT id, status FROM settlement_periods WHERE starts_at <= $1 AND $1 < ends_at', [at]))[0];
const entryOf = async (event: PublishedEvent) =>
  (
    await dataSource.query(
      'SELECT period_id, late, kind, points::int, price_micros_per_point FROM settlement_entries WHERE event_id = $1',
      [event.id],
    )
  )[0];

/** A REVERSAL of an earn that happened at `reversesEventAt`, published at `occurredAt`. */
function reversalEvent(points: number, occurredAt: Date, reversesEventAt: Date): PublishedEvent {
  const event = ledgerEvent(core.partnerId, 'EARN', points, occurredAt);
  return {
    ...event,
    payload: { ...event.payload, kind: 'REVERSAL', availableDelta: -points, reversesEventAt: reversesEventAt.toISOString() },
  };
}

it('books and prices every event of one batch across periods and contracts as counting each alone would', async () => {
  // Periods for D-4 .. today; D-3 closed.
  await countLedgerEvents(
    dataSource,
    [4, 3, 2, 1, 0].map((d) => ledgerEvent(core.partnerId, 'EARN', 1, day(d, 1))),
    DAILY,
  );
  await closePeriod(dataSource, OPERATOR, { periodId: (await periodAt(day(3, 1))).id }, DAILY, noCatchUp);
  // A second contract takes effect half a millisecond after D-1 09:00 (microseconds, as SQL may
  // write them): an event at 09:00.000 is still under the first.
  const switchAt = new Date(day(1, 9).getTime());
  await dataSource.query(
    `INSERT INTO contracts (id, partner_id, earn_rate_milli_points_per_unit, issue_price_micros_per_point, redemption_value_micros_per_point, currency, effective_from)
     VALUES ($1, $2, 1000, 20000, 9000, 'EUR', $3::timestamptz + interval '500 microseconds')`,
    [randomUUID(), core.partnerId, switchAt],
  );

  const beforeSwitch = ledgerEvent(core.partnerId, 'EARN', 10, switchAt);
  const afterSwitch = ledgerEvent(core.partnerId, 'EARN', 20, new Date(switchAt.getTime() + 1));
  const redemption = ledgerEvent(core.partnerId, 'REDEEM', 30, day(0, 2));
  // Reverses an earn of D-2, under the first contract: priced as it was, though booked today.
  const reversal = reversalEvent(5, day(0, 3), day(2, 4));
  // A claim's earn of a purchase on closed D-3: late, in the first open period after it (D-2), and
  // priced as of its own time, under the second contract.
  const lateClaim = ledgerEvent(core.partnerId, 'EARN', 40, day(0, 4), day(3, 5));
  const batch = [beforeSwitch, afterSwitch, redemption, reversal, lateClaim];
  const { partnerIds } = await countLedgerEvents(dataSource, batch, DAILY);
  expect([...partnerIds]).toEqual([core.partnerId]);

  const today = (await periodAt(day(0, 1))).id;
  expect(await entryOf(beforeSwitch)).toEqual({
    period_id: (await periodAt(switchAt)).id,
    late: false,
    kind: 'ISSUANCE',
    points: 10,
    price_micros_per_point: 12500,
  });
  expect(await entryOf(afterSwitch)).toMatchObject({ kind: 'ISSUANCE', points: 20, price_micros_per_point: 20000 });
  expect(await entryOf(redemption)).toEqual({
    period_id: today,
    late: false,
    kind: 'REDEMPTION',
    points: 30,
    price_micros_per_point: 9000,
  });
  expect(await entryOf(reversal)).toEqual({ period_id: today, late: false, kind: 'REVERSAL', points: 5, price_micros_per_point: 12500 });
  expect(await entryOf(lateClaim)).toEqual({
    period_id: (await periodAt(day(2, 1))).id,
    late: true,
    kind: 'ISSUANCE',
    points: 40,
    price_micros_per_point: 20000,
  });
  expect(await dataSource.query('SELECT points::int FROM settlement_flows WHERE event_id = $1', [redemption.id])).toEqual([{ points: 30 }]);

  // The same batch again, and one overlapping it: only the new event is counted.
  const counted = async () => (await dataSource.query('SELECT count(*)::int AS n FROM settlement_entries'))[0].n;
  const before = await counted();
  expect((await countLedgerEvents(dataSource, batch, DAILY)).partnerIds.size).toBe(0);
  const next = ledgerEvent(core.partnerId, 'REDEEM', 7, day(0, 5));
  await countLedgerEvents(dataSource, [redemption, next], DAILY);
  expect(await counted()).toBe(before + 1);
  expect(
    await dataSource.query('SELECT count(*)::int AS n FROM settlement_flows WHERE event_id = ANY($1::uuid[])', [[redemption.id, next.id]]),
  ).toEqual([{ n: 2 }]);
});

it('counts nothing twice when a batch is read again from behind the checkpoint (two replicas, a reset)', async () => {
  const batch = [ledgerEvent(core.partnerId, 'EARN', 3, day(0, 6)), ledgerEvent(core.partnerId, 'REDEEM', 2, day(0, 6))];
  await countLedgerEvents(dataSource, batch, DAILY);
  const totals = async () =>
    (
      await dataSource.query(
        `SELECT (SELECT count(*)::int FROM settlement_entries) AS entries, (SELECT count(*)::int FROM settlement_flows) AS flows`,
      )
    )[0];
  const before = await totals();
  // As a replica that read the batch before the other committed it would count it: the entries'
  // unique event ids hold, and no flow is added for an entry not inserted.
  await dataSource.query(`UPDATE feed_checkpoints SET position = 0 WHERE feed = 'ledger'`);
  expect((await countLedgerEvents(dataSource, batch, DAILY)).partnerIds.size).toBe(0);
  expect(await totals()).toEqual(before);
});
