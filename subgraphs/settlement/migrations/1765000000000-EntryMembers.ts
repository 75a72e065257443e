import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entries name the (pseudonymous) member of their ledger event, so anonymised analytics can count
 * distinct members and withhold groups that are too small. Entries counted before this migration
 * have none and are left out of analytics.
 */
export class EntryMembers1765000000000 implements MigrationInterface {
  name = 'EntryMembers1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlement_entries ADD COLUMN member_id uuid');
    await runner.query(
      'CREATE INDEX settlement_entries_period_member ON settlement_entries (period_id, member_id) WHERE member_id IS NOT NULL',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX settlement_entries_period_member');
    await runner.query('ALTER TABLE settlement_entries DROP COLUMN member_id');
  }
}
