import type { DataSource } from 'typeorm';
import { requireService } from '../../shared/access';
import { badInput, notFound } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import { eventsAfter, MAX_EVENTS_PER_READ, type PublishedEvent } from '../../shared/outbox';
import { checkId } from '../../shared/validation';
import type { LedgerDeps } from './ledger';
import { qualifyingPoints, tierFor, type TierLevel } from './tiers';

/**
 * What the ledger tells the other subgraphs, over internal (service-only) operations: a member's
 * standing for the catalog, and for settlement the published event feed (read after its durable
 * checkpoint; LEDGER.md, "Event flow") and the totals it reconciles against.
 */

/** A member's spendable points and tier, for another subgraph (the catalog's affordability filter). */
export async function memberStanding(
  deps: LedgerDeps,
  caller: Caller,
  memberIdInput: string,
): Promise<{ memberId: string; availablePoints: number; tier: TierLevel }> {
  requireService(caller, 'memberStanding');
  const memberId = checkId(memberIdInput, 'memberId');
  const [row] = (await deps.dataSource.query(
    `SELECT coalesce(a.balance_points, 0)::int AS available FROM members m
       LEFT JOIN accounts a ON a.kind = 'MEMBER' AND a.owner_id = m.id WHERE m.id = $1`,
    [memberId],
  )) as { available: number }[];
  if (!row) throw notFound(`No member with id ${memberId}`);
  const tier = tierFor(await qualifyingPoints(deps.dataSource.manager, memberId)).level;
  return { memberId, availablePoints: row.available, tier };
}

/**
 * Points moved per transfer kind, and per direction for the member (an adjustment grants or
 * debits), by transfers whose events happened in [from, to) and were published up to
 * `uptoPosition`: the same clock and the same events settlement has read, so the two can be
 * compared exactly. One event per transfer is counted (a gift has two, one per member).
 */
export async function ledgerTotals(
  dataSource: DataSource,
  caller: Caller,
  from: Date | string,
  to: Date | string,
  uptoPosition: bigint,
): Promise<{ kind: string; memberCredited: boolean; points: string }[]> {
  requireService(caller, 'ledgerTotals');
  return dataSource.query(
    `SELECT kind, member_credited AS "memberCredited", sum(points)::text AS points FROM (
       SELECT DISTINCT ON (transfer_id) payload->>'kind' AS kind, (payload->>'points')::bigint AS points,
              (payload->>'availableDelta')::bigint + (payload->>'pendingDelta')::bigint + (payload->>'reservedDelta')::bigint > 0 AS member_credited
         FROM outbox_events WHERE type = 'balance.changed' AND occurred_at >= $1 AND occurred_at < $2 AND position <= $3
        ORDER BY transfer_id
     ) events GROUP BY kind, member_credited ORDER BY kind, member_credited`,
    [new Date(from), new Date(to), uptoPosition.toString()],
  );
}

/**
 * The points float as the ledger's own accounts hold it, as of the events that happened before
 * `before` and were published up to `uptoPosition` (what settlement has read): members' available
 * and reserved points (available is net of clawback debt), and that debt. Computed from the
 * accounts and debts as they are now, less what every later or not yet numbered event changed, in
 * one statement (one snapshot), so a write committing meanwhile is in both or in neither. It is the
 * books' check on settlement's own count of the float (issued, reversed, redeemed, expired,
 * adjusted): two independent records of the same points.
 */
export async function ledgerFloat(
  dataSource: DataSource,
  caller: Caller,
  uptoPosition: bigint,
  before: Date | string,
): Promise<{ floatPoints: string; clawbackDebtPoints: string }> {
  requireService(caller, 'ledgerFloat');
  if (uptoPosition < 0n) throw badInput('uptoPosition must not be negative');
  const [row] = (await dataSource.query(
    `WITH later AS (
       SELECT coalesce(sum((payload->>'availableDelta')::bigint + (payload->>'reservedDelta')::bigint), 0) AS points,
              coalesce(sum(coalesce((payload->>'clawbackDebtDelta')::bigint, 0)), 0) AS debt
         FROM outbox_events
        WHERE type = 'balance.changed' AND (position IS NULL OR position > $1 OR occurred_at >= $2)
     )
     SELECT ((SELECT coalesce(sum(balance_points), 0) FROM accounts WHERE kind IN ('MEMBER', 'MEMBER_RESERVED')) - later.points)::text AS "floatPoints",
            ((SELECT coalesce(sum(clawback_debt_points), 0) FROM members) - later.debt)::text AS "clawbackDebtPoints"
       FROM later`,
    [uptoPosition.toString(), new Date(before)],
  )) as { floatPoints: string; clawbackDebtPoints: string }[];
  return row!;
}

/** The last published event's position (0 before the first): where a new consumer starts. */
export async function ledgerHead(dataSource: DataSource, caller: Caller): Promise<string> {
  requireService(caller, 'ledgerHead');
  const [row] = (await dataSource.query('SELECT coalesce(max(position), 0)::text AS head FROM outbox_events')) as { head: string }[];
  return row!.head;
}

/**
 * Published events after `afterPosition`. With `publishPendingFirst`, events committed but not yet
 * numbered by the relay are published first, so the answer includes every write that answered
 * before this call (an earn answers at its commit; the relay numbers its event a moment later).
 */
export async function ledgerEventsAfter(
  ledger: Pick<LedgerDeps, 'dataSource' | 'publishEvents'>,
  caller: Caller,
  afterPosition: bigint,
  first: number,
  publishPendingFirst: boolean,
): Promise<PublishedEvent[]> {
  requireService(caller, 'ledgerEvents');
  if (publishPendingFirst) await ledger.publishEvents();
  return eventsAfter(ledger.dataSource.manager, afterPosition, first);
}

/**
 * Lots with points left that expire in [from, to), by expiry then id, with the partner each
 * member enrolled through: settlement tells that partner's systems N days ahead ("points expiring
 * soon" webhooks). Keyset paging after (expiresAt, lotId).
 */
export async function expiringLots(
  dataSource: DataSource,
  caller: Caller,
  input: {
    from: Date | string;
    to: Date | string;
    afterExpiresAt?: Date | string | null;
    afterLotId?: string | null;
    enrolledViaPartnerIds?: readonly string[] | null;
    first: number;
  },
): Promise<{ lotId: string; memberId: string; memberEnrolledViaPartnerId: string | null; points: number; expiresAt: Date }[]> {
  requireService(caller, 'expiringLots');
  if (!Number.isInteger(input.first) || input.first < 1 || input.first > MAX_EVENTS_PER_READ) {
    throw badInput(`first must be between 1 and ${MAX_EVENTS_PER_READ}`);
  }
  if ((input.enrolledViaPartnerIds?.length ?? 0) > MAX_EVENTS_PER_READ) throw badInput(`At most ${MAX_EVENTS_PER_READ} partner ids`);
  const partnerIds = input.enrolledViaPartnerIds?.map((id) => checkId(id, 'enrolledViaPartnerIds')) ?? null;
  const after = input.afterExpiresAt && input.afterLotId ? [new Date(input.afterExpiresAt), checkId(input.afterLotId, 'afterLotId')] : null;
  return dataSource.query(
    `SELECT l.id AS "lotId", l.member_id AS "memberId", m.enrolled_via_partner_id AS "memberEnrolledViaPartnerId",
            l.points_remaining::int AS points, l.expires_at AS "expiresAt"
       FROM lots l JOIN members m ON m.id = l.member_id
      WHERE l.points_remaining > 0 AND l.expires_at >= $1 AND l.expires_at < $2
        AND ($3::timestamptz IS NULL OR (l.expires_at, l.id) > ($3::timestamptz, $4::uuid))
        AND ($6::uuid[] IS NULL OR m.enrolled_via_partner_id = ANY ($6::uuid[]))
      ORDER BY l.expires_at, l.id LIMIT $5`,
    [new Date(input.from), new Date(input.to), after?.[0] ?? null, after?.[1] ?? null, input.first, partnerIds],
  );
}
