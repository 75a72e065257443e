import type { MigrationInterface, QueryRunner } from 'typeorm';
import { IDEMPOTENCY_TABLE_SQL } from '../../../shared/idempotency';
import { OUTBOX_TABLE_SQL } from '../../../shared/outbox';

export class Ledger1764000000000 implements MigrationInterface {
  name = 'Ledger1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE members (
        id uuid PRIMARY KEY,
        display_name text NOT NULL,
        email text NOT NULL,
        enrolled_via_partner_id uuid NOT NULL,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        qualifying_points bigint NOT NULL DEFAULT 0 CHECK (qualifying_points >= 0),
        lifetime_earned_points bigint NOT NULL DEFAULT 0 CHECK (lifetime_earned_points >= 0),
        last_event_sequence integer NOT NULL DEFAULT 0
      )`);
    await runner.query('CREATE UNIQUE INDEX members_email ON members (lower(email))');
    await runner.query('CREATE INDEX members_enrolled_via ON members (enrolled_via_partner_id, enrolled_at DESC, id DESC)');
    // The database refuses a negative member balance even if the core had a bug (invariant 2).
    await runner.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('MEMBER', 'PARTNER_ISSUANCE', 'PARTNER_REDEMPTION', 'BREAKAGE')),
        owner_id uuid NOT NULL,
        balance_points bigint NOT NULL DEFAULT 0,
        UNIQUE (kind, owner_id),
        CONSTRAINT member_balance_not_negative CHECK (kind <> 'MEMBER' OR balance_points >= 0)
      )`);
    await runner.query(`
      CREATE TABLE transfers (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('EARN', 'REDEEM')),
        from_account_id uuid NOT NULL REFERENCES accounts (id),
        to_account_id uuid NOT NULL REFERENCES accounts (id),
        points bigint NOT NULL CHECK (points > 0),
        member_id uuid NOT NULL REFERENCES members (id),
        partner_id uuid NOT NULL,
        reference text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (from_account_id <> to_account_id)
      )`);
    await runner.query('CREATE INDEX transfers_member ON transfers (member_id, created_at DESC, id DESC)');
    await runner.query(IDEMPOTENCY_TABLE_SQL);
    await runner.query(OUTBOX_TABLE_SQL);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE outbox_events, idempotency_keys, transfers, accounts, members');
    await runner.query('DROP SEQUENCE outbox_position');
  }
}
