import type { DataSource } from 'typeorm';
import { requireOperator } from '../../shared/access';
import { auditFilter, compareAuditEntries, readAudit, type AuditRecord, type AuditSource } from '../../shared/audit';
import type { Caller } from '../../shared/identity';
import { pageSize, toConnection, type Connection } from '../../shared/pagination';

/**
 * The coalition's audit log, read by the operator. A root field belongs to one subgraph, and each
 * subgraph records its own entries in its own schema (in the transaction of the write), so settlement
 * answers `auditLog`: it reads a page and one entry more from its own table and from each other
 * subgraph's internal `<service>AuditLog`, with the same filter and cursor, and merges them newest
 * first. Every source orders by (at, id) descending, so the merged page is exact and the cursor
 * (the last entry's at and id) continues all sources at once. A source that does not answer fails
 * the read (UPSTREAM_UNAVAILABLE) rather than hiding its entries.
 */
export async function auditLog(
  dataSource: DataSource,
  caller: Caller,
  sources: readonly AuditSource[],
  input: {
    first?: number | null;
    after?: string | null;
    actor?: string | null;
    action?: string | null;
    from?: Date | string | null;
    to?: Date | string | null;
  },
): Promise<Connection<AuditRecord>> {
  requireOperator(caller, 'read the audit log');
  const limit = pageSize(input.first);
  const filter = auditFilter(input);
  const pages = await Promise.all([
    readAudit(dataSource.manager, 'settlement', filter, limit + 1),
    ...sources.map((source) => source.read(filter, limit + 1)),
  ]);
  const merged = pages
    .flat()
    .sort(compareAuditEntries)
    .slice(0, limit + 1);
  return toConnection(merged, limit, (entry) => [entry.at.toISOString(), entry.id]);
}
