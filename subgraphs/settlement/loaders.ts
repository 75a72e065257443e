import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../shared/loaders';
import { ContractRow, PartnerRow } from './entities';
import type { PeriodLength } from './periods';
import { accountsFor, currentPeriod, settlementCurrencies, type PartnerPositionView } from './statements';

/**
 * Per-request batch loaders (contract in shared/loaders.ts): the gateway's `_entities` call for a
 * page of partners, their contracts and positions become one query each.
 */
export interface SettlementLoaders {
  partner: DataLoader<string, PartnerRow | null>;
  /** The contract in force now, by partner id. */
  currentContract: DataLoader<string, ContractRow | null>;
  /** Positions in the open period. */
  position: DataLoader<string, PartnerPositionView>;
}

export function createSettlementLoaders(dataSource: DataSource, periodLength: PeriodLength): SettlementLoaders {
  const currentContract = new DataLoader<string, ContractRow | null>(async (partnerIds) => {
    const rows = await dataSource
      .getRepository(ContractRow)
      .createQueryBuilder('c')
      .distinctOn(['c.partnerId'])
      .where('c.partnerId IN (:...partnerIds) AND c.effectiveFrom <= now()', { partnerIds })
      .orderBy('c.partnerId')
      .addOrderBy('c.effectiveFrom', 'DESC')
      .getMany();
    const byPartner = new Map(rows.map((c) => [c.partnerId, c]));
    return partnerIds.map((id) => byPartner.get(id) ?? null);
  });
  return {
    partner: byIdLoader(dataSource, PartnerRow),
    currentContract,
    position: new DataLoader(async (partnerIds) => {
      const period = await currentPeriod(dataSource, periodLength);
      // A partner settles in the currency of its contracts (one for all), even before the first takes
      // effect; 'XXX' (ISO 4217: no currency involved) only for a partner that has none yet.
      const currencies = await settlementCurrencies(dataSource.manager, partnerIds);
      const accounts = await accountsFor(
        dataSource.manager,
        period.id,
        partnerIds.map((id) => ({ id, currency: currencies.get(id) ?? 'XXX' })),
      );
      return accounts.map((account) => ({ ...account, period }));
    }),
  };
}
