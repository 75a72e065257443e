import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A statement's line items: one per (entry kind, contract version) that had entries in the
 * statement, frozen with it in the closing transaction, so a reader can see which contracts priced
 * it and recompute each figure from exact micro-unit amounts. Rows are never updated or deleted,
 * like the statement itself. Statements frozen before this migration have no lines (their entries
 * are still there, but a frozen statement is not rewritten).
 */
export class StatementLines1767000000000 implements MigrationInterface {
  name = 'StatementLines1767000000000';

  async up(runner: QueryRunner): Promise<void> {
    // amount_micros is points x price_micros_per_point, unrounded: the figure a line contributes
    // before its statement line is rounded once to minor units.
    await runner.query(`
      CREATE TABLE settlement_statement_lines (
        statement_id uuid NOT NULL REFERENCES settlement_statements (id),
        kind text NOT NULL CHECK (kind IN ('ISSUANCE', 'REVERSAL', 'REDEMPTION', 'REDEMPTION_REVERSAL')),
        contract_id uuid NOT NULL REFERENCES contracts (id),
        event_count integer NOT NULL CHECK (event_count > 0),
        points bigint NOT NULL CHECK (points > 0),
        price_micros_per_point integer NOT NULL CHECK (price_micros_per_point >= 0),
        amount_micros bigint NOT NULL CHECK (amount_micros = points * price_micros_per_point),
        PRIMARY KEY (statement_id, kind, contract_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE settlement_statement_lines');
  }
}
