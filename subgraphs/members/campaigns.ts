import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { actingPartner, partnerScope, requireMemberItselfOrOperator, requireSignedIn } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { preparedQuery } from '../../shared/database';
import { assertInvariant, badInput, forbidden, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { checkId, checkText } from '../../shared/validation';
import { DAY_MS, MAX_POINTS_PER_TRANSFER, MAX_REFERENCE_LENGTH, type LedgerDeps } from './ledger';
import { issuanceAccount, memberAccount, post } from './postings';
import { refreshTier, TIERS, type TierLevel } from './tiers';
import { lockMember } from './postings';
import { appendEvent } from '../../shared/outbox';
import { pointsToMinor } from '../../shared/money';
import { LEDGER_EVENT_VERSION, readCampaignEvent, type CampaignEvent, type CampaignEventType } from '../../shared/ledgerEvents';

/**
 * Coalition campaigns: promotions a partner funds and the coalition grants at earn time. The rule
 * catalogue, the budget and the per-member cap live here and nowhere else; earning.ts calls
 * `grantBonuses` inside the earn's transaction (after the member's lock) and `reverseBonuses`
 * inside a refund's. CAMPAIGNS.md beside this file is the reader's guide.
 */

type Queryable = Pick<EntityManager, 'query'>;

export type CampaignRuleKind =
  'SPEND_MULTIPLIER' | 'PURCHASE_BONUS' | 'LINE_BONUS' | 'FIRST_PURCHASE' | 'DISTINCT_PARTNERS' | 'DISTINCT_CATEGORIES';
export type CampaignStatus = 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'ENDED';

export const MAX_CAMPAIGN_NAME_LENGTH = 120;
export const MAX_CAMPAIGN_CODES = 100;
/** At most 10x extra points on top of what the purchase earns. */
export const MAX_EXTRA_PERMILLE = 10_000;
export const MAX_CAMPAIGN_BUDGET_POINTS = 1_000_000_000;
/** Campaigns one earn may draw from: bounds the rows an earn locks. */
export const MAX_CAMPAIGNS_PER_EARN = 20;
/** Active campaigns one earn (or one member's offers) reads before targeting narrows them. */
export const MAX_CAMPAIGN_CANDIDATES = 200;
/**
 * The window rules (DISTINCT_PARTNERS, DISTINCT_CATEGORIES): how many distinct partners or
 * categories a campaign may ask for, and its longest window.
 */
export const MAX_DISTINCT_PARTNERS = 20;
export const MAX_DISTINCT_CATEGORIES = 20;
export const MAX_WINDOW_DAYS = 92;

/** A purchase as campaigns see it: its lines (a purchase without lines is one line, of no category). */
export interface EarnedLine {
  sku: string | null;
  categoryCode: string | null;
  excluded: boolean;
  /** What the line earned at the contract rate and the tier's multiplier. */
  points: number;
}

/**
 * The lines campaigns see for earns already written: their basket lines as priced at the earn
 * (returned ones included: a bonus is decided on the purchase as made), or one line of the earn's
 * points for an earn without lines.
 */
export async function earnedLines(db: Queryable, earns: readonly { earnId: string; points: number }[]): Promise<Map<string, EarnedLine[]>> {
  const rows = (await db.query(
    `SELECT earn_id, sku, category_code, excluded, points::int AS points FROM earn_lines WHERE earn_id = ANY ($1::uuid[])
      ORDER BY earn_id, line_number`,
    [earns.map((e) => e.earnId)],
  )) as { earn_id: string; sku: string; category_code: string; excluded: boolean; points: number }[];
  const lines = new Map<string, EarnedLine[]>();
  for (const { earn_id, sku, category_code, excluded, points } of rows) {
    lines.set(earn_id, [...(lines.get(earn_id) ?? []), { sku, categoryCode: category_code, excluded, points }]);
  }
  for (const { earnId, points } of earns)
    if (!lines.has(earnId)) lines.set(earnId, [{ sku: null, categoryCode: null, excluded: false, points }]);
  return lines;
}

export interface CampaignInput {
  partnerId?: string | null;
  name: string;
  ruleKind: CampaignRuleKind;
  coalitionWide?: boolean | null;
  exclusive?: boolean | null;
  optIn?: boolean | null;
  extraPermille?: number | null;
  bonusPoints?: number | null;
  categoryCodes?: readonly string[] | null;
  skus?: readonly string[] | null;
  tiers?: readonly TierLevel[] | null;
  distinctPartners?: number | null;
  distinctCategories?: number | null;
  windowDays?: number | null;
  newCustomersOnly?: boolean | null;
  shopperCategoryCodes?: readonly string[] | null;
  startsAt: Date | string;
  endsAt: Date | string;
  perMemberCapPoints?: number | null;
  budgetPoints: number;
}

export interface CampaignRow {
  id: string;
  funder_partner_id: string;
  name: string;
  rule_kind: CampaignRuleKind;
  coalition_wide: boolean;
  exclusive: boolean;
  opt_in: boolean;
  extra_permille: number;
  bonus_points: number;
  category_codes: string[];
  skus: string[];
  tiers: string[];
  /** DISTINCT_PARTNERS: partners to shop at; null for other rules. */
  distinct_partners: number | null;
  /** DISTINCT_CATEGORIES: categories to buy in; null for other rules. */
  distinct_categories: number | null;
  /** The window rules (both DISTINCT_ kinds): the window in days; null for other rules. */
  window_days: number | null;
  /** Targeting: only members with no earlier purchase at the funder. */
  new_customers_only: boolean;
  /** Targeting: only members with an earlier purchase at the funder with a line in one of these categories. */
  shopper_category_codes: string[];
  starts_at: Date;
  ends_at: Date;
  per_member_cap_points: number | null;
  budget_points: number;
  budget_left_points: number;
  status: CampaignStatus;
  /** The sequence of its latest event in its own outbox stream (0 before the first). */
  last_event_sequence: number;
}

const CAMPAIGN_COLUMNS = `id, funder_partner_id, name, rule_kind, coalition_wide, exclusive, opt_in, extra_permille, bonus_points::int AS bonus_points,
  category_codes, skus, tiers, distinct_partners, distinct_categories, window_days, new_customers_only, shopper_category_codes, starts_at, ends_at,
  per_member_cap_points::int AS per_member_cap_points,
  budget_points::int AS budget_points, budget_left_points::int AS budget_left_points, status, last_event_sequence`;

function wholeNumber(value: number | null | undefined, field: string, min: number, max: number): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw badInput(`${field} must be a whole number from ${min} to ${max}`);
  return value;
}

function codes(values: readonly string[] | null | undefined, field: string): string[] {
  const list = values ?? [];
  if (list.length > MAX_CAMPAIGN_CODES) throw badInput(`${field} has at most ${MAX_CAMPAIGN_CODES} entries`);
  return [...new Set(list.map((v, i) => checkText(v, `${field}[${i}]`, 64).toUpperCase()))].sort();
}

/** Checks a campaign's rule: each kind needs exactly the parameters it reads. */
function checkRule(input: CampaignInput) {
  const extraPermille = wholeNumber(input.extraPermille, 'extraPermille', 1, MAX_EXTRA_PERMILLE);
  const bonusPoints = wholeNumber(input.bonusPoints, 'bonusPoints', 1, MAX_POINTS_PER_TRANSFER);
  const categoryCodes = codes(input.categoryCodes, 'categoryCodes');
  const skus = codes(input.skus, 'skus');
  const distinctPartners = wholeNumber(input.distinctPartners, 'distinctPartners', 2, MAX_DISTINCT_PARTNERS);
  const distinctCategories = wholeNumber(input.distinctCategories, 'distinctCategories', 2, MAX_DISTINCT_CATEGORIES);
  const windowDays = wholeNumber(input.windowDays, 'windowDays', 1, MAX_WINDOW_DAYS);
  for (const [kind, field, value] of [
    ['DISTINCT_PARTNERS', 'distinctPartners', distinctPartners],
    ['DISTINCT_CATEGORIES', 'distinctCategories', distinctCategories],
  ] as const) {
    if ((input.ruleKind === kind) !== (value !== null)) throw badInput(`${field} is for a ${kind} campaign, which needs it`);
  }
  if (isWindowRule(input.ruleKind) !== (windowDays !== null)) {
    throw badInput('windowDays is for a DISTINCT_PARTNERS or DISTINCT_CATEGORIES campaign, which needs it');
  }
  switch (input.ruleKind) {
    case 'SPEND_MULTIPLIER':
      if (!extraPermille || bonusPoints) throw badInput('A SPEND_MULTIPLIER campaign takes extraPermille and no bonusPoints');
      break;
    case 'PURCHASE_BONUS':
    case 'FIRST_PURCHASE':
    case 'DISTINCT_PARTNERS':
    case 'DISTINCT_CATEGORIES':
      if (!bonusPoints || extraPermille) throw badInput(`A ${input.ruleKind} campaign takes bonusPoints and no extraPermille`);
      break;
    case 'LINE_BONUS':
      if (!extraPermille && !bonusPoints) throw badInput('A LINE_BONUS campaign takes extraPermille, bonusPoints or both');
      if (categoryCodes.length + skus.length === 0) throw badInput('A LINE_BONUS campaign names categoryCodes or skus');
      break;
    default:
      throw badInput(`Unknown rule kind ${String(input.ruleKind)}`);
  }
  if (input.ruleKind !== 'LINE_BONUS' && categoryCodes.length + skus.length > 0) {
    throw badInput('Only a LINE_BONUS campaign names categoryCodes or skus');
  }
  // Shopping at several partners is coalition-wide data: only a coalition-wide campaign (which the
  // operator approves) may read it. DISTINCT_CATEGORIES needs no such rule: a funder's own campaign
  // counts only purchases at the funder (campaignsWithFacts), data the funder has anyway.
  if (input.ruleKind === 'DISTINCT_PARTNERS' && !input.coalitionWide) throw badInput('A DISTINCT_PARTNERS campaign must be coalitionWide');
  return {
    extraPermille: extraPermille ?? 0,
    bonusPoints: bonusPoints ?? 0,
    categoryCodes,
    skus,
    distinctPartners,
    distinctCategories,
    windowDays,
  };
}

function checkDate(value: Date | string, field: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw badInput(`${field} must be an ISO date-time`);
  return date;
}

/**
 * A partner creates a campaign it funds (the operator names the funder). Campaigns start as
 * DRAFT: nothing is granted until the campaign is made ACTIVE.
 */
export async function createCampaign(deps: LedgerDeps, caller: Caller, input: CampaignInput): Promise<CampaignRow> {
  const funderId = actingPartner(caller, input.partnerId, 'manage campaigns');
  const name = checkText(input.name, 'name', MAX_CAMPAIGN_NAME_LENGTH);
  const rule = checkRule(input);
  const tiers = [...new Set(input.tiers ?? [])];
  for (const tier of tiers) if (!TIERS.some((t) => t.level === tier)) throw badInput(`Unknown tier ${tier}`);
  const shopperCategoryCodes = codes(input.shopperCategoryCodes, 'shopperCategoryCodes');
  const startsAt = checkDate(input.startsAt, 'startsAt');
  const endsAt = checkDate(input.endsAt, 'endsAt');
  if (endsAt <= startsAt) throw badInput('endsAt must be after startsAt');
  const perMemberCapPoints = wholeNumber(input.perMemberCapPoints, 'perMemberCapPoints', 1, MAX_CAMPAIGN_BUDGET_POINTS);
  const budgetPoints = wholeNumber(input.budgetPoints, 'budgetPoints', 1, MAX_CAMPAIGN_BUDGET_POINTS)!;
  const id = randomUUID();
  await deps.dataSource.transaction(async (manager) => {
    await manager.query(
      `INSERT INTO campaigns (id, funder_partner_id, name, rule_kind, coalition_wide, exclusive, extra_permille, bonus_points, category_codes,
                              skus, tiers, starts_at, ends_at, per_member_cap_points, budget_points, budget_left_points, status, created_by, opt_in,
                              distinct_partners, window_days, new_customers_only, shopper_category_codes, distinct_categories)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, 'DRAFT', $16, $17, $18, $19, $20, $21, $22)`,
      [
        id,
        funderId,
        name,
        input.ruleKind,
        input.coalitionWide ?? false,
        input.exclusive ?? false,
        rule.extraPermille,
        rule.bonusPoints,
        rule.categoryCodes,
        rule.skus,
        tiers,
        startsAt,
        endsAt,
        perMemberCapPoints,
        budgetPoints,
        callerActor(caller),
        input.optIn ?? false,
        rule.distinctPartners,
        rule.windowDays,
        input.newCustomersOnly ?? false,
        shopperCategoryCodes,
        rule.distinctCategories,
      ],
    );
    await auditOperatorAction(manager, caller, 'createCampaign', id, { funderId, ruleKind: input.ruleKind, budgetPoints });
  });
  return campaignById(deps, caller, id);
}

/** Which status moves are allowed: ENDED is final. */
const NEXT_STATUSES: Record<CampaignStatus, readonly CampaignStatus[]> = {
  DRAFT: ['ACTIVE', 'ENDED'],
  ACTIVE: ['PAUSED', 'ENDED'],
  PAUSED: ['ACTIVE', 'ENDED'],
  ENDED: [],
};

/**
 * Moves a campaign's status. The funder manages its own campaigns, except that a coalition-wide
 * one (granting at every partner's purchases) becomes ACTIVE only by the operator's approval.
 */
export async function setCampaignStatus(
  deps: LedgerDeps,
  caller: Caller,
  input: { campaignId: string; status: CampaignStatus },
): Promise<CampaignRow> {
  const campaignId = checkId(input.campaignId, 'campaignId');
  const activated = await deps.dataSource.transaction(async (manager) => {
    const [campaign] = (await manager.query(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1 FOR UPDATE`, [
      campaignId,
    ])) as CampaignRow[];
    if (!campaign) throw notFound(`No campaign with id ${campaignId}`);
    actingPartner(caller, campaign.funder_partner_id, 'manage campaigns');
    if (campaign.status === input.status) return false;
    if (!NEXT_STATUSES[campaign.status].includes(input.status)) {
      throw badInput(`A ${campaign.status} campaign cannot become ${input.status}`);
    }
    if (input.status === 'ACTIVE' && campaign.coalition_wide && caller.kind !== 'operator') {
      throw forbidden('Only the operator may approve a coalition-wide campaign');
    }
    await manager.query('UPDATE campaigns SET status = $2 WHERE id = $1', [campaignId, input.status]);
    await auditOperatorAction(manager, caller, 'setCampaignStatus', campaignId, { from: campaign.status, to: input.status });
    if (input.status === 'ACTIVE') await announceActivation(manager, campaign);
    // No status moves back to DRAFT (NEXT_STATUSES).
    else if (input.status !== 'DRAFT') await announceStatus(manager, campaign, input.status);
    return input.status === 'ACTIVE';
  });
  // Committed: earns at the partners it reaches read the campaigns from the very next one on.
  if (activated) await deps.campaignReach.activated();
  return campaignById(deps, caller, campaignId);
}

/** A campaign, for its funder and the operator. */
export async function campaignById(deps: LedgerDeps, caller: Caller, campaignId: string): Promise<CampaignRow> {
  requireSignedIn(caller, 'read campaigns');
  const id = checkId(campaignId, 'campaignId');
  const [campaign] = (await deps.dataSource.query(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1`, [id])) as CampaignRow[];
  if (!campaign) throw notFound(`No campaign with id ${id}`);
  actingPartner(caller, campaign.funder_partner_id, 'read campaigns');
  return campaign;
}

/** Which campaigns a list shows: the funder's (a partner sees only its own), in a status, a page after a cursor. */
export interface CampaignFilter {
  partnerId: string | null;
  status: CampaignStatus | null;
  limit: number;
  /** The last row seen: [created_at as ISO, id]. */
  after: (string | number)[] | null;
}

export type ListedCampaign = CampaignRow & { created_at: Date };

/**
 * A funder's campaigns, newest first: a partner lists its own (naming another is FORBIDDEN), the
 * operator any partner's or, naming none, the whole coalition's. Fetches limit + 1 rows
 * (toConnection tells from the extra one whether a next page exists).
 */
export async function listCampaigns(deps: LedgerDeps, caller: Caller, filter: CampaignFilter): Promise<ListedCampaign[]> {
  const funderId = partnerScope(caller, 'list campaigns', {
    requestedPartnerId: filter.partnerId ? checkId(filter.partnerId, 'partnerId') : null,
  });
  const [afterAt, afterId] = filter.after ?? [null, null];
  if (afterId !== null) checkId(String(afterId), 'after');
  return (await deps.dataSource.query(
    `SELECT ${CAMPAIGN_COLUMNS}, created_at FROM campaigns
      WHERE ($1::uuid IS NULL OR funder_partner_id = $1) AND ($2::text IS NULL OR status = $2)
        AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
      ORDER BY created_at DESC, id DESC LIMIT $5`,
    [funderId, filter.status, afterAt, afterId, filter.limit + 1],
  )) as ListedCampaign[];
}

/**
 * The campaign that granted a bonus, for whoever may watch the member's events (the watcher was
 * checked when the event was read): a member sees the campaigns it got bonuses from as it sees its
 * offers. Its report keeps its own rule (funder and operator only).
 */
export async function campaignOfBonus(deps: LedgerDeps, campaignId: string): Promise<CampaignRow> {
  const [campaign] = (await deps.dataSource.query(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1`, [
    checkId(campaignId, 'campaignId'),
  ])) as CampaignRow[];
  assertInvariant(campaign, `campaign ${campaignId} of a BONUS exists`);
  return campaign;
}

export interface CampaignReport {
  grantedPoints: number;
  reversedPoints: number;
  membersReached: number;
  bonusedPurchases: number;
  budgetLeftPoints: number;
  reachedMembersPurchasesDuring: number;
  reachedMembersPurchasesBefore: number;
  incrementalPurchases: number;
}

/**
 * The funder's figures for its campaign: bonus points granted and taken back by refunds, distinct
 * members and purchases that got a bonus, what is left of the budget, and incremental purchases:
 * the reached members' purchases at the funder while the campaign ran (startsAt until endsAt or now)
 * less their purchases in the period of the same length just before it (the baseline). A purchase
 * is dated by its earn's transfer. The funder and the operator only; a member that sees the
 * campaign among its offers does not see this.
 */
export async function campaignReport(deps: LedgerDeps, caller: Caller, campaign: CampaignRow): Promise<CampaignReport> {
  actingPartner(caller, campaign.funder_partner_id, 'read campaign reports');
  const [row] = (await deps.dataSource.query(
    `SELECT coalesce(sum(points), 0)::int AS granted, coalesce(sum(reversed_points), 0)::int AS reversed,
            count(DISTINCT member_id)::int AS members, count(*)::int AS purchases,
            (SELECT budget_left_points::int FROM campaigns WHERE id = $1) AS budget_left
       FROM campaign_grants WHERE campaign_id = $1`,
    [campaign.id],
  )) as { granted: number; reversed: number; members: number; purchases: number; budget_left: number }[];
  assertInvariant(row, `campaign ${campaign.id} has a report`);
  // The funder's own purchases only, whether or not the campaign is coalition-wide: what it pays
  // for is customers coming to it.
  const [baseline] = (await deps.dataSource.query(
    `WITH span AS (SELECT $2::timestamptz AS starts, greatest(least($3::timestamptz, now()), $2::timestamptz) AS ends)
     SELECT count(*) FILTER (WHERE t.created_at >= span.starts AND t.created_at < span.ends)::int AS during,
            count(*) FILTER (WHERE t.created_at >= span.starts - (span.ends - span.starts) AND t.created_at < span.starts)::int AS before
       FROM span, earns e JOIN transfers t ON t.id = e.transfer_id
      WHERE e.partner_id = $4 AND e.status <> 'VOIDED'
        AND e.member_id IN (SELECT DISTINCT member_id FROM campaign_grants WHERE campaign_id = $1)`,
    [campaign.id, campaign.starts_at, campaign.ends_at, campaign.funder_partner_id],
  )) as { during: number; before: number }[];
  assertInvariant(baseline, `campaign ${campaign.id} has a baseline`);
  return {
    reachedMembersPurchasesDuring: baseline.during,
    reachedMembersPurchasesBefore: baseline.before,
    incrementalPurchases: baseline.during - baseline.before,
    grantedPoints: row.granted,
    reversedPoints: row.reversed,
    membersReached: row.members,
    bonusedPurchases: row.purchases,
    budgetLeftPoints: row.budget_left,
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluation: one rule catalogue for the earn, the offers and the simulation

/**
 * What targeting and the rules need to know about a member at a purchase. The earn reads it from
 * the ledger under the member's lock (`campaignsWithFacts`); the simulation rebuilds it from the
 * purchases it replays. Targeting reads only the member's purchases at the funder, data the funder
 * has anyway; the window rules' count reads purchases where the campaign applies: everywhere for a
 * coalition-wide campaign, approved by the operator (the only kind DISTINCT_PARTNERS may be), the
 * funder's own otherwise.
 */
export interface MemberFacts {
  /** The tier held before the purchase. */
  tier: string;
  /** Whether the member activated the campaign (what an opt-in campaign needs). */
  activated: boolean;
  /** Whether the member has a purchase (not voided) at the funder made before this one. */
  boughtAtFunder: boolean;
  /** Whether such an earlier purchase at the funder has a line, not returned, in one of the campaign's shopperCategoryCodes. */
  shopsInCategories: boolean;
  /** Bonus points the member holds from the campaign, net of refunds (what its cap counts). */
  grantedPoints: number;
  /**
   * The window rules: distinct partners (DISTINCT_PARTNERS) or categories (DISTINCT_CATEGORIES) of
   * the purchases that count towards the next grant, this one included; 0 for other rules.
   */
  distinctCount: number;
}

export interface Candidate {
  campaign: CampaignRow;
  facts: MemberFacts;
}

/** Whether a campaign targets the member: its tiers, new customers only, shoppers of its categories. */
export function targetsMember(campaign: CampaignRow, facts: MemberFacts): boolean {
  if (campaign.tiers.length > 0 && !campaign.tiers.includes(facts.tier)) return false;
  if (campaign.new_customers_only && facts.boughtAtFunder) return false;
  if (campaign.shopper_category_codes.length > 0 && !facts.shopsInCategories) return false;
  return true;
}

const appliesTo = ({ campaign, facts }: Candidate) => targetsMember(campaign, facts) && (!campaign.opt_in || facts.activated);

/**
 * The window rules: a bonus once the purchases that count hold so many distinct partners
 * (DISTINCT_PARTNERS) or categories (DISTINCT_CATEGORIES). Both count the same purchases (posted,
 * not refunded in full, in the window, after the last grant, where the campaign applies); only
 * what they count differs.
 */
export function isWindowRule(kind: CampaignRuleKind): kind is 'DISTINCT_PARTNERS' | 'DISTINCT_CATEGORIES' {
  return kind === 'DISTINCT_PARTNERS' || kind === 'DISTINCT_CATEGORIES';
}

/**
 * What one counted purchase adds to a window rule's set: its partner, or the categories of its
 * lines that earned (a line in an excluded category, or one that earned nothing, adds none).
 */
export function countedByWindowRule(kind: CampaignRuleKind, purchase: { partnerId: string; lines: readonly EarnedLine[] }): string[] {
  if (kind === 'DISTINCT_PARTNERS') return [purchase.partnerId];
  return purchase.lines.flatMap((line) => (line.points > 0 && line.categoryCode !== null ? [line.categoryCode] : []));
}

/** What a campaign's rule grants for a purchase, before precedence, caps and budget. Pure integer arithmetic. */
export function ruleBonus(campaign: CampaignRow, lines: readonly EarnedLine[], facts: MemberFacts): number {
  // Excluded categories never earn a bonus either, and a line that earned nothing carries none.
  const eligible = lines.filter((line) => !line.excluded && line.points > 0);
  if (eligible.length === 0) return 0;
  const extra = (line: EarnedLine) => Math.floor((line.points * campaign.extra_permille) / 1000);
  switch (campaign.rule_kind) {
    case 'SPEND_MULTIPLIER':
      return eligible.reduce((sum, line) => sum + extra(line), 0);
    case 'PURCHASE_BONUS':
      return campaign.bonus_points;
    case 'FIRST_PURCHASE':
      return facts.boughtAtFunder ? 0 : campaign.bonus_points;
    case 'DISTINCT_PARTNERS':
    case 'DISTINCT_CATEGORIES': {
      const needed = campaign.rule_kind === 'DISTINCT_PARTNERS' ? campaign.distinct_partners : campaign.distinct_categories;
      assertInvariant(needed !== null, `${campaign.rule_kind} campaign ${campaign.id} names its count`);
      return facts.distinctCount >= needed ? campaign.bonus_points : 0;
    }
    case 'LINE_BONUS':
      return eligible
        .filter(
          (line) =>
            (line.categoryCode !== null && campaign.category_codes.includes(line.categoryCode)) ||
            (line.sku !== null && campaign.skus.includes(line.sku.toUpperCase())),
        )
        .reduce((sum, line) => sum + extra(line) + campaign.bonus_points, 0);
  }
}

/** A bonus another campaign already granted on a replayed purchase: it takes part in precedence only. */
export interface FixedBonus {
  campaignId: string;
  exclusive: boolean;
  points: number;
}

/**
 * The bonuses one purchase gets, the whole decision in one place (the earn and the simulation both
 * call it): the campaigns that target the member (and, opt-in ones, that it activated) work out
 * their rule; if any exclusive one grants, only the exclusive one granting most applies (ties: lowest
 * id); otherwise every non-exclusive one adds up. Each bonus is then cut to what is left of the
 * member's cap and of the budget; a bonus cut to nothing is left out.
 */
export function decideBonuses(
  candidates: readonly Candidate[],
  lines: readonly EarnedLine[],
  fixed: readonly FixedBonus[] = [],
): { campaign: CampaignRow; points: number }[] {
  const wanted = candidates
    .filter(appliesTo)
    .map((candidate) => ({ ...candidate, points: ruleBonus(candidate.campaign, lines, candidate.facts) }))
    .filter((w) => w.points > 0);
  const exclusive = [...wanted.map((w) => ({ campaignId: w.campaign.id, exclusive: w.campaign.exclusive, points: w.points })), ...fixed]
    .filter((b) => b.exclusive && b.points > 0)
    .sort((a, b) => b.points - a.points || (a.campaignId < b.campaignId ? -1 : 1))[0];
  const applying = exclusive ? wanted.filter((w) => w.campaign.id === exclusive.campaignId) : wanted;
  return applying
    .map(({ campaign, facts, points }) => {
      let cut = Math.min(points, campaign.budget_left_points, MAX_POINTS_PER_TRANSFER);
      if (campaign.per_member_cap_points !== null) cut = Math.min(cut, campaign.per_member_cap_points - facts.grantedPoints);
      return { campaign, points: cut };
    })
    .filter((bonus) => bonus.points > 0);
}

/**
 * The active campaigns (in their window, with budget left) that may apply to the member, each with
 * the member's facts, read from the ledger. `partnerId`: only the campaigns that apply to a purchase
 * there (the partner's own and coalition-wide ones), or null for all. `earnId`: the earn being
 * evaluated, left out of "earlier purchases" and the end of the window rules' window; null
 * outside an earn. `campaignId`: that campaign only.
 */
async function campaignsWithFacts(
  manager: EntityManager,
  query: { memberId: string; partnerId: string | null; earnId: string | null; campaignId: string | null },
): Promise<Candidate[]> {
  const rows = (await preparedQuery(
    manager,
    `WITH cur AS (
       -- The evaluated earn: when it was made, and when its points were posted (an immediate earn
       -- at once, a pending one when it posts; the grant happens then).
       SELECT (SELECT et.created_at FROM earns e JOIN transfers et ON et.id = e.transfer_id WHERE e.transfer_id = $2::uuid) AS earned_at,
              (SELECT t.created_at FROM earns e JOIN transfers t ON t.id = coalesce(e.settle_transfer_id, e.transfer_id)
                WHERE e.transfer_id = $2::uuid) AS at)
     SELECT c.*, m.tier AS member_tier,
            EXISTS (SELECT 1 FROM campaign_activations a WHERE a.campaign_id = c.id AND a.member_id = m.id) AS activated,
            EXISTS (SELECT 1 FROM earns e JOIN transfers et ON et.id = e.transfer_id
                     WHERE e.member_id = m.id AND e.partner_id = c.funder_partner_id AND e.status <> 'VOIDED'
                       AND ($2::uuid IS NULL OR et.created_at < cur.earned_at)) AS bought_at_funder,
            (cardinality(c.shopper_category_codes) > 0 AND EXISTS (
              SELECT 1 FROM earns e JOIN transfers et ON et.id = e.transfer_id JOIN earn_lines l ON l.earn_id = e.transfer_id
               WHERE e.member_id = m.id AND e.partner_id = c.funder_partner_id AND e.status <> 'VOIDED'
                 AND ($2::uuid IS NULL OR et.created_at < cur.earned_at) AND l.returned_at IS NULL
                 AND l.category_code = ANY (c.shopper_category_codes))) AS shops_in_categories,
            (SELECT coalesce(sum(g.points - g.reversed_points), 0)::int FROM campaign_grants g
              WHERE g.campaign_id = c.id AND g.member_id = m.id) AS granted_points,
            -- The window rules. Purchases that count: posted (a pending one from when it posted), not
            -- refunded in full, where the campaign applies (a funder's own campaign reads only its own
            -- purchases), since the campaign started, in the window ending at this purchase, after the
            -- purchase that got the member's last bonus from the campaign (each grant uses its
            -- purchases up). DISTINCT_PARTNERS counts their partners, DISTINCT_CATEGORIES the
            -- categories of their lines that earned and were not returned (countedByWindowRule).
            CASE WHEN c.window_days IS NOT NULL THEN (
              SELECT (CASE WHEN c.rule_kind = 'DISTINCT_PARTNERS' THEN count(DISTINCT e.partner_id) ELSE count(DISTINCT l.category_code) END)::int
                FROM earns e JOIN transfers t ON t.id = coalesce(e.settle_transfer_id, e.transfer_id)
                     LEFT JOIN earn_lines l ON c.rule_kind = 'DISTINCT_CATEGORIES' AND l.earn_id = e.transfer_id
                                           AND l.returned_at IS NULL AND l.points > 0
               WHERE e.member_id = m.id AND e.status = 'POSTED' AND e.refunded_amount_minor < e.purchase_amount_minor
                 AND (c.coalition_wide OR e.partner_id = c.funder_partner_id)
                 AND t.created_at >= greatest(c.starts_at, cur.at - c.window_days * interval '1 day') AND t.created_at <= cur.at
                 AND t.created_at > coalesce((SELECT max(gt.created_at) FROM campaign_grants g JOIN earns ge ON ge.transfer_id = g.earn_id
                                                JOIN transfers gt ON gt.id = coalesce(ge.settle_transfer_id, ge.transfer_id)
                                               WHERE g.campaign_id = c.id AND g.member_id = m.id), '-infinity'))
            ELSE 0 END AS distinct_count
       FROM cur, members m,
            (SELECT ${CAMPAIGN_COLUMNS} FROM campaigns
              WHERE status = 'ACTIVE' AND starts_at <= now() AND ends_at > now() AND budget_left_points > 0
                AND ($3::uuid IS NULL OR funder_partner_id = $3 OR coalition_wide) AND ($4::uuid IS NULL OR id = $4)
              ORDER BY id LIMIT ${MAX_CAMPAIGN_CANDIDATES}) c
      WHERE m.id = $1 ORDER BY c.id`,
    [query.memberId, query.earnId, query.partnerId, query.campaignId],
  )) as (CampaignRow & {
    member_tier: string;
    activated: boolean;
    bought_at_funder: boolean;
    shops_in_categories: boolean;
    granted_points: number;
    distinct_count: number;
  })[];
  return rows.map(({ member_tier, activated, bought_at_funder, shops_in_categories, granted_points, distinct_count, ...campaign }) => ({
    campaign,
    facts: {
      tier: member_tier,
      activated,
      boughtAtFunder: bought_at_funder,
      shopsInCategories: shops_in_categories,
      grantedPoints: granted_points,
      distinctCount: distinct_count,
    },
  }));
}

// ---------------------------------------------------------------------------------------------
// Offers: what a member may use

/** Most offers Member.offers lists. */
export const MAX_OFFERS_LISTED = 100;

export interface MemberOffer {
  campaign: CampaignRow;
  activated: boolean;
  /** What is left of the member's cap; null when the campaign has none. */
  capLeftPoints: number | null;
}

function asOffer({ campaign, facts }: Candidate): MemberOffer {
  return {
    campaign,
    activated: facts.activated,
    capLeftPoints: campaign.per_member_cap_points === null ? null : campaign.per_member_cap_points - facts.grantedPoints,
  };
}

/**
 * The campaigns a member may use now: active, in their window, with budget left, targeting the
 * member (tier, new customers, shoppers of categories) and with cap left; each with whether the
 * member activated it (an opt-in offer grants only then). The member itself and the operator.
 */
export async function offersFor(deps: LedgerDeps, caller: Caller, memberId: string): Promise<MemberOffer[]> {
  requireMemberItselfOrOperator(caller, memberId, 'read offers');
  const candidates = await campaignsWithFacts(deps.dataSource.manager, { memberId, partnerId: null, earnId: null, campaignId: null });
  return candidates
    .filter(({ campaign, facts }) => targetsMember(campaign, facts))
    .map(asOffer)
    .filter((offer) => offer.capLeftPoints === null || offer.capLeftPoints > 0)
    .sort((a, b) => a.campaign.starts_at.getTime() - b.campaign.starts_at.getTime() || (a.campaign.id < b.campaign.id ? -1 : 1))
    .slice(0, MAX_OFFERS_LISTED);
}

/**
 * A member activates an opt-in offer ("activate this coupon") before its purchase. Activating
 * twice changes nothing, so a retry needs no key. Only an ACTIVE campaign, in its window, with budget
 * left, that targets the member, can be activated.
 */
export async function activateOffer(
  deps: LedgerDeps,
  caller: Caller,
  input: { memberId: string; campaignId: string },
): Promise<MemberOffer> {
  const memberId = checkId(input.memberId, 'memberId');
  const campaignId = checkId(input.campaignId, 'campaignId');
  requireMemberItselfOrOperator(caller, memberId, 'activate offers');
  await deps.dataSource.transaction(async (manager) => {
    const member = await lockMember(manager, memberId);
    const tier = await refreshTier(manager, member);
    const [found] = await campaignsWithFacts(manager, { memberId, partnerId: null, earnId: null, campaignId });
    if (!found) throw notFound(`No active campaign with id ${campaignId}`);
    if (!found.campaign.opt_in) throw badInput('The campaign applies without activation');
    if (!targetsMember(found.campaign, { ...found.facts, tier })) throw forbidden('The offer is not for this member');
    await manager.query('INSERT INTO campaign_activations (campaign_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      campaignId,
      memberId,
    ]);
  });
  const offer = (await offersFor(deps, caller, memberId)).find((o) => o.campaign.id === campaignId);
  if (!offer) throw badInput('The offer has no cap left for the member');
  return offer;
}

// ---------------------------------------------------------------------------------------------
// Evaluation at earn time

export interface BonusGrant {
  campaignId: string;
  funderPartnerId: string;
  points: number;
  transferId: string;
}

/**
 * Grants the bonuses of the active campaigns that apply to an earn whose points the member now has
 * (an immediate earn, or a pending one as it posts), in that transaction, after the member's lock.
 * The campaigns it may draw from are locked in id order (the lock order every earn keeps: member,
 * then campaigns, so two earns never wait on each other crosswise) and their budget read under the
 * lock; the earn itself always succeeds.
 */
export async function grantBonuses(
  manager: EntityManager,
  earn: {
    earnId: string;
    memberId: string;
    partnerId: string;
    tier: string;
    /** The points the earn posted: its one line when it has no basket. */
    points: number;
    createdBy: string;
    lotExpiresAt: Date;
  },
): Promise<BonusGrant[]> {
  const candidates = (
    await campaignsWithFacts(manager, { memberId: earn.memberId, partnerId: earn.partnerId, earnId: earn.earnId, campaignId: null })
  )
    .map(({ campaign, facts }) => ({ campaign, facts: { ...facts, tier: earn.tier } }))
    .filter(appliesTo)
    .slice(0, MAX_CAMPAIGNS_PER_EARN);
  if (candidates.length === 0) return [];
  // The member's facts hold under its lock; a campaign's status and budget may have moved since the
  // read above, so they are read again under the campaign's lock.
  const locked = (await manager.query(
    `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns
      WHERE id = ANY ($1::uuid[]) AND status = 'ACTIVE' AND starts_at <= now() AND ends_at > now() ORDER BY id FOR UPDATE`,
    [candidates.map((c) => c.campaign.id)],
  )) as CampaignRow[];
  const current = new Map(locked.map((campaign) => [campaign.id, campaign]));
  const fresh = candidates.flatMap(({ campaign, facts }) => {
    const row = current.get(campaign.id);
    return row ? [{ campaign: row, facts }] : [];
  });

  const lines = (await earnedLines(manager, [earn])).get(earn.earnId);
  assertInvariant(lines, `earn ${earn.earnId} has its lines`);
  const grants: BonusGrant[] = [];
  for (const { campaign, points } of decideBonuses(fresh, lines)) {
    const [[debited]] = (await manager.query(
      `UPDATE campaigns SET budget_left_points = budget_left_points - $2 WHERE id = $1 AND budget_left_points >= $2
       RETURNING budget_left_points::int AS budget_left_points`,
      [campaign.id, points],
    )) as [{ budget_left_points: number }[], number];
    assertInvariant(debited, `campaign ${campaign.id}'s locked budget covers ${points} points`);
    const { transferId } = await post(manager, {
      kind: 'BONUS',
      // The funder's issuance pays: settlement bills the funder, not the partner the purchase was at.
      from: issuanceAccount(campaign.funder_partner_id),
      to: memberAccount(earn.memberId),
      points,
      partnerId: campaign.funder_partner_id,
      reference: `campaign ${campaign.id}`.slice(0, MAX_REFERENCE_LENGTH),
      createdBy: earn.createdBy,
      lotExpiresAt: earn.lotExpiresAt,
      campaignId: campaign.id,
    });
    await announceBonus(manager, 'campaign.bonus_granted', {
      campaign: { ...campaign, budget_left_points: debited.budget_left_points },
      memberId: earn.memberId,
      bonusTransferId: transferId,
      points,
    });
    await announceBudgetLow(manager, campaign.id);
    await manager.query('INSERT INTO campaign_grants (earn_id, campaign_id, member_id, transfer_id, points) VALUES ($1, $2, $3, $4, $5)', [
      earn.earnId,
      campaign.id,
      earn.memberId,
      transferId,
      points,
    ]);
    grants.push({ campaignId: campaign.id, funderPartnerId: campaign.funder_partner_id, points, transferId });
  }
  return grants;
}

/**
 * A refund reverses an earn's bonuses in the same proportion as its base points: after refunds
 * totalling R of a purchase P, floor(B x R / P) of a bonus B has been taken back in all (a full
 * refund takes back exactly B). What is taken back returns to the campaign's budget and frees the
 * member's cap. Returns, per bonus, the points to take back now; the caller posts them (REVERSAL
 * from what the member still has, CLAWBACK for the rest) to the funder's issuance.
 */
export async function bonusesToReverse(
  manager: EntityManager,
  earnId: string,
  refundedTotalMinor: number,
  purchaseAmountMinor: number,
): Promise<{ campaignId: string; funderPartnerId: string; bonusTransferId: string; points: number }[]> {
  const grants = (await manager.query(
    `SELECT g.campaign_id, c.funder_partner_id, g.member_id, g.transfer_id, g.points::int AS points, g.reversed_points::int AS reversed_points
       FROM campaign_grants g JOIN campaigns c ON c.id = g.campaign_id WHERE g.earn_id = $1 ORDER BY g.campaign_id FOR UPDATE OF c`,
    [earnId],
  )) as {
    campaign_id: string;
    funder_partner_id: string;
    member_id: string;
    transfer_id: string;
    points: number;
    reversed_points: number;
  }[];
  const result = [];
  for (const grant of grants) {
    const reversedTotal = Number((BigInt(grant.points) * BigInt(refundedTotalMinor)) / BigInt(purchaseAmountMinor));
    const points = reversedTotal - grant.reversed_points;
    if (points <= 0) continue;
    await manager.query('UPDATE campaign_grants SET reversed_points = $3 WHERE earn_id = $1 AND campaign_id = $2', [
      earnId,
      grant.campaign_id,
      reversedTotal,
    ]);
    const [[credited]] = (await manager.query(
      `UPDATE campaigns SET budget_left_points = budget_left_points + $2 WHERE id = $1 RETURNING ${CAMPAIGN_COLUMNS}`,
      [grant.campaign_id, points],
    )) as [CampaignRow[], number];
    assertInvariant(credited, `campaign ${grant.campaign_id} of a grant exists`);
    await announceBonus(manager, 'campaign.bonus_reversed', {
      campaign: credited,
      memberId: grant.member_id,
      bonusTransferId: grant.transfer_id,
      points,
    });
    result.push({ campaignId: grant.campaign_id, funderPartnerId: grant.funder_partner_id, bonusTransferId: grant.transfer_id, points });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// A campaign's events: what the funder's systems hear (settlement's webhooks, the gateway's
// campaignChanged subscription)

/** The low-budget notice goes out when what is left falls below this share of the budget, in thousandths. */
export const BUDGET_LOW_PERMILLE = 100;

/**
 * Appends one of the campaign's events to the outbox, in the caller's transaction, with the
 * campaign's next event number: the caller holds the campaign's row lock (setCampaignStatus and
 * grantBonuses and bonusesToReverse take it FOR UPDATE), so numbers have no gaps, as a member's
 * have under its lock.
 */
async function appendCampaignEvent(manager: EntityManager, campaignId: string, event: CampaignEvent): Promise<void> {
  const [[row]] = (await manager.query(
    'UPDATE campaigns SET last_event_sequence = last_event_sequence + 1 WHERE id = $1 RETURNING last_event_sequence',
    [campaignId],
  )) as [{ last_event_sequence: number }[], number];
  assertInvariant(row, `campaign ${campaignId} exists`);
  await appendEvent(manager, {
    type: event.type,
    memberId: campaignId,
    memberSequence: row.last_event_sequence,
    payload: event.payload as unknown as Record<string, unknown>,
  });
}

/** `campaign.activated`, as the campaign becomes ACTIVE (each time it does). */
async function announceActivation(manager: EntityManager, campaign: CampaignRow): Promise<void> {
  await appendCampaignEvent(manager, campaign.id, {
    type: 'campaign.activated',
    payload: {
      version: LEDGER_EVENT_VERSION,
      campaignId: campaign.id,
      funderPartnerId: campaign.funder_partner_id,
      coalitionWide: campaign.coalition_wide,
      startsAt: campaign.starts_at.toISOString(),
      endsAt: campaign.ends_at.toISOString(),
      budgetPoints: campaign.budget_points,
      budgetLeftPoints: campaign.budget_left_points,
    },
  });
}

/** `campaign.paused` or `campaign.ended`, as the campaign leaves its status for that one. */
async function announceStatus(manager: EntityManager, campaign: CampaignRow, status: 'PAUSED' | 'ENDED'): Promise<void> {
  await appendCampaignEvent(manager, campaign.id, {
    type: status === 'PAUSED' ? 'campaign.paused' : 'campaign.ended',
    payload: {
      version: LEDGER_EVENT_VERSION,
      campaignId: campaign.id,
      funderPartnerId: campaign.funder_partner_id,
      from: campaign.status,
      budgetPoints: campaign.budget_points,
      budgetLeftPoints: campaign.budget_left_points,
    },
  });
}

/** A bonus granted, or taken back by a refund, with the campaign as it stands after it. */
async function announceBonus(
  manager: EntityManager,
  type: 'campaign.bonus_granted' | 'campaign.bonus_reversed',
  bonus: { campaign: CampaignRow; memberId: string; bonusTransferId: string; points: number },
): Promise<void> {
  const { campaign } = bonus;
  await appendCampaignEvent(manager, campaign.id, {
    type,
    payload: {
      version: LEDGER_EVENT_VERSION,
      campaignId: campaign.id,
      funderPartnerId: campaign.funder_partner_id,
      memberId: bonus.memberId,
      bonusTransferId: bonus.bonusTransferId,
      points: bonus.points,
      status: campaign.status,
      budgetPoints: campaign.budget_points,
      budgetLeftPoints: campaign.budget_left_points,
    },
  });
}

/**
 * `campaign.budget_low`, once per campaign: after a grant leaves less than BUDGET_LOW_PERMILLE of
 * the budget. Marked in the same statement that checks it, so it is sent once even when refunds
 * lift the budget back above the threshold and later grants take it below again.
 */
async function announceBudgetLow(manager: EntityManager, campaignId: string): Promise<void> {
  const [[low]] = (await manager.query(
    `UPDATE campaigns SET budget_low_announced_at = now()
      WHERE id = $1 AND budget_low_announced_at IS NULL AND budget_left_points * 1000 < budget_points * $2
      RETURNING funder_partner_id, budget_points::int AS budget_points, budget_left_points::int AS budget_left_points`,
    [campaignId, BUDGET_LOW_PERMILLE],
  )) as [{ funder_partner_id: string; budget_points: number; budget_left_points: number }[], number];
  if (!low) return;
  await appendCampaignEvent(manager, campaignId, {
    type: 'campaign.budget_low',
    payload: {
      version: LEDGER_EVENT_VERSION,
      campaignId,
      funderPartnerId: low.funder_partner_id,
      budgetPoints: low.budget_points,
      budgetLeftPoints: low.budget_left_points,
      thresholdPermille: BUDGET_LOW_PERMILLE,
    },
  });
}

/** The most events one read of a campaign's stream returns. */
export const MAX_CAMPAIGN_EVENTS_PER_READ = 100;

/** One of a campaign's events as its funder reads it, with the campaign's state after it. */
export interface CampaignEventView {
  /** The campaign as it is now. */
  campaign: CampaignRow;
  sequence: number;
  occurredAt: Date;
  type: CampaignEventType;
  /** The campaign's status after the event. */
  status: CampaignStatus;
  /** Bonus points granted or taken back; null for the other events. */
  points: number | null;
  /** What was left of the budget after the event. */
  budgetLeftPoints: number;
}

function statusAfter(event: CampaignEvent): CampaignStatus {
  switch (event.type) {
    // Written by the activation itself, or by a grant, which only an ACTIVE campaign makes.
    case 'campaign.activated':
    case 'campaign.budget_low':
      return 'ACTIVE';
    case 'campaign.paused':
      return 'PAUSED';
    case 'campaign.ended':
      return 'ENDED';
    case 'campaign.bonus_granted':
    case 'campaign.bonus_reversed':
      return event.payload.status as CampaignStatus;
  }
}

/**
 * A campaign's events after `afterSequence`, oldest first, at most `first` (1 to
 * MAX_CAMPAIGN_EVENTS_PER_READ): for its funder and the operator, refused to anyone else exactly as
 * the campaign itself is (campaignById), so the stream shows no more than `campaign(id)` does.
 */
export async function campaignEventsAfter(
  deps: LedgerDeps,
  caller: Caller,
  input: { campaignId: string; afterSequence: number; first: number },
): Promise<CampaignEventView[]> {
  const campaign = await campaignById(deps, caller, input.campaignId);
  if (!Number.isInteger(input.afterSequence) || input.afterSequence < 0) throw badInput('afterSequence must be 0 or more');
  if (!Number.isInteger(input.first) || input.first < 1 || input.first > MAX_CAMPAIGN_EVENTS_PER_READ) {
    throw badInput(`first must be between 1 and ${MAX_CAMPAIGN_EVENTS_PER_READ}`);
  }
  const rows = (await deps.dataSource.query(
    `SELECT type, member_sequence AS sequence, payload, occurred_at AS "occurredAt"
       FROM outbox_events WHERE member_id = $1 AND member_sequence > $2 ORDER BY member_sequence LIMIT $3`,
    [campaign.id, input.afterSequence, input.first],
  )) as { type: string; sequence: number; payload: Record<string, unknown>; occurredAt: Date }[];
  return rows.map(({ type, sequence, payload, occurredAt }) => {
    const event = readCampaignEvent(type, payload);
    assertInvariant(event, `campaign ${campaign.id}'s event ${sequence} is a campaign event (${type})`);
    const points = event.type === 'campaign.bonus_granted' || event.type === 'campaign.bonus_reversed' ? event.payload.points : null;
    return {
      campaign,
      sequence,
      occurredAt,
      type: event.type,
      status: statusAfter(event),
      points,
      budgetLeftPoints: event.payload.budgetLeftPoints,
    };
  });
}

/**
 * Where a campaign's stream stands, for its funder and the operator: how many events it has is a
 * measure of its activity, which a member seeing the campaign among its offers is not shown.
 */
export function lastCampaignEventSequence(caller: Caller, campaign: CampaignRow): number {
  actingPartner(caller, campaign.funder_partner_id, 'read campaign events');
  return campaign.last_event_sequence;
}

/** One of a campaign's events by its sequence number, for its funder and the operator; NOT_FOUND when there is none. */
export async function campaignEventAt(
  deps: LedgerDeps,
  caller: Caller,
  input: { campaignId: string; sequence: number },
): Promise<CampaignEventView> {
  const valid = Number.isInteger(input.sequence) && input.sequence >= 1;
  const [event] = await campaignEventsAfter(deps, caller, {
    campaignId: input.campaignId,
    afterSequence: valid ? input.sequence - 1 : 0,
    first: 1,
  });
  if (!valid || !event || event.sequence !== input.sequence) throw notFound(`Campaign ${input.campaignId} has no event ${input.sequence}`);
  return event;
}

// ---------------------------------------------------------------------------------------------
// Simulation: replaying past purchases through a campaign

/** Longest period a simulation replays, and most purchases: a simulation runs in one request. */
export const MAX_SIMULATION_DAYS = 92;
export const MAX_SIMULATED_PURCHASES = 50_000;

export interface CampaignSimulation {
  campaignId: string;
  from: Date;
  to: Date;
  purchasesReplayed: number;
  bonusPoints: number;
  membersReached: number;
  purchasesBonused: number;
  budgetExhausted: boolean;
  /** bonusPoints at the funder's issue price now, rounded as settlement rounds a statement line; null with no contract. */
  estimatedCostMinor: bigint | null;
  costCurrency: string | null;
  issuePriceMicrosPerPoint: number | null;
}

interface ReplayedPurchase {
  earn_id: string;
  member_id: string;
  partner_id: string;
  points: number;
  /** When the earn was made (its transfer), what "earlier purchase" compares. */
  earned_at: Date;
  /** When its points were posted (its own transfer, or the posting of a pending earn): when it is replayed, what windows compare. */
  counted_at: Date;
  tier: string;
}

/**
 * What the campaign would have granted on the purchases of [from, to), as if it had been ACTIVE the
 * whole period (from stands for its start) with its whole budget and nothing granted yet. Each
 * purchase goes through `decideBonuses`, the earn's own decision, in the order the ledger posted
 * them, with the member's facts rebuilt from the ledger as it is now: the member's tier today, its
 * purchases at the funder (voided ones left out), every targeted member having activated an opt-in
 * campaign, other campaigns' exclusive bonuses as they were granted; refunds made since are not
 * replayed. Its cost is the bonus points at the funder's issue price in force now (settlement's,
 * asked over the internal call, never copied here), rounded once like the BONUS line of a
 * statement. The funder and the operator.
 */
export async function simulateCampaign(
  deps: LedgerDeps,
  caller: Caller,
  input: { campaignId: string; from: Date | string; to: Date | string },
): Promise<CampaignSimulation> {
  const campaign = await campaignById(deps, caller, input.campaignId);
  const from = checkDate(input.from, 'from');
  const to = checkDate(input.to, 'to');
  if (to <= from) throw badInput('to must be after from');
  if (to.getTime() - from.getTime() > MAX_SIMULATION_DAYS * DAY_MS)
    throw badInput(`A simulation replays at most ${MAX_SIMULATION_DAYS} days`);
  const db = deps.dataSource;
  const purchases = (await db.query(
    `SELECT e.transfer_id AS earn_id, e.member_id, e.partner_id, e.points::int AS points,
            et.created_at AS earned_at, t.created_at AS counted_at, m.tier
       FROM earns e JOIN transfers t ON t.id = coalesce(e.settle_transfer_id, e.transfer_id)
            JOIN transfers et ON et.id = e.transfer_id JOIN members m ON m.id = e.member_id
      WHERE e.status = 'POSTED' AND t.created_at >= $1 AND t.created_at < $2 AND ($3::uuid IS NULL OR e.partner_id = $3)
      ORDER BY t.created_at, e.transfer_id LIMIT ${MAX_SIMULATED_PURCHASES + 1}`,
    [from, to, campaign.coalition_wide ? null : campaign.funder_partner_id],
  )) as ReplayedPurchase[];
  if (purchases.length > MAX_SIMULATED_PURCHASES) {
    throw badInput(`The period has more than ${MAX_SIMULATED_PURCHASES} purchases; simulate a shorter one`);
  }
  const earnIds = purchases.map((p) => p.earn_id);
  const memberIds = [...new Set(purchases.map((p) => p.member_id))];
  const linesOf = await earnedLines(
    db,
    purchases.map((p) => ({ earnId: p.earn_id, points: p.points })),
  );
  // When each member first bought at the funder, and first bought there in the targeted categories.
  const history = (await db.query(
    `SELECT e.member_id, min(t.created_at) AS first_at,
            min(t.created_at) FILTER (WHERE EXISTS (SELECT 1 FROM earn_lines l WHERE l.earn_id = e.transfer_id AND l.returned_at IS NULL
                                                      AND l.category_code = ANY ($3::text[]))) AS first_category_at
       FROM earns e JOIN transfers t ON t.id = e.transfer_id
      WHERE e.member_id = ANY ($1::uuid[]) AND e.partner_id = $2 AND e.status <> 'VOIDED' GROUP BY e.member_id`,
    [memberIds, campaign.funder_partner_id, campaign.shopper_category_codes],
  )) as { member_id: string; first_at: Date; first_category_at: Date | null }[];
  const historyOf = new Map(history.map((h) => [h.member_id, h]));
  const fixedRows = (await db.query(
    `SELECT g.earn_id, g.campaign_id, g.points::int AS points FROM campaign_grants g JOIN campaigns c ON c.id = g.campaign_id
      WHERE g.earn_id = ANY ($1::uuid[]) AND g.campaign_id <> $2 AND c.exclusive`,
    [earnIds, campaign.id],
  )) as { earn_id: string; campaign_id: string; points: number }[];
  const fixedOf = new Map<string, FixedBonus[]>();
  for (const { earn_id, campaign_id, points } of fixedRows) {
    fixedOf.set(earn_id, [...(fixedOf.get(earn_id) ?? []), { campaignId: campaign_id, exclusive: true, points }]);
  }

  const replayed: CampaignRow = { ...campaign, budget_left_points: campaign.budget_points };
  const grantedTo = new Map<string, number>();
  /** Per member: its purchases that may count towards a window rule's grant, and its last bonused purchase. */
  const counted = new Map<string, ReplayedPurchase[]>();
  const lastBonusAt = new Map<string, Date>();
  let bonusPoints = 0;
  let purchasesBonused = 0;
  for (const purchase of purchases) {
    const mine = [...(counted.get(purchase.member_id) ?? []), purchase];
    counted.set(purchase.member_id, mine);
    const first = historyOf.get(purchase.member_id);
    const windowStart = Math.max(from.getTime(), purchase.counted_at.getTime() - (campaign.window_days ?? 0) * DAY_MS);
    const since = lastBonusAt.get(purchase.member_id)?.getTime() ?? -Infinity;
    const facts: MemberFacts = {
      tier: purchase.tier,
      activated: true,
      boughtAtFunder: first !== undefined && first.first_at < purchase.earned_at,
      shopsInCategories: first?.first_category_at != null && first.first_category_at < purchase.earned_at,
      grantedPoints: grantedTo.get(purchase.member_id) ?? 0,
      distinctCount: new Set(
        mine
          .filter((p) => p.counted_at.getTime() >= windowStart && p.counted_at.getTime() > since)
          .flatMap((p) => countedByWindowRule(campaign.rule_kind, { partnerId: p.partner_id, lines: linesOf.get(p.earn_id) ?? [] })),
      ).size,
    };
    const lines = linesOf.get(purchase.earn_id);
    assertInvariant(lines, `earn ${purchase.earn_id} has its lines`);
    const [bonus] = decideBonuses([{ campaign: replayed, facts }], lines, fixedOf.get(purchase.earn_id));
    if (!bonus) continue;
    replayed.budget_left_points -= bonus.points;
    grantedTo.set(purchase.member_id, facts.grantedPoints + bonus.points);
    lastBonusAt.set(purchase.member_id, purchase.counted_at);
    bonusPoints += bonus.points;
    purchasesBonused += 1;
  }
  const terms = await deps.partners.partnerTerms(campaign.funder_partner_id);
  const price = terms.issuePriceMicrosPerPoint;
  return {
    campaignId: campaign.id,
    from,
    to,
    purchasesReplayed: purchases.length,
    bonusPoints,
    membersReached: grantedTo.size,
    purchasesBonused,
    budgetExhausted: replayed.budget_left_points === 0,
    estimatedCostMinor: price === null ? null : pointsToMinor(BigInt(bonusPoints), BigInt(price), terms.currency),
    costCurrency: price === null ? null : terms.currency,
    issuePriceMicrosPerPoint: price,
  };
}
