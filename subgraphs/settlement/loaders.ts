import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../shared/loaders';
import { ContractRow, PartnerRow } from './entities';
import type { PeriodCalendar } from './periods';
import { contractVersions } from './settlement';
import {
  accountsFor,
  currentPeriod,
  linesOfStatements,
  settlementCurrencies,
  type PartnerPositionView,
  type StatementLineRow,
  type StatementReaders,
} from './statements';

/**
 * Per-request batch loaders (contract in shared/loaders.ts): the gateway's `_entities` call for a
 * page of partners, their contracts and positions become one query each.
 */
export interface SettlementLoaders extends StatementReaders {
  partner: DataLoader<string, PartnerRow | null>;
  /** Contracts by id. */
  contract: DataLoader<string, ContractRow | null>;
  /** A contract's number among its partner's contracts (settlement.ts, contractVersions). */
  contractVersion: DataLoader<string, number>;
  /** Frozen statements' line items, by statement id. */
  statementLines: DataLoader<string, StatementLineRow[]>;
  /** The contract in force now, by partner id. */
  currentContract: DataLoader<string, ContractRow | null>;
  /** Positions in the open period. */
  position: DataLoader<string, PartnerPositionView>;
}

export function createSettlementLoaders(dataSource: DataSource, periodCalendar: PeriodCalendar): SettlementLoaders {
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
    contract: byIdLoader(dataSource, ContractRow),
    contractVersion: new DataLoader(async (contractIds) => {
      const versions = await contractVersions(dataSource.manager, contractIds);
      return contractIds.map((id) => versions.get(id) ?? new Error(`No contract with id ${id}`));
    }),
    statementLines: new DataLoader((statementIds) => linesOfStatements(dataSource.manager, statementIds)),
    currentContract,
    position: new DataLoader(async (partnerIds) => {
      const period = await currentPeriod(dataSource, periodCalendar);
      // A partner settles in the currency of its contracts (one for all): the one in force, which the
      // request has usually loaded already, else the one that takes effect later; 'XXX' (ISO 4217:
      // no currency involved) only for a partner that has no contract at all.
      const contracts = await currentContract.loadMany(partnerIds);
      const inForce = new Map<string, string>();
      contracts.forEach((contract, i) => {
        if (contract && !(contract instanceof Error)) inForce.set(partnerIds[i]!, contract.currency);
      });
      const notYet = partnerIds.filter((id) => !inForce.has(id));
      const later = notYet.length > 0 ? await settlementCurrencies(dataSource.manager, notYet) : new Map<string, string>();
      const accounts = await accountsFor(
        dataSource.manager,
        period.id,
        partnerIds.map((id) => ({ id, currency: inForce.get(id) ?? later.get(id) ?? 'XXX' })),
      );
      return accounts.map((account) => ({ ...account, period }));
    }),
  };
}
