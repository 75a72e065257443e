import type { MigrationInterface, QueryRunner } from 'typeorm';
import { IDEMPOTENCY_TABLE_SQL } from '../../../shared/idempotency';

export class Settlement1764000000000 implements MigrationInterface {
  name = 'Settlement1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE partners (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        program_name text NOT NULL,
        category text NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
        created_by text NOT NULL DEFAULT 'seed',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A contract change is a new row from its effective date: history is kept.
    await runner.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY,
        partner_id uuid NOT NULL REFERENCES partners (id),
        earn_rate_milli_points_per_unit integer NOT NULL CHECK (earn_rate_milli_points_per_unit >= 0),
        issue_price_micros_per_point integer NOT NULL CHECK (issue_price_micros_per_point >= 0),
        redemption_value_micros_per_point integer NOT NULL CHECK (redemption_value_micros_per_point >= 0),
        currency char(3) NOT NULL,
        effective_from timestamptz NOT NULL,
        created_by text NOT NULL DEFAULT 'seed',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (partner_id, effective_from)
      )`);
    // Periods tile time without gaps: each starts where the previous one ends.
    await runner.query(`
      CREATE TABLE settlement_periods (
        id uuid PRIMARY KEY,
        starts_at timestamptz NOT NULL UNIQUE,
        ends_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
        closed_at timestamptz,
        closed_by text,
        CHECK (ends_at > starts_at),
        CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL))
      )`);
    // One entry per ledger event that moves money or points between a partner and the coalition
    // (the unique event_id: a replayed event changes nothing). Its price is copied from the
    // contract in force when the event happened; `period_id` is where it is booked, `late` when
    // that is after the period it happened in had closed.
    await runner.query(`
      CREATE TABLE settlement_entries (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        event_position bigint NOT NULL,
        period_id uuid NOT NULL REFERENCES settlement_periods (id),
        late boolean NOT NULL DEFAULT false,
        partner_id uuid REFERENCES partners (id),
        contract_id uuid REFERENCES contracts (id),
        kind text NOT NULL CHECK (kind IN ('ISSUANCE', 'REVERSAL', 'REDEMPTION', 'REDEMPTION_REVERSAL', 'BREAKAGE')),
        points bigint NOT NULL CHECK (points > 0),
        price_micros_per_point integer NOT NULL,
        currency char(3),
        occurred_at timestamptz NOT NULL,
        CHECK ((kind = 'BREAKAGE') = (partner_id IS NULL))
      )`);
    await runner.query('CREATE INDEX settlement_entries_period ON settlement_entries (period_id, partner_id, kind)');
    await runner.query('CREATE INDEX settlement_entries_occurred ON settlement_entries (occurred_at)');
    // Points issued at one partner and redeemed at another (signed: a cancellation subtracts).
    await runner.query(`
      CREATE TABLE settlement_flows (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        period_id uuid NOT NULL REFERENCES settlement_periods (id),
        issuer_partner_id uuid,
        redeemer_partner_id uuid NOT NULL,
        points bigint NOT NULL
      )`);
    await runner.query('CREATE INDEX settlement_flows_period ON settlement_flows (period_id)');
    // A closed period's frozen statement per partner: never changes after it is written.
    await runner.query(`
      CREATE TABLE settlement_statements (
        id uuid PRIMARY KEY,
        period_id uuid NOT NULL REFERENCES settlement_periods (id),
        partner_id uuid NOT NULL REFERENCES partners (id),
        currency char(3) NOT NULL,
        points_issued bigint NOT NULL,
        issued_amount_minor bigint NOT NULL,
        points_reversed bigint NOT NULL,
        reversed_amount_minor bigint NOT NULL,
        points_redeemed bigint NOT NULL,
        redeemed_amount_minor bigint NOT NULL,
        net_amount_minor bigint NOT NULL,
        direction text NOT NULL,
        late_events integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (period_id, partner_id)
      )`);
    // Partner API keys: only a SHA-256 of the secret is kept (the secret is 256 random bits, so a
    // slow password hash adds nothing); revoked keys stay for the audit trail.
    await runner.query(`
      CREATE TABLE partner_api_keys (
        id uuid PRIMARY KEY,
        partner_id uuid NOT NULL REFERENCES partners (id),
        label text NOT NULL,
        secret_sha256 text NOT NULL,
        scopes text[] NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await runner.query('CREATE INDEX partner_api_keys_partner ON partner_api_keys (partner_id)');
    // Where each consumer of the ledger feed stands; advanced in the same transaction as its entries.
    await runner.query(`CREATE TABLE feed_checkpoints (feed text PRIMARY KEY, position bigint NOT NULL)`);
    await runner.query(`INSERT INTO feed_checkpoints (feed, position) VALUES ('ledger', 0)`);
    await runner.query(IDEMPOTENCY_TABLE_SQL);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'DROP TABLE idempotency_keys, partner_api_keys, feed_checkpoints, settlement_statements, settlement_flows, settlement_entries, settlement_periods, contracts, partners',
    );
  }
}
