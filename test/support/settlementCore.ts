import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { PublishedEvent } from '../../shared/outbox';
import { calendarStart, type PeriodCalendar } from '../../subgraphs/settlement/periods';
import { openSettlementDatabase } from '../../subgraphs/settlement/server';
import { createTestDatabase } from './testDatabase';

/**
 * Settlement at the domain core, for tests that choose the time of every ledger event: a settlement
 * database of its own (migrated as the subgraph migrates it) with daily periods, one partner whose
 * contract is in force since before the days used (the API refuses back-dated ones), and ledger
 * events built as the members subgraph publishes them, fed to countLedgerEvents as the feed would.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const DAILY: PeriodCalendar = { length: 'day', timeZone: 'UTC' };

export interface SettlementCore {
  dataSource: DataSource;
  partnerId: string;
  /** Midnight (UTC) `daysBefore` days before today, plus `hours`. */
  day(daysBefore: number, hours?: number): Date;
  stop(): Promise<void>;
}

export async function startSettlementCore(name: string): Promise<SettlementCore> {
  const database = await createTestDatabase(name);
  const dataSource = await openSettlementDatabase(database.url, 2);
  const today = calendarStart(new Date(), DAILY);
  const day = (daysBefore: number, hours = 0) => new Date(today.getTime() - daysBefore * DAY_MS + hours * HOUR_MS);
  const partnerId = randomUUID();
  await dataSource.query(
    `INSERT INTO partners (id, code, name, program_name, category, status) VALUES ($1, $2, $3, $3, 'GROCER', 'ACTIVE')`,
    [partnerId, `${name.replace(/_/g, '-')}-${partnerId.slice(0, 8)}`, name],
  );
  await dataSource.query(
    `INSERT INTO contracts (id, partner_id, earn_rate_milli_points_per_unit, issue_price_micros_per_point, redemption_value_micros_per_point, currency, effective_from)
     VALUES ($1, $2, 1000, 12500, 7500, 'EUR', $3)`,
    [randomUUID(), partnerId, day(10)],
  );
  return {
    dataSource,
    partnerId,
    day,
    async stop() {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

let position = 0;

/**
 * A ledger event as the members subgraph publishes it: an EARN or REDEEM at `partnerId`, at
 * `occurredAt`; with `effectiveAt`, a claim's earn of a purchase made then.
 */
export function ledgerEvent(
  partnerId: string,
  kind: 'EARN' | 'REDEEM',
  points: number,
  occurredAt: Date,
  effectiveAt?: Date,
): PublishedEvent {
  position += 1;
  return {
    id: randomUUID(),
    type: 'balance.changed',
    memberId: randomUUID(),
    memberSequence: 1,
    occurredAt,
    position: String(position),
    payload: {
      version: 1,
      transferId: randomUUID(),
      kind,
      partnerId,
      points,
      availableDelta: kind === 'EARN' ? points : -points,
      pendingDelta: 0,
      reservedDelta: 0,
      // The partner's own customers earned what they redeem there: one flow per redemption.
      ...(kind === 'REDEEM' ? { origins: [{ partnerId, points }] } : {}),
      ...(effectiveAt ? { effectiveAt: effectiveAt.toISOString() } : {}),
      balance: { availablePoints: 0, pendingPoints: 0, reservedPoints: 0 },
    },
  };
}
