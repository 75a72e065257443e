import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A partner's entries by time: a new contract must take effect after the latest event already
 * counted for the partner, and that is read from here without scanning every partner's entries.
 */
export class EntriesByPartner1766000000000 implements MigrationInterface {
  name = 'EntriesByPartner1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX settlement_entries_partner_occurred ON settlement_entries (partner_id, occurred_at DESC)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX settlement_entries_partner_occurred');
  }
}
