import type { DataSource } from 'typeorm';
import { DEMO_CURRENCY, DEMO_REWARDS } from '../../shared/demo';

/** Seeds the demo catalog on first start; rows that exist stay as they are. */
export async function seedDemoCatalog(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    for (const reward of DEMO_REWARDS) {
      await manager.query(
        `INSERT INTO rewards (id, partner_id, title, description, kind, category, points_cost, cash_value_minor, currency, stock_remaining)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
        [
          reward.id,
          reward.partnerId,
          reward.title,
          reward.description,
          reward.kind,
          reward.category,
          reward.pointsCost,
          reward.cashValueMinor,
          reward.cashValueMinor === null ? null : DEMO_CURRENCY,
          reward.stock,
        ],
      );
    }
  });
}
