import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns, part 3 (campaigns.ts): the DISTINCT_CATEGORIES rule, so many distinct categories
 * bought within a window of days. It shares `window_days` with DISTINCT_PARTNERS; each window rule
 * has its own count column, and only its own.
 */
export class DistinctCategories1768750000000 implements MigrationInterface {
  name = 'DistinctCategories1768750000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE campaigns DROP CONSTRAINT campaigns_rule_kind_check, DROP CONSTRAINT campaigns_distinct_rule');
    await runner.query(`
      ALTER TABLE campaigns
        ADD COLUMN distinct_categories integer CHECK (distinct_categories >= 2),
        ADD CONSTRAINT campaigns_rule_kind_check CHECK (rule_kind IN (
          'SPEND_MULTIPLIER', 'PURCHASE_BONUS', 'LINE_BONUS', 'FIRST_PURCHASE', 'DISTINCT_PARTNERS', 'DISTINCT_CATEGORIES')),
        ADD CONSTRAINT campaigns_distinct_rule CHECK (
          (rule_kind = 'DISTINCT_PARTNERS') = (distinct_partners IS NOT NULL)
          AND (rule_kind = 'DISTINCT_CATEGORIES') = (distinct_categories IS NOT NULL)
          AND (rule_kind IN ('DISTINCT_PARTNERS', 'DISTINCT_CATEGORIES')) = (window_days IS NOT NULL))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    // Fails (the rule-kind check) while a DISTINCT_CATEGORIES campaign exists: its grants are history.
    await runner.query(`
      ALTER TABLE campaigns DROP CONSTRAINT campaigns_rule_kind_check, DROP CONSTRAINT campaigns_distinct_rule,
        DROP COLUMN distinct_categories,
        ADD CONSTRAINT campaigns_rule_kind_check
          CHECK (rule_kind IN ('SPEND_MULTIPLIER', 'PURCHASE_BONUS', 'LINE_BONUS', 'FIRST_PURCHASE', 'DISTINCT_PARTNERS')),
        ADD CONSTRAINT campaigns_distinct_rule
          CHECK ((rule_kind = 'DISTINCT_PARTNERS') = (distinct_partners IS NOT NULL AND window_days IS NOT NULL))`);
  }
}
