import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { requireService } from './access';
import { badInput } from './errors';
import { callerActor, type Caller } from './identity';
import type { SubgraphClient } from './internalClient';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE } from './pagination';
import { checkId } from './validation';

/**
 * The audit log: who did what, when. Each subgraph keeps its own `audit_log` table (it never writes
 * another's) and records an entry in the same transaction as the write it describes, so an entry
 * exists exactly when the write committed: a write that failed, was rolled back or was answered
 * from an idempotency key's record leaves none. Settlement's `auditLog` query reads its own table
 * and the other subgraphs' through their internal reads, and merges them newest first.
 *
 * What is recorded: every write the operator makes (action = the mutation's name, such as
 * `registerPartner`), the creation and revocation of partner API keys by anyone, and the use of
 * API keys (`partnerApiKeyUsed`, one entry per key per minute with a count, see recordKeyUse).
 * Details name ids and figures, never a member's name or email.
 */

/** The table each subgraph keeps its entries in, created by a migration of its own. */
export const AUDIT_TABLE_SQL = [
  `CREATE TABLE audit_log (
    id uuid PRIMARY KEY,
    at timestamptz(3) NOT NULL DEFAULT now(),
    actor text NOT NULL,
    action text NOT NULL,
    target text,
    details jsonb NOT NULL DEFAULT '{}'
  )`,
  'CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC)',
  'CREATE INDEX audit_log_actor ON audit_log (actor, at DESC, id DESC)',
  'CREATE INDEX audit_log_action ON audit_log (action, at DESC, id DESC)',
];

export interface AuditRecord {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  /** The subgraph that recorded it. */
  service: string;
}

/** Records an entry inside the caller's transaction: it commits or rolls back with the write. */
export async function recordAudit(
  manager: EntityManager,
  entry: { actor: string; action: string; target?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await manager.query('INSERT INTO audit_log (id, actor, action, target, details) VALUES ($1, $2, $3, $4, $5)', [
    randomUUID(),
    entry.actor,
    entry.action,
    entry.target ?? null,
    JSON.stringify(entry.details ?? {}),
  ]);
}

/** Records a write when the operator made it (docs/DESIGN.md, "Callers": each operator write is audited); other callers' writes are not audit events. */
export async function auditOperatorAction(
  manager: EntityManager,
  caller: Caller,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  if (caller.kind !== 'operator') return;
  await recordAudit(manager, { actor: callerActor(caller), action, target, details });
}

/**
 * API key use, per key per minute: the first check of a key in a minute adds an entry (at the
 * minute's start), later ones in that minute add to its `checks` count. A check is the gateway asking
 * settlement whether the key is valid, which it does at most once per API_KEY_CACHE_MS per gateway
 * replica; so the count measures activity, not requests, and a busy key costs one row a minute.
 */
export async function recordKeyUse(manager: EntityManager, partnerId: string, keyId: string): Promise<void> {
  await manager.query(
    `INSERT INTO audit_log (id, at, actor, action, target, details)
     VALUES (md5('partnerApiKeyUsed:' || $2 || ':' || date_trunc('minute', now())::text)::uuid, date_trunc('minute', now()),
             $1, 'partnerApiKeyUsed', $2, '{"checks": 1}')
     ON CONFLICT (id) DO UPDATE SET details = jsonb_build_object('checks', (audit_log.details->>'checks')::int + 1)`,
    [`partner:${partnerId}`, keyId],
  );
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Longest actor or action filter accepted. */
export const MAX_AUDIT_FILTER_LENGTH = 200;

export interface AuditFilter {
  actor: string | null;
  action: string | null;
  /** Entries at or after this instant. */
  from: Date | null;
  /** Entries before this instant. */
  to: Date | null;
  /** Entries strictly after this position in the newest-first order. */
  after: { at: Date; id: string } | null;
}

function instant(value: Date | string | null | undefined, field: string): Date | null {
  if (value === null || value === undefined) return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw badInput(`${field} is not a valid instant`);
  return at;
}

/** Checks a caller's filter; `after` is a cursor from a previous page. */
export function auditFilter(input: {
  actor?: string | null;
  action?: string | null;
  from?: Date | string | null;
  to?: Date | string | null;
  after?: string | null;
}): AuditFilter {
  for (const [field, value] of [
    ['actor', input.actor],
    ['action', input.action],
  ] as const) {
    if (value != null && (value.length < 1 || value.length > MAX_AUDIT_FILTER_LENGTH))
      throw badInput(`${field} must be 1 to ${MAX_AUDIT_FILTER_LENGTH} characters`);
  }
  const cursor = decodeCursor(input.after, 2);
  let after: AuditFilter['after'] = null;
  if (cursor) {
    const [at, id] = cursor;
    const when = new Date(String(at));
    if (Number.isNaN(when.getTime()) || !/^[0-9a-f-]{36}$/.test(String(id)))
      throw badInput('"after" is not a cursor returned by this connection');
    after = { at: when, id: String(id) };
  }
  return {
    actor: input.actor ?? null,
    action: input.action ?? null,
    from: instant(input.from, 'from'),
    to: instant(input.to, 'to'),
    after,
  };
}

export const auditCursor = (entry: Pick<AuditRecord, 'at' | 'id'>) => encodeCursor([entry.at.toISOString(), entry.id]);

/** Up to `limit` entries of this subgraph matching the filter, newest first. */
export async function readAudit(manager: EntityManager, service: string, filter: AuditFilter, limit: number): Promise<AuditRecord[]> {
  const rows = (await manager.query(
    `SELECT id, at, actor, action, target, details FROM audit_log
      WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)
        AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
        AND ($5::timestamptz IS NULL OR (at, id) < ($5, $6::uuid))
      ORDER BY at DESC, id DESC LIMIT $7`,
    [filter.actor, filter.action, filter.from, filter.to, filter.after?.at ?? null, filter.after?.id ?? null, limit],
  )) as Omit<AuditRecord, 'service'>[];
  return rows.map((row) => ({ ...row, service }));
}

/** Newest first across subgraphs, ties broken by id as each subgraph's own order does. */
export function compareAuditEntries(a: AuditRecord, b: AuditRecord): number {
  const byTime = b.at.getTime() - a.at.getTime();
  return byTime !== 0 ? byTime : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The largest page an internal read returns: one page and the entry that shows another follows. */
export const MAX_INTERNAL_AUDIT_READ = MAX_PAGE_SIZE + 1;

/** A subgraph's internal read of its own audit log, for settlement's merged `auditLog`. Services only. */
export async function readAuditForService(
  manager: EntityManager,
  caller: Caller,
  service: string,
  args: {
    first: number;
    afterAt?: Date | string | null;
    afterId?: string | null;
    actor?: string | null;
    action?: string | null;
    from?: Date | string | null;
    to?: Date | string | null;
  },
): Promise<AuditRecord[]> {
  requireService(caller, 'The audit log of a subgraph');
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_INTERNAL_AUDIT_READ)
    throw badInput(`first must be between 1 and ${MAX_INTERNAL_AUDIT_READ}`);
  const afterAt = instant(args.afterAt, 'afterAt');
  const filter: AuditFilter = {
    actor: args.actor ?? null,
    action: args.action ?? null,
    from: instant(args.from, 'from'),
    to: instant(args.to, 'to'),
    after: afterAt && args.afterId ? { at: afterAt, id: checkId(args.afterId, 'afterId') } : null,
  };
  return readAudit(manager, service, filter, args.first);
}

/** Where settlement reads another subgraph's entries: its internal `<service>AuditLog` query. */
export interface AuditSource {
  read(filter: AuditFilter, limit: number): Promise<AuditRecord[]>;
}

export function remoteAuditSource(client: SubgraphClient, service: 'members' | 'rewards'): AuditSource {
  const field = `${service}AuditLog`;
  return {
    async read(filter, limit) {
      const data = await client.request<
        Record<string, (Omit<AuditRecord, 'at' | 'details' | 'service'> & { at: string; details: string })[]>
      >(
        `query Audit($first: Int!, $afterAt: DateTime, $afterId: ID, $actor: String, $action: String, $from: DateTime, $to: DateTime) {
          ${field}(first: $first, afterAt: $afterAt, afterId: $afterId, actor: $actor, action: $action, from: $from, to: $to) {
            id at actor action target details
          }
        }`,
        {
          first: limit,
          afterAt: filter.after?.at.toISOString() ?? null,
          afterId: filter.after?.id ?? null,
          actor: filter.actor,
          action: filter.action,
          from: filter.from?.toISOString() ?? null,
          to: filter.to?.toISOString() ?? null,
        },
      );
      return (data[field] ?? []).map((entry) => ({
        ...entry,
        at: new Date(entry.at),
        details: JSON.parse(entry.details) as Record<string, unknown>,
        service,
      }));
    },
  };
}
