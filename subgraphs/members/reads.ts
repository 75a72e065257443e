import { createHmac } from 'node:crypto';
import { preparedRead } from '../../shared/database';
import { entityColumns } from '../../shared/loaders';
import type { DataSource } from 'typeorm';
import {
  canSeePersonalData,
  checkCanReadMember,
  checkCanWatchMember,
  memberRecordsScope,
  partnerScope,
  requireSignedIn,
} from '../../shared/access';
import { assertInvariant, badInput, notFound } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import { readLedgerEvent, type LedgerEvent } from '../../shared/ledgerEvents';
import { checkId } from '../../shared/validation';
import { MemberRow, type AccountKind, type TransferKind, TransferRow } from './entities';
import { TIER_WINDOW_MONTHS } from './tiers';

/**
 * The members subgraph's reads, each batched over many members at once so that a page of members
 * costs the same number of queries as one member (loaders.ts calls these per request).
 */

/**
 * Members newest first: all for the operator, those enrolled through it for a partner (docs/DESIGN.md,
 * "Callers"). `partnerId` narrows the operator's list; a partner may only name itself.
 */
export async function listMembers(
  dataSource: DataSource,
  caller: Caller,
  partnerId: string | null,
  limit: number,
  after: (string | number)[] | null,
): Promise<MemberRow[]> {
  const scope = partnerScope(caller, 'list members', { requestedPartnerId: partnerId });
  const query = dataSource
    .getRepository(MemberRow)
    .createQueryBuilder('m')
    .orderBy('m.enrolledAt', 'DESC')
    .addOrderBy('m.id', 'DESC')
    .limit(limit + 1);
  if (scope) query.where('m.enrolledViaPartnerId = :scope', { scope });
  if (after) query.andWhere('(m.enrolledAt, m.id) < (:afterAt, :afterId)', { afterAt: after[0], afterId: after[1] });
  return query.getMany();
}

export interface BalanceView {
  availablePoints: number;
  pendingPoints: number;
  reservedPoints: number;
  lifetimeEarnedPoints: number;
  nextExpiry: { expiresAt: Date; points: number } | null;
}

/** A member's balance and the qualifying points its tier follows from (tiers.ts, tierFor). */
export interface MemberFigures {
  balance: BalanceView;
  qualifyingPoints: number;
}

/**
 * The figures of the member `m` (its id in `m.id`), as the columns figuresOf reads, and the join
 * (`next`) they need; `$2` is TIER_WINDOW_MONTHS. A balance and qualifying points come in one
 * statement: a wallet shows both, and one round trip costs the subgraph and PostgreSQL less than
 * two (the qualifying sum is one more index read per member where only a balance was asked for).
 */
const FIGURE_COLUMNS = `coalesce((SELECT balance_points FROM accounts WHERE kind = 'MEMBER' AND owner_id = m.id), 0)::int AS available,
  coalesce((SELECT balance_points FROM accounts WHERE kind = 'MEMBER_PENDING' AND owner_id = m.id), 0)::int AS pending,
  coalesce((SELECT balance_points FROM accounts WHERE kind = 'MEMBER_RESERVED' AND owner_id = m.id), 0)::int AS reserved,
  coalesce((SELECT sum(points - reversed_points) FROM earns WHERE member_id = m.id AND status = 'POSTED'), 0)::int AS lifetime,
  coalesce((SELECT sum(points - reversed_points) FROM earns
             WHERE member_id = m.id AND status = 'POSTED' AND posted_at > now() - make_interval(months => $2)), 0)::int AS qualifying,
  next.expires_at AS next_expires_at, next.points::int AS next_points`;
const FIGURES_JOIN = `LEFT JOIN LATERAL (
  SELECT expires_at, sum(points_remaining) AS points FROM lots
   WHERE member_id = m.id AND points_remaining > 0
     AND expires_at = (SELECT min(expires_at) FROM lots WHERE member_id = m.id AND points_remaining > 0)
   GROUP BY expires_at
) next ON true`;

interface FigureColumns {
  available: number;
  pending: number;
  reserved: number;
  lifetime: number;
  qualifying: number;
  next_expires_at: Date | null;
  next_points: number | null;
}
const FIGURE_COLUMN_NAMES: readonly (keyof FigureColumns)[] = [
  'available',
  'pending',
  'reserved',
  'lifetime',
  'qualifying',
  'next_expires_at',
  'next_points',
];

function figuresOf(row: FigureColumns | undefined): MemberFigures {
  return {
    balance: {
      availablePoints: row?.available ?? 0,
      pendingPoints: row?.pending ?? 0,
      reservedPoints: row?.reserved ?? 0,
      lifetimeEarnedPoints: row?.lifetime ?? 0,
      nextExpiry: row?.next_expires_at ? { expiresAt: row.next_expires_at, points: row.next_points ?? 0 } : null,
    },
    qualifyingPoints: row?.qualifying ?? 0,
  };
}

/** Several members' balances and qualifying points, in one statement. */
export async function figuresFor(dataSource: DataSource, memberIds: readonly string[]): Promise<MemberFigures[]> {
  const rows = (await preparedRead(dataSource, `SELECT m.id, ${FIGURE_COLUMNS} FROM unnest($1::uuid[]) AS m(id) ${FIGURES_JOIN}`, [
    memberIds,
    TIER_WINDOW_MONTHS,
  ])) as (FigureColumns & { id: string })[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return memberIds.map((id) => figuresOf(byId.get(id)));
}

/** Per data source, the text of membersWithFiguresFor's statement (its member columns come from TypeORM's metadata). */
const membersWithFiguresStatements = new WeakMap<DataSource, string>();

/**
 * Several members with their figures, in one statement: what a request that reads a member and
 * its balance or tier (a wallet) would otherwise read in two, one after the other.
 */
export async function membersWithFiguresFor(
  dataSource: DataSource,
  memberIds: readonly string[],
): Promise<{ member: MemberRow; figures: MemberFigures }[]> {
  let text = membersWithFiguresStatements.get(dataSource);
  if (text === undefined) {
    text = `SELECT ${entityColumns(dataSource, MemberRow, 'm')}, ${FIGURE_COLUMNS} FROM members m ${FIGURES_JOIN} WHERE m.id = ANY($1::uuid[])`;
    membersWithFiguresStatements.set(dataSource, text);
  }
  const rows = (await preparedRead(dataSource, text, [memberIds, TIER_WINDOW_MONTHS])) as (FigureColumns & Record<string, unknown>)[];
  return rows.map((row) => {
    const member = new MemberRow();
    for (const [column, value] of Object.entries(row)) {
      if (!(FIGURE_COLUMN_NAMES as readonly string[]).includes(column)) (member as unknown as Record<string, unknown>)[column] = value;
    }
    return { member, figures: figuresOf(row) };
  });
}

/**
 * Whose transfers a caller may see in a member's history: the member and the operator see all (or
 * the partner they filter by); a partner sees only those at itself. Returns the partner the list
 * must be narrowed to, if any.
 */
export function transactionPartnerScope(caller: Caller, memberId: string, requestedPartnerId: string | null): string | null {
  return memberRecordsScope(caller, memberId, "a member's transfers", requestedPartnerId);
}

export interface TransactionFilter {
  kinds?: TransferKind[] | null;
  partnerId?: string | null;
  from?: Date | null;
  to?: Date | null;
  limit: number;
  after: (string | number)[] | null;
}

export interface MemberTransaction {
  transfer: TransferRow;
  availablePointsDelta: number;
  pendingPointsDelta: number;
}

interface TransactionRow {
  viewer: string;
  id: string;
  kind: TransferKind;
  from_account_id: string;
  to_account_id: string;
  points: string;
  member_id: string;
  counterparty_member_id: string | null;
  partner_id: string | null;
  reference: string | null;
  reason: string | null;
  created_by: string;
  created_at: Date;
  from_kind: AccountKind;
  from_owner: string;
  to_kind: AccountKind;
  to_owner: string;
}

/**
 * Several members' transfers, newest first, `limit + 1` each (the extra row tells whether a next
 * page exists), in one query. What a transfer did to the viewing member follows from the accounts
 * it moved between: in to one of the member's accounts is plus, out of one is minus.
 */
export async function transactionsFor(
  dataSource: DataSource,
  memberIds: readonly string[],
  filter: TransactionFilter,
): Promise<MemberTransaction[][]> {
  const conditions: string[] = [];
  const params: unknown[] = [memberIds, filter.limit + 1];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.kinds?.length) conditions.push(`t.kind = ANY(${param(filter.kinds)}::text[])`);
  if (filter.partnerId) conditions.push(`t.partner_id = ${param(filter.partnerId)}`);
  if (filter.from) conditions.push(`t.created_at >= ${param(filter.from)}`);
  if (filter.to) conditions.push(`t.created_at < ${param(filter.to)}`);
  if (filter.after) conditions.push(`(t.created_at, t.id) < (${param(filter.after[0])}::timestamptz, ${param(filter.after[1])}::uuid)`);
  const where = conditions.map((c) => `AND ${c}`).join(' ');
  const rows = (await preparedRead(
    dataSource,
    `SELECT v.id AS viewer, t.*, fa.kind AS from_kind, fa.owner_id AS from_owner, ta.kind AS to_kind, ta.owner_id AS to_owner
       FROM unnest($1::uuid[]) AS v(id)
       CROSS JOIN LATERAL (
         SELECT * FROM transfers t WHERE (t.member_id = v.id OR t.counterparty_member_id = v.id) ${where}
          ORDER BY t.created_at DESC, t.id DESC LIMIT $2
       ) t
       JOIN accounts fa ON fa.id = t.from_account_id
       JOIN accounts ta ON ta.id = t.to_account_id
      ORDER BY v.id, t.created_at DESC, t.id DESC`,
    params,
  )) as TransactionRow[];
  const byViewer = new Map<string, MemberTransaction[]>();
  for (const row of rows) {
    const delta = (kind: AccountKind) =>
      (row.to_kind === kind && row.to_owner === row.viewer ? Number(row.points) : 0) -
      (row.from_kind === kind && row.from_owner === row.viewer ? Number(row.points) : 0);
    const list = byViewer.get(row.viewer) ?? [];
    list.push({ transfer: toTransferRow(row), availablePointsDelta: delta('MEMBER'), pendingPointsDelta: delta('MEMBER_PENDING') });
    byViewer.set(row.viewer, list);
  }
  return memberIds.map((id) => byViewer.get(id) ?? []);
}

function toTransferRow(row: TransactionRow): TransferRow {
  return Object.assign(new TransferRow(), {
    id: row.id,
    kind: row.kind,
    fromAccountId: row.from_account_id,
    toAccountId: row.to_account_id,
    points: row.points,
    memberId: row.member_id,
    counterpartyMemberId: row.counterparty_member_id,
    partnerId: row.partner_id,
    reference: row.reference,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
  });
}

// ---------------------------------------------------------------------------------------------
// A member's events (the real-time stream's source, replayed by sequence)

export const MAX_MEMBER_EVENTS_PER_READ = 1000;

/** One of a member's ledger events, read against the event contract (shared/ledgerEvents.ts). */
export type MemberEventRow = LedgerEvent & {
  id: string;
  memberId: string;
  sequence: number;
  occurredAt: Date;
};

/**
 * The member whose events the caller asks for, if it may watch them. An anonymous caller is refused
 * before the lookup, so it does not learn whether the member exists.
 */
export async function watchableMember(
  caller: Caller,
  members: { load(id: string): Promise<MemberRow | null> },
  memberIdInput: string,
): Promise<MemberRow> {
  const memberId = checkId(memberIdInput, 'memberId');
  requireSignedIn(caller, "watch a member's balance");
  const member = await members.load(memberId);
  if (!member) throw notFound(`No member with id ${memberId}`);
  checkCanWatchMember(caller, member);
  return member;
}

/** One of a member's events by its sequence number; NOT_FOUND when there is none. */
export async function memberEventAt(dataSource: DataSource, memberId: string, sequence: number): Promise<MemberEventRow> {
  const [event] = Number.isInteger(sequence) && sequence >= 1 ? await memberEventsAfter(dataSource, memberId, sequence - 1, 1) : [];
  if (!event || event.sequence !== sequence) throw notFound(`Member ${memberId} has no event ${sequence}`);
  return event;
}

/** A watchable member's events after `afterSequence`, oldest first, at most `first` (1 to 1000). */
export async function memberEventsAfter(
  dataSource: DataSource,
  memberId: string,
  afterSequence: number,
  first: number,
): Promise<MemberEventRow[]> {
  if (!Number.isInteger(afterSequence) || afterSequence < 0) throw badInput('afterSequence must be 0 or more');
  if (!Number.isInteger(first) || first < 1 || first > MAX_MEMBER_EVENTS_PER_READ)
    throw badInput(`first must be between 1 and ${MAX_MEMBER_EVENTS_PER_READ}`);
  const rows = (await dataSource.query(
    `SELECT id, type, member_id AS "memberId", member_sequence AS sequence, payload, occurred_at AS "occurredAt"
       FROM outbox_events WHERE member_id = $1 AND member_sequence > $2 ORDER BY member_sequence LIMIT $3`,
    [memberId, afterSequence, first],
  )) as { id: string; type: string; memberId: string; sequence: number; payload: Record<string, unknown>; occurredAt: Date }[];
  return rows.map(({ type, payload, ...row }) => {
    const event = readLedgerEvent(type, payload);
    assertInvariant(event, `member ${memberId}'s event ${row.sequence} is a ledger event (${type})`);
    return { ...row, ...event };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading a member, and its personal data (docs/DESIGN.md, "Callers": a partner sees a member's
// PII only where the member enrolled through it or consented to it)

/** A member the caller may read; NOT_FOUND when there is none (asked only after the access rule). */
export async function readableMember(
  caller: Caller,
  members: { load(id: string): Promise<MemberRow | null> },
  memberIdInput: string,
): Promise<MemberRow | null> {
  const memberId = checkId(memberIdInput, 'id');
  checkCanReadMember(caller, memberId);
  return members.load(memberId);
}

/** The calling member itself (`me`); null for any other caller. */
export function callingMember(caller: Caller, members: { load(id: string): Promise<MemberRow | null> }): Promise<MemberRow | null> | null {
  return caller.kind === 'member' ? members.load(caller.memberId) : null;
}

/** The member's name for this caller: its own where it may see personal data, else its pseudonym. */
export async function visibleDisplayName(
  caller: Caller,
  member: MemberRow,
  consentedPartnerIds: () => Promise<ReadonlySet<string>>,
  pseudonymSecret: string,
): Promise<string> {
  return (await canSeePersonalData(caller, member, consentedPartnerIds))
    ? member.displayName
    : pseudonymFor(pseudonymSecret, member.id, caller);
}

/**
 * A piece of the member's personal data (its email, card, phone) for this caller, or null where it
 * may not see personal data. `value` is read only when it may.
 */
export async function visiblePersonalData<T>(
  caller: Caller,
  member: MemberRow,
  consentedPartnerIds: () => Promise<ReadonlySet<string>>,
  value: () => T | Promise<T>,
): Promise<T | null> {
  return (await canSeePersonalData(caller, member, consentedPartnerIds)) ? value() : null;
}

/** Per partner, a stable pseudonym of a member: an HMAC, so it cannot be reversed or matched across partners. */
export function pseudonymFor(secret: string, memberId: string, viewer: Caller): string {
  const audience = viewer.kind === 'partner' ? viewer.partnerId : 'coalition';
  return `m_${createHmac('sha256', secret).update(`${audience}:${memberId}`).digest('base64url').slice(0, 22)}`;
}

export async function consentsOf(dataSource: DataSource, memberIds: readonly string[]): Promise<Set<string>[]> {
  const rows = (await preparedRead(dataSource, 'SELECT member_id, partner_id FROM consents WHERE member_id = ANY($1::uuid[])', [
    memberIds,
  ])) as {
    member_id: string;
    partner_id: string;
  }[];
  return memberIds.map((id) => new Set(rows.filter((r) => r.member_id === id).map((r) => r.partner_id)));
}
