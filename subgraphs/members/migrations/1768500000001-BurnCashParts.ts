import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Points + cash (spending.ts): the money part of a burn, recorded for the partner. The coalition
 * moves no money; settlement counts only the points the ledger moved.
 */
export class BurnCashParts1768500000001 implements MigrationInterface {
  name = 'BurnCashParts1768500000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE burn_cash_parts (
        transfer_id uuid PRIMARY KEY REFERENCES transfers (id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE burn_cash_parts');
  }
}
