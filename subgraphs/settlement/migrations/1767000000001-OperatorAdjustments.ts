import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operator's grants and debits become entries (GRANT, DEBIT: the coalition's own points, no
 * partner, no money), so the books can account for every point of the float. The ledger feed
 * starts again from the first event: entries are unique by event, so the replay adds only the
 * adjustments made before this version (booked late where their own period has closed; the books
 * and reconciliation read them by when they happened) and changes nothing else.
 */
export class OperatorAdjustments1767000000001 implements MigrationInterface {
  name = 'OperatorAdjustments1767000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE settlement_entries DROP CONSTRAINT settlement_entries_kind_check');
    await runner.query('ALTER TABLE settlement_entries DROP CONSTRAINT settlement_entries_check');
    await runner.query(`
      ALTER TABLE settlement_entries
        ADD CONSTRAINT settlement_entries_kind_check
          CHECK (kind IN ('ISSUANCE', 'REVERSAL', 'REDEMPTION', 'REDEMPTION_REVERSAL', 'BREAKAGE', 'GRANT', 'DEBIT')),
        ADD CONSTRAINT settlement_entries_partner_check CHECK ((kind IN ('BREAKAGE', 'GRANT', 'DEBIT')) = (partner_id IS NULL))`);
    await runner.query(`UPDATE feed_checkpoints SET position = 0 WHERE feed = 'ledger'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM settlement_entries WHERE kind IN ('GRANT', 'DEBIT')`);
    await runner.query('ALTER TABLE settlement_entries DROP CONSTRAINT settlement_entries_kind_check');
    await runner.query('ALTER TABLE settlement_entries DROP CONSTRAINT settlement_entries_partner_check');
    await runner.query(`
      ALTER TABLE settlement_entries
        ADD CONSTRAINT settlement_entries_kind_check
          CHECK (kind IN ('ISSUANCE', 'REVERSAL', 'REDEMPTION', 'REDEMPTION_REVERSAL', 'BREAKAGE')),
        ADD CONSTRAINT settlement_entries_check CHECK ((kind = 'BREAKAGE') = (partner_id IS NULL))`);
  }
}
