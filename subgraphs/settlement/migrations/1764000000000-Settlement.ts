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
        status text NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED'))
      )`);
    await runner.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY,
        partner_id uuid NOT NULL REFERENCES partners (id),
        earn_rate_milli_points_per_unit integer NOT NULL CHECK (earn_rate_milli_points_per_unit >= 0),
        issue_price_micros_per_point integer NOT NULL CHECK (issue_price_micros_per_point >= 0),
        redemption_value_micros_per_point integer NOT NULL CHECK (redemption_value_micros_per_point >= 0),
        currency char(3) NOT NULL,
        effective_from timestamptz NOT NULL,
        UNIQUE (partner_id, effective_from)
      )`);
    // One entry per ledger event (the unique event_id): a replayed event changes nothing.
    // price_micros_per_point is copied from the contract in force when the event happened.
    await runner.query(`
      CREATE TABLE settlement_entries (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        event_position bigint NOT NULL,
        partner_id uuid NOT NULL REFERENCES partners (id),
        contract_id uuid NOT NULL REFERENCES contracts (id),
        kind text NOT NULL CHECK (kind IN ('ISSUANCE', 'REVERSAL', 'REDEMPTION', 'REDEMPTION_REVERSAL')),
        points bigint NOT NULL CHECK (points > 0),
        price_micros_per_point integer NOT NULL,
        currency char(3) NOT NULL,
        occurred_at timestamptz NOT NULL
      )`);
    await runner.query('CREATE INDEX settlement_entries_partner ON settlement_entries (partner_id, kind)');
    // Where each consumer of the ledger feed stands; advanced in the same transaction as its entries.
    await runner.query(`
      CREATE TABLE feed_checkpoints (
        feed text PRIMARY KEY,
        position bigint NOT NULL
      )`);
    await runner.query(`INSERT INTO feed_checkpoints (feed, position) VALUES ('ledger', 0)`);
    await runner.query(IDEMPOTENCY_TABLE_SQL);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE idempotency_keys, feed_checkpoints, settlement_entries, contracts, partners');
  }
}
