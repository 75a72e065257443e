import type { DataSource } from 'typeorm';
import { partnerScope } from '../../shared/access';
import { badInput } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import type { PartnerCategory } from './entities';
import { periodById, type PeriodRow } from './periods';

/**
 * Anonymised analytics for partners: coalition-wide insight without one partner seeing another's
 * customers (docs/DESIGN.md, "Money and settlement rules", points flows and analytics). How it
 * stays anonymous in fact:
 *
 * 1. Fixed, coarse dimensions only: partner category x closed settlement period. There are no
 *    free filters, so two answers can differ only by whole cells, never by one member.
 * 2. Closed periods only: their entries never change (late events are booked in the next period),
 *    so asking again, before and after one member's purchase, shows nothing new.
 * 3. Minimum group size k (ANALYTICS_MIN_GROUP_SIZE, 10 by default): a figure is shown only when at
 *    least k distinct members stand behind it; otherwise it is null and `suppressed`.
 * 4. Secondary suppression: a total is withheld when subtracting the visible cells from it would
 *    leave the contribution of 1 to k-1 members; a cross-shopping count is withheld when the
 *    category count minus it would count 1 to k-1 members.
 *
 * Counts are of distinct members (the pseudonymous ids the ledger's events carry); points are exact
 * integer sums. The same suppressed view goes to every reader, the operator included.
 */

export const CATEGORIES: readonly PartnerCategory[] = ['RESTAURANT', 'GROCER', 'FITNESS', 'CINEMA', 'AIRLINE', 'HOTEL', 'CAR_RENTAL'];
export const DEFAULT_MIN_GROUP_SIZE = 10;

export interface MemberCountFigure {
  members: number | null;
  suppressed: boolean;
}
export interface PointsFigure {
  points: string | null;
  suppressed: boolean;
}
export interface AnalyticsMeasures {
  activeMembers: MemberCountFigure;
  pointsEarned: PointsFigure;
  pointsRedeemed: PointsFigure;
}
export interface CoalitionAnalyticsView {
  period: PeriodRow;
  minimumGroupSize: number;
  total: AnalyticsMeasures;
  categories: (AnalyticsMeasures & { category: PartnerCategory })[];
  crossShopping: { categories: [PartnerCategory, PartnerCategory]; members: MemberCountFigure }[];
}

/** Ledger entry kinds behind each measure; a member belongs to a measure's group if it has one of them. */
const MEASURE_KINDS = {
  activeMembers: ['ISSUANCE', 'REVERSAL', 'REDEMPTION', 'REDEMPTION_REVERSAL'],
  pointsEarned: ['ISSUANCE', 'REVERSAL'],
  pointsRedeemed: ['REDEMPTION', 'REDEMPTION_REVERSAL'],
} as const;
type Measure = keyof typeof MEASURE_KINDS;

interface CellRow {
  category: PartnerCategory;
  active_members: number;
  earning_members: number;
  points_earned: string;
  redeeming_members: number;
  points_redeemed: string;
}

/** A figure from its group size: withheld below k. An empty group is withheld too: "nobody" is also a fact about a group. */
const count = (members: number, k: number, withheld = false): MemberCountFigure =>
  members >= k && !withheld ? { members, suppressed: false } : { members: null, suppressed: true };
const points = (sum: bigint, members: number, k: number, withheld = false): PointsFigure =>
  members >= k && !withheld ? { points: sum.toString(), suppressed: false } : { points: null, suppressed: true };

export async function coalitionAnalytics(
  dataSource: DataSource,
  caller: Caller,
  periodId: string,
  minimumGroupSize: number,
): Promise<CoalitionAnalyticsView> {
  // Partners, the operator and subgraphs; the scope narrows nothing, since every reader gets the
  // same suppressed view of the whole coalition.
  partnerScope(caller, 'read coalition analytics', { services: true });
  const k = minimumGroupSize;
  const period = await periodById(dataSource.manager, periodId);
  if (period.status !== 'CLOSED') {
    throw badInput("Analytics cover closed periods only: an open period's figures change with each event, which would show single members");
  }

  // Entries of partners' customers in the period, with a known member (see the EntryMembers migration).
  const scope = `FROM settlement_entries e JOIN partners p ON p.id = e.partner_id WHERE e.period_id = $1 AND e.member_id IS NOT NULL`;
  const signed = `CASE WHEN e.kind IN ('REVERSAL', 'REDEMPTION_REVERSAL') THEN -e.points ELSE e.points END`;
  const cells = (await dataSource.query(
    `SELECT p.category,
            count(DISTINCT e.member_id)::int AS active_members,
            count(DISTINCT e.member_id) FILTER (WHERE e.kind IN ('ISSUANCE', 'REVERSAL'))::int AS earning_members,
            coalesce(sum(${signed}) FILTER (WHERE e.kind IN ('ISSUANCE', 'REVERSAL')), 0)::text AS points_earned,
            count(DISTINCT e.member_id) FILTER (WHERE e.kind IN ('REDEMPTION', 'REDEMPTION_REVERSAL'))::int AS redeeming_members,
            coalesce(sum(${signed}) FILTER (WHERE e.kind IN ('REDEMPTION', 'REDEMPTION_REVERSAL')), 0)::text AS points_redeemed
       ${scope} GROUP BY p.category`,
    [period.id],
  )) as CellRow[];
  const byCategory = new Map(cells.map((c) => [c.category, c]));
  const cell = (category: PartnerCategory): CellRow =>
    byCategory.get(category) ?? {
      category,
      active_members: 0,
      earning_members: 0,
      points_earned: '0',
      redeeming_members: 0,
      points_redeemed: '0',
    };
  const groupSize = (c: CellRow, measure: Measure) =>
    measure === 'activeMembers' ? c.active_members : measure === 'pointsEarned' ? c.earning_members : c.redeeming_members;

  /** Distinct members of a measure's group in the given categories (the whole coalition when null). */
  const membersIn = async (measure: Measure, categories: PartnerCategory[] | null): Promise<number> => {
    const [row] = (await dataSource.query(
      `SELECT count(DISTINCT e.member_id)::int AS members ${scope} AND e.kind = ANY($2) AND ($3::text[] IS NULL OR p.category = ANY($3))`,
      [period.id, MEASURE_KINDS[measure], categories],
    )) as { members: number }[];
    return row?.members ?? 0;
  };

  /**
   * The total of a measure is withheld when too few members stand behind it, or when the total less
   * the visible category cells (what the suppressed cells add up to) would come from 1 to k-1 members.
   */
  const totalWithheld = async (measure: Measure): Promise<{ members: number; withheld: boolean }> => {
    const members = await membersIn(measure, null);
    const hidden = CATEGORIES.filter((category) => groupSize(cell(category), measure) < k);
    const residual = hidden.length ? await membersIn(measure, hidden) : 0;
    return { members, withheld: residual > 0 && residual < k };
  };
  const [active, earned, redeemed] = await Promise.all([
    totalWithheld('activeMembers'),
    totalWithheld('pointsEarned'),
    totalWithheld('pointsRedeemed'),
  ]);
  const sum = (field: 'points_earned' | 'points_redeemed') => CATEGORIES.reduce((total, c) => total + BigInt(cell(c)[field]), 0n);

  // Cross-shopping: members who earned at partners of both categories.
  const pairs = (await dataSource.query(
    `WITH earners AS (SELECT DISTINCT p.category, e.member_id ${scope} AND e.kind = 'ISSUANCE')
     SELECT a.category AS a, b.category AS b, count(*)::int AS members
       FROM earners a JOIN earners b ON a.member_id = b.member_id AND a.category < b.category GROUP BY a.category, b.category`,
    [period.id],
  )) as { a: PartnerCategory; b: PartnerCategory; members: number }[];
  const earners = (await dataSource.query(
    `SELECT p.category, count(DISTINCT e.member_id)::int AS members ${scope} AND e.kind = 'ISSUANCE' GROUP BY p.category`,
    [period.id],
  )) as { category: PartnerCategory; members: number }[];
  const earnersIn = (category: PartnerCategory) => earners.find((e) => e.category === category)?.members ?? 0;
  /** Withheld when the category's count less this one would count 1 to k-1 members. */
  const leavesSmallRemainder = (category: PartnerCategory, both: number) =>
    [earnersIn(category) - both, cell(category).active_members - both].some((rest) => rest > 0 && rest < k);
  const crossShopping: CoalitionAnalyticsView['crossShopping'] = [];
  for (const [i, a] of CATEGORIES.entries()) {
    for (const b of CATEGORIES.slice(i + 1)) {
      const [first, second] = a < b ? [a, b] : [b, a];
      const both = pairs.find((p) => p.a === first && p.b === second)?.members ?? 0;
      crossShopping.push({
        categories: [a, b],
        members: count(both, k, leavesSmallRemainder(a, both) || leavesSmallRemainder(b, both)),
      });
    }
  }

  return {
    period,
    minimumGroupSize: k,
    total: {
      activeMembers: count(active.members, k, active.withheld),
      pointsEarned: points(sum('points_earned'), earned.members, k, earned.withheld),
      pointsRedeemed: points(sum('points_redeemed'), redeemed.members, k, redeemed.withheld),
    },
    categories: CATEGORIES.map((category) => {
      const c = cell(category);
      return {
        category,
        activeMembers: count(c.active_members, k),
        pointsEarned: points(BigInt(c.points_earned), c.earning_members, k),
        pointsRedeemed: points(BigInt(c.points_redeemed), c.redeeming_members, k),
      };
    }),
    crossShopping,
  };
}
