import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../shared/loaders';
import { ContractRow, PartnerRow } from './entities';
import type { PeriodLength } from './periods';
import { accountsFor, currentPeriod, type PartnerPositionView } from './statements';

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
      const contracts = await currentContract.loadMany(partnerIds);
      const accounts = await accountsFor(
        dataSource.manager,
        period.id,
        partnerIds.map((id, i) => {
          const contract = contracts[i];
          return { id, currency: contract && !(contract instanceof Error) ? contract.currency : 'XXX' };
        }),
      );
      return accounts.map((account) => ({ ...account, period }));
    }),
  };
}
