import type { MigrationInterface, QueryRunner } from 'typeorm';
import { IDEMPOTENCY_TABLE_SQL } from '../../../shared/idempotency';
import { OUTBOX_TABLE_SQL } from '../../../shared/outbox';

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
        stock_remaining integer CHECK (stock_remaining >= 0),
        per_member_limit integer CHECK (per_member_limit > 0),
        min_tier text NOT NULL DEFAULT 'BASE',
        valid_from timestamptz,
        valid_until timestamptz,
        voucher_valid_days integer NOT NULL DEFAULT 30 CHECK (voucher_valid_days > 0),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'RETIRED')),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query('CREATE INDEX rewards_catalog ON rewards (points_cost, id)');
    await runner.query('CREATE INDEX rewards_newest ON rewards (created_at DESC, id DESC)');
    await runner.query('CREATE INDEX rewards_partner ON rewards (partner_id, points_cost, id)');
    await runner.query(`
      CREATE TABLE redemptions (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL,
        reward_id uuid NOT NULL REFERENCES rewards (id),
        partner_id uuid NOT NULL,
        points_spent integer NOT NULL CHECK (points_spent > 0),
        status text NOT NULL CHECK (status IN ('PENDING', 'ISSUED', 'USED', 'CANCELLING', 'CANCELLED', 'EXPIRED', 'FAILED')),
        -- The ledger's hold for the points, once known.
        ledger_reservation_id uuid,
        ledger_transfer_id uuid,
        voucher_code text UNIQUE,
        voucher_expires_at timestamptz,
        failure_code text,
        failure_message text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        settled_at timestamptz,
        CHECK ((status IN ('PENDING', 'FAILED')) = (voucher_code IS NULL))
      )`);
    await runner.query('CREATE INDEX redemptions_member ON redemptions (member_id, created_at DESC, id DESC)');
    // The per-member limit counts a member's redemptions of one reward.
    await runner.query('CREATE INDEX redemptions_member_reward ON redemptions (member_id, reward_id)');
    // What recovery and expiry look for.
    await runner.query(`CREATE INDEX redemptions_unsettled ON redemptions (created_at) WHERE status IN ('PENDING', 'CANCELLING')`);
    await runner.query(`CREATE INDEX redemptions_issued ON redemptions (voucher_expires_at) WHERE status = 'ISSUED'`);
    // Per-member numbering of this subgraph's events (its own sequence, apart from the ledger's).
    await runner.query(`CREATE TABLE member_event_sequences (member_id uuid PRIMARY KEY, last_sequence integer NOT NULL)`);
    await runner.query(IDEMPOTENCY_TABLE_SQL);
    await runner.query(OUTBOX_TABLE_SQL);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE outbox_events, idempotency_keys, member_event_sequences, redemptions, rewards');
    await runner.query('DROP SEQUENCE outbox_position');
  }
}
