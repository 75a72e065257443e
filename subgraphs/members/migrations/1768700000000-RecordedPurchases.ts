import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One earn per receipt, and purchases recorded without a member (purchases.ts).
 *
 * earns had only a plain index on (partner, document number): a till earn and a claim of the same
 * receipt committing at the same moment could both earn. The unique key makes the second wait for
 * the first and find the receipt taken. A database already holding two earns of one receipt fails
 * here, loudly: which of them to refund is a decision for the operator, not for a migration.
 */
export class RecordedPurchases1768700000000 implements MigrationInterface {
  name = 'RecordedPurchases1768700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX earns_document');
    await runner.query('CREATE UNIQUE INDEX earns_receipt ON earns (partner_id, document_number) WHERE document_number IS NOT NULL');
    await runner.query(`
      CREATE TABLE recorded_purchases (
        id uuid PRIMARY KEY,
        partner_id uuid NOT NULL,
        document_number text NOT NULL,
        store_id text,
        purchase_amount_minor bigint NOT NULL CHECK (purchase_amount_minor > 0),
        currency text NOT NULL,
        purchased_at timestamptz NOT NULL,
        lines jsonb,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (partner_id, document_number)
      )`);
    // The recorded purchase that confirmed a claim by itself; null for a claim the partner decided.
    await runner.query('ALTER TABLE purchase_claims ADD COLUMN matched_purchase_id uuid UNIQUE REFERENCES recorded_purchases (id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE purchase_claims DROP COLUMN matched_purchase_id');
    await runner.query('DROP TABLE recorded_purchases');
    await runner.query('DROP INDEX earns_receipt');
    await runner.query('CREATE INDEX earns_document ON earns (partner_id, document_number) WHERE document_number IS NOT NULL');
  }
}
