import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns listed a page at a time by funder, and their own events in the outbox. A campaign's
 * events (campaign.activated, campaign.budget_low) are a stream keyed by the campaign's id, numbered
 * from 1 with no gaps under the campaign's row lock, as a member's are under the member's:
 * `last_event_sequence` is that number. `budget_low_announced_at` makes the low-budget notice a
 * once-per-campaign event.
 */
export class CampaignEvents1768720000000 implements MigrationInterface {
  name = 'CampaignEvents1768720000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE campaigns
        ADD COLUMN last_event_sequence integer NOT NULL DEFAULT 0,
        ADD COLUMN budget_low_announced_at timestamptz`);
    await runner.query('CREATE INDEX campaigns_by_funder ON campaigns (funder_partner_id, created_at DESC, id DESC)');
    await runner.query('CREATE INDEX campaigns_by_creation ON campaigns (created_at DESC, id DESC)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX campaigns_by_creation');
    await runner.query('DROP INDEX campaigns_by_funder');
    await runner.query('ALTER TABLE campaigns DROP COLUMN last_event_sequence, DROP COLUMN budget_low_announced_at');
  }
}
