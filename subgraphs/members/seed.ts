import type { DataSource } from 'typeorm';
import { DEMO_CAMPAIGNS, DEMO_MEMBERS } from '../../shared/demo';
import { ensureCard } from './identifiers';

/**
 * Seeds the demo members on first start, each with a coalition card (their accounts open with their first transfer), and the demo
 * campaigns. Idempotent: rows that exist
 * stay as they are. Their points come from earns posted through the gateway (scripts/seedActivity.ts),
 * so every demo point went through the ledger like any other.
 */
export async function seedDemoMembers(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    for (const member of DEMO_MEMBERS) {
      await manager.query(
        `INSERT INTO members (id, display_name, email, enrolled_via_partner_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [member.id, member.displayName, member.email, member.enrolledVia],
      );
      await ensureCard(manager, member.id);
    }
    // The demo's campaigns, ACTIVE from the start as if the operator had approved them (no webhook
    // endpoint exists yet to hear of it). Their rules pass createCampaign's checks.
    const now = new Date();
    for (const campaign of DEMO_CAMPAIGNS) {
      const { startsAt, endsAt } = campaign.window(now);
      await manager.query(
        `INSERT INTO campaigns (id, funder_partner_id, name, rule_kind, coalition_wide, exclusive, opt_in, extra_permille, bonus_points,
                                category_codes, skus, tiers, starts_at, ends_at, budget_points, budget_left_points, status, created_by)
         VALUES ($1, $2, $3, $4, false, false, true, $5, $6, '{}', '{}', '{}', $7, $8, $9, $9, 'ACTIVE', 'seed') ON CONFLICT DO NOTHING`,
        [
          campaign.id,
          campaign.funderPartnerId,
          campaign.name,
          campaign.ruleKind,
          campaign.extraPermille,
          campaign.bonusPoints,
          startsAt,
          endsAt,
          campaign.budgetPoints,
        ],
      );
    }
  });
}
