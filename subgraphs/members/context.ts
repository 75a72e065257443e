import type { Caller } from '../../shared/identity';
import type { LedgerDeps } from './ledger';
import type { MembersLoaders } from './loaders';

export interface MembersContext {
  caller: Caller;
  ledger: LedgerDeps;
  loaders: MembersLoaders;
  /** Key of the per-partner member pseudonyms. */
  pseudonymSecret: string;
}
