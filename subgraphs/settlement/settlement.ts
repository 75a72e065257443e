import type { DataSource, EntityManager } from 'typeorm';
import { assertInvariant, forbidden, notFound, unauthenticated } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import { pointsToMinor } from '../../shared/money';
import type { PublishedEvent } from '../../shared/outbox';
import { ContractRow, PartnerRow } from './entities';

/**
 * The settlement domain core: partners, their contracts, and the money owed either way for the
 * points issued and redeemed at each. No GraphQL here. The rules (DESIGN.md, "Settlement rules"):
 * money in integer minor units, prices in integer micro-units, each ledger event counted once,
 * each amount rounded once per line, half to even.
 */

export type SettlementDirection = 'PARTNER_PAYS' | 'PARTNER_RECEIVES' | 'EVEN';

export interface PartnerPosition {
  currency: string;
  pointsIssued: bigint;
  issuedAmountMinor: bigint;
  pointsReversed: bigint;
  reversedAmountMinor: bigint;
  pointsRedeemed: bigint;
  redeemedAmountMinor: bigint;
  netAmountMinor: bigint;
  direction: SettlementDirection;
  lastEventPosition: bigint;
}

// ---------------------------------------------------------------------------------------------
// Access

/** A partner's commercial terms and money are visible to the partner itself and the operator. */
export function checkCanReadPartnerAccounts(caller: Caller, partnerId: string): void {
  if (caller.kind === 'operator' || caller.kind === 'service') return;
  if (caller.kind === 'partner' && caller.partnerId === partnerId) return;
  if (caller.kind === 'anonymous') throw unauthenticated("Sign in to read a partner's contract and position");
  throw forbidden("Only the partner itself and the operator may read a partner's contract and position");
}

// ---------------------------------------------------------------------------------------------
// Contracts

/** The contract in force at `at`: the latest that took effect by then. */
export async function contractInForce(manager: EntityManager, partnerId: string, at: Date): Promise<ContractRow | null> {
  return manager
    .getRepository(ContractRow)
    .createQueryBuilder('c')
    .where('c.partnerId = :partnerId AND c.effectiveFrom <= :at', { partnerId, at })
    .orderBy('c.effectiveFrom', 'DESC')
    .getOne();
}

export interface PartnerTerms {
  partnerId: string;
  active: boolean;
  earnRateMilliPointsPerUnit: number;
  redemptionValueMicrosPerPoint: number;
  currency: string;
}

/** What the ledger needs to turn purchases into points and points into money. Internal: subgraphs only. */
export async function partnerTerms(dataSource: DataSource, caller: Caller, partnerId: string): Promise<PartnerTerms> {
  if (caller.kind !== 'service') throw forbidden('partnerTerms is internal to the coalition services');
  const partner = await dataSource.getRepository(PartnerRow).findOneBy({ id: partnerId });
  if (!partner) throw notFound(`No partner with id ${partnerId}`);
  const contract = await contractInForce(dataSource.manager, partnerId, new Date());
  return {
    partnerId,
    // A partner with no contract in force cannot issue points: nobody would pay for them.
    active: partner.status === 'ACTIVE' && contract !== null,
    earnRateMilliPointsPerUnit: contract?.earnRateMilliPointsPerUnit ?? 0,
    redemptionValueMicrosPerPoint: contract?.redemptionValueMicrosPerPoint ?? 0,
    currency: contract?.currency ?? 'XXX',
  };
}

// ---------------------------------------------------------------------------------------------
// Positions

interface PositionLine {
  partner_id: string;
  kind: EntryKind;
  currency: string;
  points: string;
  micros: string;
  last_position: string;
}

/** A line less its reversals: points and exact micros subtract before the one rounding. */
function netLine(line: PositionLine | undefined, reversals: PositionLine | undefined): PositionLine | undefined {
  if (!line || !reversals) return line;
  return {
    ...line,
    points: (BigInt(line.points) - BigInt(reversals.points)).toString(),
    micros: (BigInt(line.micros) - BigInt(reversals.micros)).toString(),
    last_position: BigInt(reversals.last_position) > BigInt(line.last_position) ? reversals.last_position : line.last_position,
  };
}

/**
 * Positions of several partners in one query. Each line's amount is the exact sum of
 * points x price in micro-units, rounded once to minor units.
 */
export async function positionsOf(
  dataSource: DataSource,
  partners: readonly { id: string; currency: string }[],
): Promise<PartnerPosition[]> {
  const lines: PositionLine[] = await dataSource.query(
    `SELECT partner_id, kind, currency, sum(points)::text AS points,
            sum(points * price_micros_per_point)::text AS micros, max(event_position)::text AS last_position
       FROM settlement_entries WHERE partner_id = ANY($1::uuid[])
      GROUP BY partner_id, kind, currency`,
    [partners.map((p) => p.id)],
  );
  return partners.map(({ id, currency }) => {
    const own = lines.filter((line) => line.partner_id === id);
    for (const line of own) assertInvariant(line.currency === currency, `partner ${id} settles in one currency`);
    const line = (kind: PositionLine['kind']) => own.find((l) => l.kind === kind);
    const issued = line('ISSUANCE');
    const reversed = line('REVERSAL');
    const redeemed = netLine(line('REDEMPTION'), line('REDEMPTION_REVERSAL'));
    // sum(points x micros) / micros-per-minor, rounded once: the same as pricing each line whole.
    const minor = (l: PositionLine | undefined) => (l ? pointsToMinor(BigInt(l.micros), 1n, currency) : 0n);
    const issuedAmountMinor = minor(issued);
    const reversedAmountMinor = minor(reversed);
    const redeemedAmountMinor = minor(redeemed);
    // Positive: the partner owes for the points its customers kept; negative: it is owed.
    const net = issuedAmountMinor - reversedAmountMinor - redeemedAmountMinor;
    return {
      currency,
      pointsIssued: BigInt(issued?.points ?? 0),
      issuedAmountMinor,
      pointsReversed: BigInt(reversed?.points ?? 0),
      reversedAmountMinor,
      pointsRedeemed: BigInt(redeemed?.points ?? 0),
      redeemedAmountMinor,
      netAmountMinor: net < 0n ? -net : net,
      direction: net > 0n ? 'PARTNER_PAYS' : net < 0n ? 'PARTNER_RECEIVES' : 'EVEN',
      lastEventPosition: [issued, reversed, redeemed].reduce((max, l) => (l && BigInt(l.last_position) > max ? BigInt(l.last_position) : max), 0n),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Counting ledger events

/**
 * Ledger transfer kinds that move money between a partner and the coalition, and how: points are
 * issued when they become the member's (an immediate earn, or a pending one posted), reversed by
 * refunds, redeemed when a reservation is posted or points are paid at a point of sale, and
 * given back when a redemption is cancelled. Holds, releases, gifts and adjustments move no money
 * between partners and the coalition.
 */
const ENTRY_KIND_BY_TRANSFER: Partial<Record<string, EntryKind>> = {
  EARN: 'ISSUANCE',
  EARN_POST: 'ISSUANCE',
  REVERSAL: 'REVERSAL',
  CLAWBACK: 'REVERSAL',
  REDEEM: 'REDEMPTION',
  BURN: 'REDEMPTION',
  REDEEM_REFUND: 'REDEMPTION_REVERSAL',
};

type EntryKind = 'ISSUANCE' | 'REVERSAL' | 'REDEMPTION' | 'REDEMPTION_REVERSAL';

/**
 * Counts a batch of ledger events, each exactly once: in one transaction, under the checkpoint's
 * row lock, events at or before the checkpoint are skipped, each event becomes at most one entry
 * (unique event_id), and the checkpoint moves to the batch's last position. A replay, a duplicate
 * delivery or two replicas consuming at once change nothing.
 */
export async function countLedgerEvents(dataSource: DataSource, events: readonly PublishedEvent[]): Promise<bigint> {
  return dataSource.transaction(async (manager) => {
    const [checkpoint] = (await manager.query(
      `SELECT position::text AS position FROM feed_checkpoints WHERE feed = 'ledger' FOR UPDATE`,
    )) as { position: string }[];
    assertInvariant(checkpoint, 'the ledger feed has a checkpoint');
    let position = BigInt(checkpoint.position);
    for (const event of events) {
      const eventPosition = BigInt(event.position);
      if (eventPosition <= position) continue;
      position = eventPosition;
      if (event.type !== 'balance.changed') continue;
      const kind = ENTRY_KIND_BY_TRANSFER[String(event.payload.kind)];
      if (!kind) continue;
      const partnerId = String(event.payload.partnerId);
      const points = Number(event.payload.points);
      const occurredAt = new Date(event.occurredAt);
      const contract = await contractInForce(manager, partnerId, occurredAt);
      assertInvariant(contract, `partner ${partnerId} had a contract in force when event ${event.id} happened`);
      await manager.query(
        `INSERT INTO settlement_entries
           (event_id, event_position, partner_id, contract_id, kind, points, price_micros_per_point, currency, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING`,
        [
          event.id,
          event.position,
          partnerId,
          contract.id,
          kind,
          points,
          kind === 'REDEMPTION' || kind === 'REDEMPTION_REVERSAL' ? contract.redemptionValueMicrosPerPoint : contract.issuePriceMicrosPerPoint,
          contract.currency,
          occurredAt,
        ],
      );
    }
    await manager.query(`UPDATE feed_checkpoints SET position = $1 WHERE feed = 'ledger'`, [position.toString()]);
    return position;
  });
}

export async function ledgerCheckpoint(dataSource: DataSource): Promise<bigint> {
  const [row] = (await dataSource.query(`SELECT position::text AS position FROM feed_checkpoints WHERE feed = 'ledger'`)) as {
    position: string;
  }[];
  return BigInt(row?.position ?? 0);
}
