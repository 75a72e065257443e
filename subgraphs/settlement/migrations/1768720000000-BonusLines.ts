import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns' bonus points get a statement line of their own: entries of kind BONUS (a funder's
 * bonus, at its issue price) and BONUS_REVERSAL (what a refund took back of one), and four
 * statement figures beside issued and reversed. Statements frozen before this have zeros there (a
 * frozen statement is not rewritten), and entries counted before it stay as they were: a bonus as
 * ISSUANCE, its reversal as REVERSAL, both already billed to the funder at the same price.
 */
export class BonusLines1768720000000 implements MigrationInterface {
  name = 'BonusLines1768720000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlement_entries DROP CONSTRAINT settlement_entries_kind_check');
    await runner.query(`
      ALTER TABLE settlement_entries ADD CONSTRAINT settlement_entries_kind_check
        CHECK (kind IN ('ISSUANCE', 'REVERSAL', 'BONUS', 'BONUS_REVERSAL', 'REDEMPTION', 'REDEMPTION_REVERSAL', 'BREAKAGE', 'GRANT', 'DEBIT'))`);
    await runner.query('ALTER TABLE settlement_statement_lines DROP CONSTRAINT settlement_statement_lines_kind_check');
    await runner.query(`
      ALTER TABLE settlement_statement_lines ADD CONSTRAINT settlement_statement_lines_kind_check
        CHECK (kind IN ('ISSUANCE', 'REVERSAL', 'BONUS', 'BONUS_REVERSAL', 'REDEMPTION', 'REDEMPTION_REVERSAL'))`);
    await runner.query(`
      ALTER TABLE settlement_statements
        ADD COLUMN points_bonus bigint NOT NULL DEFAULT 0,
        ADD COLUMN bonus_amount_minor bigint NOT NULL DEFAULT 0,
        ADD COLUMN points_bonus_reversed bigint NOT NULL DEFAULT 0,
        ADD COLUMN bonus_reversed_amount_minor bigint NOT NULL DEFAULT 0`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE settlement_statements
        DROP COLUMN points_bonus, DROP COLUMN bonus_amount_minor, DROP COLUMN points_bonus_reversed, DROP COLUMN bonus_reversed_amount_minor`);
    await runner.query(`DELETE FROM settlement_statement_lines WHERE kind IN ('BONUS', 'BONUS_REVERSAL')`);
    await runner.query('ALTER TABLE settlement_statement_lines DROP CONSTRAINT settlement_statement_lines_kind_check');
    await runner.query(`
      ALTER TABLE settlement_statement_lines ADD CONSTRAINT settlement_statement_lines_kind_check
        CHECK (kind IN ('ISSUANCE', 'REVERSAL', 'REDEMPTION', 'REDEMPTION_REVERSAL'))`);
    await runner.query(`UPDATE settlement_entries SET kind = 'ISSUANCE' WHERE kind = 'BONUS'`);
    await runner.query(`UPDATE settlement_entries SET kind = 'REVERSAL' WHERE kind = 'BONUS_REVERSAL'`);
    await runner.query('ALTER TABLE settlement_entries DROP CONSTRAINT settlement_entries_kind_check');
    await runner.query(`
      ALTER TABLE settlement_entries ADD CONSTRAINT settlement_entries_kind_check
        CHECK (kind IN ('ISSUANCE', 'REVERSAL', 'REDEMPTION', 'REDEMPTION_REVERSAL', 'BREAKAGE', 'GRANT', 'DEBIT'))`);
  }
}
