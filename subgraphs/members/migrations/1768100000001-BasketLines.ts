import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Receipts with lines (basket.ts): categories decide what earns, returns come back line by line. */
export class BasketLines1768100000001 implements MigrationInterface {
  name = 'BasketLines1768100000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE earns ADD COLUMN document_number text, ADD COLUMN store_id text');
    await runner.query(`
      CREATE TABLE earn_lines (
        earn_id uuid NOT NULL REFERENCES earns (transfer_id),
        line_number integer NOT NULL CHECK (line_number > 0),
        sku text NOT NULL,
        category_code text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
        line_amount_minor bigint NOT NULL CHECK (line_amount_minor >= 0),
        excluded boolean NOT NULL,
        points bigint NOT NULL CHECK (points >= 0),
        returned_at timestamptz,
        PRIMARY KEY (earn_id, line_number)
      )`);
    // partner_id is the coalition's id for what the operator excludes everywhere.
    await runner.query(`
      CREATE TABLE excluded_categories (
        partner_id uuid NOT NULL,
        category_code text NOT NULL,
        PRIMARY KEY (partner_id, category_code)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE excluded_categories');
    await runner.query('DROP TABLE earn_lines');
    await runner.query('ALTER TABLE earns DROP COLUMN document_number, DROP COLUMN store_id');
  }
}
