import type { MigrationInterface, QueryRunner } from 'typeorm';
import { IDEMPOTENCY_TABLE_SQL } from '../../../shared/idempotency';

export class Catalog1764000000000 implements MigrationInterface {
  name = 'Catalog1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    // stock_remaining >= 0 is the database's last word against overselling.
    await runner.query(`
      CREATE TABLE rewards (
        id uuid PRIMARY KEY,
        partner_id uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('VOUCHER', 'PERCENT_DISCOUNT', 'FREE_ITEM', 'EXPERIENCE')),
        category text NOT NULL,
        points_cost integer NOT NULL CHECK (points_cost > 0),
        cash_value_minor integer CHECK (cash_value_minor >= 0),
        currency char(3),
        stock_remaining integer CHECK (stock_remaining >= 0)
      )`);
    await runner.query('CREATE INDEX rewards_catalog ON rewards (points_cost, id)');
    await runner.query('CREATE INDEX rewards_partner ON rewards (partner_id, points_cost, id)');
    await runner.query(`
      CREATE TABLE redemptions (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL,
        reward_id uuid NOT NULL REFERENCES rewards (id),
        partner_id uuid NOT NULL,
        points_spent integer NOT NULL CHECK (points_spent > 0),
        status text NOT NULL CHECK (status IN ('PENDING', 'ISSUED', 'FAILED')),
        voucher_code text UNIQUE,
        ledger_transfer_id uuid,
        failure_code text,
        failure_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'ISSUED') = (voucher_code IS NOT NULL AND ledger_transfer_id IS NOT NULL))
      )`);
    await runner.query('CREATE INDEX redemptions_member ON redemptions (member_id, created_at DESC, id DESC)');
    await runner.query(IDEMPOTENCY_TABLE_SQL);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE idempotency_keys, redemptions, rewards');
  }
}
