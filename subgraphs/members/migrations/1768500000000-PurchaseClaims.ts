import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Claims of missing points (claims.ts): a receipt the member forgot to identify, confirmed by its partner. */
export class PurchaseClaims1768500000000 implements MigrationInterface {
  name = 'PurchaseClaims1768500000000';

  async up(runner: QueryRunner): Promise<void> {
    // The unique key is what makes "no receipt is claimed twice" hold when many claim it at once.
    await runner.query(`
      CREATE TABLE purchase_claims (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES members (id),
        partner_id uuid NOT NULL,
        document_number text NOT NULL,
        store_id text,
        purchase_amount_minor bigint NOT NULL CHECK (purchase_amount_minor > 0),
        currency text NOT NULL,
        purchased_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED')),
        rejection_reason text,
        earn_transfer_id uuid REFERENCES earns (transfer_id),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()), -- cursors carry milliseconds
        decided_at timestamptz,
        UNIQUE (partner_id, document_number)
      )`);
    await runner.query('CREATE INDEX purchase_claims_member ON purchase_claims (member_id, created_at DESC, id DESC)');
    await runner.query('CREATE INDEX purchase_claims_partner ON purchase_claims (partner_id, created_at DESC, id DESC)');
    // A receipt that earned at the till must not be claimed as missing: the claim looks it up here.
    await runner.query('CREATE INDEX earns_document ON earns (partner_id, document_number) WHERE document_number IS NOT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX earns_document');
    await runner.query('DROP TABLE purchase_claims');
  }
}
