import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Points + cash redemptions (catalog.ts, redemptions.ts): a reward may declare a cash option (the
 * least points a redemption must pay, and the cash price of each point paid in money instead), and
 * a redemption records the cash part it was paid with, for the partner. The coalition moves no
 * money: the ledger spends, and settlement counts, only the points part.
 */
export class RewardsPointsAndCash1768700000000 implements MigrationInterface {
  name = 'RewardsPointsAndCash1768700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE rewards
        ADD COLUMN cash_min_points integer,
        ADD COLUMN cash_micros_per_point bigint,
        ADD COLUMN cash_currency text,
        ADD CONSTRAINT rewards_cash_option CHECK (
          (cash_min_points IS NULL AND cash_micros_per_point IS NULL AND cash_currency IS NULL)
          OR (cash_min_points > 0 AND cash_min_points < points_cost AND cash_micros_per_point > 0 AND cash_currency IS NOT NULL))`);
    await runner.query(`
      ALTER TABLE redemptions
        ADD COLUMN cash_amount_minor bigint CHECK (cash_amount_minor > 0),
        ADD COLUMN cash_currency text,
        ADD CONSTRAINT redemptions_cash_part CHECK ((cash_amount_minor IS NULL) = (cash_currency IS NULL))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE redemptions DROP COLUMN cash_amount_minor, DROP COLUMN cash_currency');
    await runner.query('ALTER TABLE rewards DROP COLUMN cash_min_points, DROP COLUMN cash_micros_per_point, DROP COLUMN cash_currency');
  }
}
