import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Coalition campaigns (campaigns.ts): partner-funded bonuses granted at earn time, as BONUS transfers. */
export class Campaigns1768600000000 implements MigrationInterface {
  name = 'Campaigns1768600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE transfers DROP CONSTRAINT transfers_kind_check');
    await runner.query(`
      ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN (
        'EARN', 'EARN_PENDING', 'EARN_POST', 'EARN_VOID', 'REVERSAL', 'CLAWBACK', 'RESERVE', 'REDEEM', 'RELEASE',
        'REDEEM_REFUND', 'BURN', 'TRANSFER', 'ADJUSTMENT', 'EXPIRY', 'BONUS'))`);
    // budget_left_points is the row every earn that grants from the campaign locks: the budget can
    // never go below zero, whatever races for its last points.
    await runner.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY,
        funder_partner_id uuid NOT NULL,
        name text NOT NULL,
        rule_kind text NOT NULL CHECK (rule_kind IN ('SPEND_MULTIPLIER', 'PURCHASE_BONUS', 'LINE_BONUS', 'FIRST_PURCHASE')),
        coalition_wide boolean NOT NULL,
        exclusive boolean NOT NULL,
        extra_permille integer NOT NULL CHECK (extra_permille >= 0),
        bonus_points bigint NOT NULL CHECK (bonus_points >= 0),
        category_codes text[] NOT NULL,
        skus text[] NOT NULL,
        tiers text[] NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        per_member_cap_points bigint CHECK (per_member_cap_points > 0),
        budget_points bigint NOT NULL CHECK (budget_points > 0),
        budget_left_points bigint NOT NULL CHECK (budget_left_points >= 0 AND budget_left_points <= budget_points),
        status text NOT NULL CHECK (status IN ('DRAFT', 'ACTIVE', 'PAUSED', 'ENDED')),
        opt_in boolean NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query("CREATE INDEX campaigns_active ON campaigns (status, starts_at) WHERE status = 'ACTIVE'");
    // One row per bonus an earn got from a campaign: what the cap counts and a refund reverses.
    await runner.query(`
      CREATE TABLE campaign_grants (
        earn_id uuid NOT NULL REFERENCES earns (transfer_id),
        campaign_id uuid NOT NULL REFERENCES campaigns (id),
        member_id uuid NOT NULL REFERENCES members (id),
        transfer_id uuid NOT NULL REFERENCES transfers (id),
        points bigint NOT NULL CHECK (points > 0),
        reversed_points bigint NOT NULL DEFAULT 0 CHECK (reversed_points >= 0 AND reversed_points <= points),
        PRIMARY KEY (earn_id, campaign_id)
      )`);
    // Opt-in offers a member activated ("activate this coupon"): an opt-in campaign grants only to them.
    await runner.query(`
      CREATE TABLE campaign_activations (
        campaign_id uuid NOT NULL REFERENCES campaigns (id),
        member_id uuid NOT NULL REFERENCES members (id),
        activated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, member_id)
      )`);
    await runner.query('CREATE INDEX campaign_grants_member ON campaign_grants (campaign_id, member_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE campaign_activations');
    await runner.query('DROP TABLE campaign_grants');
    await runner.query('DROP TABLE campaigns');
    await runner.query('ALTER TABLE transfers DROP CONSTRAINT transfers_kind_check');
    await runner.query(`
      ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN (
        'EARN', 'EARN_PENDING', 'EARN_POST', 'EARN_VOID', 'REVERSAL', 'CLAWBACK', 'RESERVE', 'REDEEM', 'RELEASE',
        'REDEEM_REFUND', 'BURN', 'TRANSFER', 'ADJUSTMENT', 'EXPIRY'))`);
  }
}
