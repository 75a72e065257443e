import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns, part 2 (campaigns.ts): the DISTINCT_PARTNERS rule (so many distinct partners within a
 * window of days) and targeting by the member's history at the funder (new customers only, shoppers
 * of named categories).
 */
export class CampaignTargeting1768730000000 implements MigrationInterface {
  name = 'CampaignTargeting1768730000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE campaigns DROP CONSTRAINT campaigns_rule_kind_check');
    await runner.query(`ALTER TABLE campaigns ADD CONSTRAINT campaigns_rule_kind_check
      CHECK (rule_kind IN ('SPEND_MULTIPLIER', 'PURCHASE_BONUS', 'LINE_BONUS', 'FIRST_PURCHASE', 'DISTINCT_PARTNERS'))`);
    await runner.query(`
      ALTER TABLE campaigns
        ADD COLUMN distinct_partners integer CHECK (distinct_partners >= 2),
        ADD COLUMN window_days integer CHECK (window_days >= 1),
        ADD COLUMN new_customers_only boolean NOT NULL DEFAULT false,
        ADD COLUMN shopper_category_codes text[] NOT NULL DEFAULT '{}',
        ADD CONSTRAINT campaigns_distinct_rule CHECK ((rule_kind = 'DISTINCT_PARTNERS') = (distinct_partners IS NOT NULL AND window_days IS NOT NULL))`);
    // Targeting and the report read a member's earns at one partner (the funder).
    await runner.query('CREATE INDEX earns_member_partner ON earns (member_id, partner_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX earns_member_partner');
    await runner.query(`
      ALTER TABLE campaigns DROP CONSTRAINT campaigns_distinct_rule, DROP COLUMN distinct_partners, DROP COLUMN window_days,
        DROP COLUMN new_customers_only, DROP COLUMN shopper_category_codes`);
    await runner.query('ALTER TABLE campaigns DROP CONSTRAINT campaigns_rule_kind_check');
    await runner.query(`ALTER TABLE campaigns ADD CONSTRAINT campaigns_rule_kind_check
      CHECK (rule_kind IN ('SPEND_MULTIPLIER', 'PURCHASE_BONUS', 'LINE_BONUS', 'FIRST_PURCHASE'))`);
  }
}
