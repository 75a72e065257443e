import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An entry's effective instant, for an event recorded later than what it records happened (the earn
 * of a confirmed claim, as of its purchase): the period it is booked in follows it (entries.ts),
 * and an early close keeps the entry with the part of the period its effective instant is in.
 * Null for every other entry: its event's time.
 */
export class EntryEffectiveAt1768700000000 implements MigrationInterface {
  name = 'EntryEffectiveAt1768700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlement_entries ADD COLUMN effective_at timestamptz');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlement_entries DROP COLUMN effective_at');
  }
}
