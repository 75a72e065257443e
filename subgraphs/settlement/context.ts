import type { DataSource } from 'typeorm';
import type { Caller } from '../../shared/identity';
import type { SettlementLoaders } from './loaders';

export interface SettlementContext {
  caller: Caller;
  dataSource: DataSource;
  loaders: SettlementLoaders;
}
