import type { DataSource } from 'typeorm';
import { DEMO_MEMBERS } from '../../shared/demo';
import { ensureCard } from './identifiers';

/**
 * Seeds the demo members on first start, each with a coalition card (their accounts open with their first transfer). Idempotent: rows that exist
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
  });
}
