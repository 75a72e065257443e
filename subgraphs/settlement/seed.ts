import type { DataSource } from 'typeorm';
import { DEMO_CONTRACTS_EFFECTIVE_FROM, DEMO_CURRENCY, DEMO_PARTNERS } from '../../shared/demo';

/** Seeds the demo partners and their contracts on first start; rows that exist stay as they are. */
export async function seedDemoPartners(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    for (const partner of DEMO_PARTNERS) {
      await manager.query(
        `INSERT INTO partners (id, code, name, program_name, category, status) VALUES ($1, $2, $3, $4, $5, 'ACTIVE')
         ON CONFLICT DO NOTHING`,
        [partner.id, partner.code, partner.name, partner.programName, partner.category],
      );
      await manager.query(
        `INSERT INTO contracts (id, partner_id, earn_rate_milli_points_per_unit, issue_price_micros_per_point,
                                redemption_value_micros_per_point, currency, effective_from)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [
          partner.id,
          partner.earnRateMilliPointsPerUnit,
          partner.issuePriceMicrosPerPoint,
          partner.redemptionValueMicrosPerPoint,
          DEMO_CURRENCY,
          DEMO_CONTRACTS_EFFECTIVE_FROM,
        ],
      );
    }
  });
}
