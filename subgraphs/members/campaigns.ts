import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { actingPartner, partnerScope, requireMemberItselfOrOperator, requireSignedIn } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { assertInvariant, badInput, forbidden, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { checkId, checkText } from '../../shared/validation';
import { MAX_POINTS_PER_TRANSFER, MAX_REFERENCE_LENGTH, type LedgerDeps } from './ledger';
import { issuanceAccount, memberAccount, post } from './postings';
import { refreshTier, TIERS, type TierLevel } from './tiers';
import { lockMember } from './postings';
import { appendEvent } from '../../shared/outbox';
import { LEDGER_EVENT_VERSION, type CampaignEvent } from '../../shared/ledgerEvents';

/**
 * Coalition campaigns: promotions a partner funds and the coalition grants at earn time. The rule
 * catalogue, the budget and the per-member cap live here and nowhere else; earning.ts calls
 * `grantBonuses` inside the earn's transaction (after the member's lock) and `reverseBonuses`
 * inside a refund's. CAMPAIGNS.md beside this file is the reader's guide.
 */

export type CampaignRuleKind = 'SPEND_MULTIPLIER' | 'PURCHASE_BONUS' | 'LINE_BONUS' | 'FIRST_PURCHASE';
export type CampaignStatus = 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'ENDED';

export const MAX_CAMPAIGN_NAME_LENGTH = 120;
export const MAX_CAMPAIGN_CODES = 100;
/** At most 10x extra points on top of what the purchase earns. */
export const MAX_EXTRA_PERMILLE = 10_000;
export const MAX_CAMPAIGN_BUDGET_POINTS = 1_000_000_000;
/** Campaigns one earn may draw from: bounds the rows an earn locks. */
export const MAX_CAMPAIGNS_PER_EARN = 20;

/** A purchase as campaigns see it: its lines (a purchase without lines is one line, of no category). */
export interface EarnedLine {
  sku: string | null;
  categoryCode: string | null;
  excluded: boolean;
  /** What the line earned at the contract rate and the tier's multiplier. */
  points: number;
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
  starts_at: Date;
  ends_at: Date;
  per_member_cap_points: number | null;
  budget_points: number;
  budget_left_points: number;
  status: CampaignStatus;
}

const CAMPAIGN_COLUMNS = `id, funder_partner_id, name, rule_kind, coalition_wide, exclusive, opt_in, extra_permille, bonus_points::int AS bonus_points,
  category_codes, skus, tiers, starts_at, ends_at, per_member_cap_points::int AS per_member_cap_points,
  budget_points::int AS budget_points, budget_left_points::int AS budget_left_points, status`;

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
  switch (input.ruleKind) {
    case 'SPEND_MULTIPLIER':
      if (!extraPermille || bonusPoints) throw badInput('A SPEND_MULTIPLIER campaign takes extraPermille and no bonusPoints');
      break;
    case 'PURCHASE_BONUS':
    case 'FIRST_PURCHASE':
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
  return { extraPermille: extraPermille ?? 0, bonusPoints: bonusPoints ?? 0, categoryCodes, skus };
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
  const startsAt = checkDate(input.startsAt, 'startsAt');
  const endsAt = checkDate(input.endsAt, 'endsAt');
  if (endsAt <= startsAt) throw badInput('endsAt must be after startsAt');
  const perMemberCapPoints = wholeNumber(input.perMemberCapPoints, 'perMemberCapPoints', 1, MAX_CAMPAIGN_BUDGET_POINTS);
  const budgetPoints = wholeNumber(input.budgetPoints, 'budgetPoints', 1, MAX_CAMPAIGN_BUDGET_POINTS)!;
  const id = randomUUID();
  await deps.dataSource.transaction(async (manager) => {
    await manager.query(
      `INSERT INTO campaigns (id, funder_partner_id, name, rule_kind, coalition_wide, exclusive, extra_permille, bonus_points, category_codes,
                              skus, tiers, starts_at, ends_at, per_member_cap_points, budget_points, budget_left_points, status, created_by, opt_in)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, 'DRAFT', $16, $17)`,
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
  await deps.dataSource.transaction(async (manager) => {
    const [campaign] = (await manager.query(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1 FOR UPDATE`, [
      campaignId,
    ])) as CampaignRow[];
    if (!campaign) throw notFound(`No campaign with id ${campaignId}`);
    actingPartner(caller, campaign.funder_partner_id, 'manage campaigns');
    if (campaign.status === input.status) return;
    if (!NEXT_STATUSES[campaign.status].includes(input.status)) {
      throw badInput(`A ${campaign.status} campaign cannot become ${input.status}`);
    }
    if (input.status === 'ACTIVE' && campaign.coalition_wide && caller.kind !== 'operator') {
      throw forbidden('Only the operator may approve a coalition-wide campaign');
    }
    await manager.query('UPDATE campaigns SET status = $2 WHERE id = $1', [campaignId, input.status]);
    await auditOperatorAction(manager, caller, 'setCampaignStatus', campaignId, { from: campaign.status, to: input.status });
    if (input.status === 'ACTIVE') await announceActivation(manager, campaign);
  });
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
}

/**
 * The funder's figures for its campaign: bonus points granted and taken back by refunds, distinct
 * members and purchases that got a bonus, what is left of the budget. The funder and the operator
 * only; a member that sees the campaign among its offers does not see this.
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
  return {
    grantedPoints: row.granted,
    reversedPoints: row.reversed,
    membersReached: row.members,
    bonusedPurchases: row.purchases,
    budgetLeftPoints: row.budget_left,
  };
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

/**
 * The campaigns a member may use now: active, in their window, with budget left, for its tier, and
 * with cap left; each with whether the member activated it (an opt-in offer grants only then).
 * The member itself and the operator.
 */
export async function offersFor(deps: LedgerDeps, caller: Caller, memberId: string): Promise<MemberOffer[]> {
  requireMemberItselfOrOperator(caller, memberId, 'read offers');
  const rows = (await deps.dataSource.query(
    `SELECT c.*, (a.member_id IS NOT NULL) AS activated,
            (SELECT coalesce(sum(g.points - g.reversed_points), 0)::int FROM campaign_grants g
              WHERE g.campaign_id = c.id AND g.member_id = m.id) AS granted
       FROM members m
       JOIN (SELECT ${CAMPAIGN_COLUMNS} FROM campaigns
              WHERE status = 'ACTIVE' AND starts_at <= now() AND ends_at > now() AND budget_left_points > 0) c
         ON cardinality(c.tiers) = 0 OR m.tier = ANY(c.tiers)
       LEFT JOIN campaign_activations a ON a.campaign_id = c.id AND a.member_id = m.id
      WHERE m.id = $1 ORDER BY c.starts_at, c.id LIMIT ${MAX_OFFERS_LISTED}`,
    [memberId],
  )) as (CampaignRow & { activated: boolean; granted: number })[];
  return rows
    .map(({ activated, granted, ...campaign }) => ({
      campaign,
      activated,
      capLeftPoints: campaign.per_member_cap_points === null ? null : campaign.per_member_cap_points - granted,
    }))
    .filter((offer) => offer.capLeftPoints === null || offer.capLeftPoints > 0);
}

/**
 * A member activates an opt-in offer ("activate this coupon") before its purchase. Activating
 * twice changes nothing, so a retry needs no key. Only an ACTIVE campaign, in its window, for the
 * member's tier, can be activated.
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
    const [campaign] = (await manager.query(
      `SELECT opt_in, tiers FROM campaigns WHERE id = $1 AND status = 'ACTIVE' AND starts_at <= now() AND ends_at > now()`,
      [campaignId],
    )) as { opt_in: boolean; tiers: string[] }[];
    if (!campaign) throw notFound(`No active campaign with id ${campaignId}`);
    if (!campaign.opt_in) throw badInput('The campaign applies without activation');
    if (campaign.tiers.length > 0 && !campaign.tiers.includes(tier)) throw forbidden(`The offer is not for ${tier} members`);
    await manager.query('INSERT INTO campaign_activations (campaign_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      campaignId,
      memberId,
    ]);
  });
  const offer = (await offersFor(deps, caller, memberId)).find((o) => o.campaign.id === campaignId);
  if (!offer) throw badInput('The offer has no budget or cap left for the member');
  return offer;
}

// ---------------------------------------------------------------------------------------------
// Evaluation at earn time

/** What a campaign's rule grants for a purchase, before caps and budget. Pure integer arithmetic. */
export function ruleBonus(
  campaign: Pick<CampaignRow, 'rule_kind' | 'extra_permille' | 'bonus_points' | 'category_codes' | 'skus'>,
  lines: readonly EarnedLine[],
): number {
  // Excluded categories never earn a bonus either, and a line that earned nothing carries none.
  const eligible = lines.filter((line) => !line.excluded && line.points > 0);
  if (eligible.length === 0) return 0;
  const extra = (line: EarnedLine) => Math.floor((line.points * campaign.extra_permille) / 1000);
  switch (campaign.rule_kind) {
    case 'SPEND_MULTIPLIER':
      return eligible.reduce((sum, line) => sum + extra(line), 0);
    case 'PURCHASE_BONUS':
    case 'FIRST_PURCHASE':
      return campaign.bonus_points;
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

export interface BonusGrant {
  campaignId: string;
  funderPartnerId: string;
  points: number;
  transferId: string;
}

/**
 * Grants the bonuses of the active campaigns that apply to an immediate earn, in the earn's
 * transaction, after the member's lock (the lock order every earn keeps: member, then campaigns in
 * id order, so two earns never wait on each other crosswise). Precedence: if any exclusive
 * campaign grants something, only the exclusive campaign granting most applies (ties: lowest id);
 * otherwise every non-exclusive campaign adds up. Each bonus is cut to what is left of the member's
 * cap and of the budget; a bonus cut to nothing is skipped, and the earn itself always succeeds.
 */
export async function grantBonuses(
  manager: EntityManager,
  earn: {
    earnId: string;
    memberId: string;
    partnerId: string;
    tier: string;
    lines: readonly EarnedLine[];
    createdBy: string;
    lotExpiresAt: Date;
  },
): Promise<BonusGrant[]> {
  const campaigns = (await manager.query(
    `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns
      WHERE status = 'ACTIVE' AND starts_at <= now() AND ends_at > now() AND budget_left_points > 0
        AND (funder_partner_id = $1 OR coalition_wide) AND (cardinality(tiers) = 0 OR $2 = ANY(tiers))
        AND (NOT opt_in OR EXISTS (SELECT 1 FROM campaign_activations a WHERE a.campaign_id = campaigns.id AND a.member_id = $3))
      ORDER BY id LIMIT ${MAX_CAMPAIGNS_PER_EARN} FOR UPDATE`,
    [earn.partnerId, earn.tier, earn.memberId],
  )) as CampaignRow[];
  if (campaigns.length === 0) return [];
  const wanted: { campaign: CampaignRow; points: number }[] = [];
  for (const campaign of campaigns) {
    let points = ruleBonus(campaign, earn.lines);
    if (points > 0 && campaign.rule_kind === 'FIRST_PURCHASE') {
      // The earn's own row is already written: a first purchase is the member's only earn there.
      const [row] = (await manager.query(
        `SELECT count(*)::int AS earns FROM earns WHERE member_id = $1 AND partner_id = $2 AND status <> 'VOIDED'`,
        [earn.memberId, campaign.funder_partner_id],
      )) as { earns: number }[];
      if ((row?.earns ?? 0) > 1) points = 0;
    }
    if (points > 0) wanted.push({ campaign, points });
  }
  const exclusive = wanted.filter((w) => w.campaign.exclusive).sort((a, b) => b.points - a.points)[0];
  const applying = exclusive ? [exclusive] : wanted;

  const grants: BonusGrant[] = [];
  for (const { campaign, points: rulePoints } of applying) {
    let points = Math.min(rulePoints, campaign.budget_left_points, MAX_POINTS_PER_TRANSFER);
    if (campaign.per_member_cap_points !== null) {
      const [row] = (await manager.query(
        `SELECT coalesce(sum(points - reversed_points), 0)::int AS granted FROM campaign_grants WHERE campaign_id = $1 AND member_id = $2`,
        [campaign.id, earn.memberId],
      )) as { granted: number }[];
      points = Math.min(points, campaign.per_member_cap_points - (row?.granted ?? 0));
    }
    if (points <= 0) continue;
    const [, updated] = (await manager.query(
      'UPDATE campaigns SET budget_left_points = budget_left_points - $2 WHERE id = $1 AND budget_left_points >= $2',
      [campaign.id, points],
    )) as [unknown, number];
    assertInvariant(updated === 1, `campaign ${campaign.id}'s locked budget covers ${points} points`);
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
    `SELECT g.campaign_id, c.funder_partner_id, g.transfer_id, g.points::int AS points, g.reversed_points::int AS reversed_points
       FROM campaign_grants g JOIN campaigns c ON c.id = g.campaign_id WHERE g.earn_id = $1 ORDER BY g.campaign_id FOR UPDATE OF c`,
    [earnId],
  )) as { campaign_id: string; funder_partner_id: string; transfer_id: string; points: number; reversed_points: number }[];
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
    await manager.query('UPDATE campaigns SET budget_left_points = budget_left_points + $2 WHERE id = $1', [grant.campaign_id, points]);
    result.push({ campaignId: grant.campaign_id, funderPartnerId: grant.funder_partner_id, bonusTransferId: grant.transfer_id, points });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// A campaign's events: what the funder's systems hear (settlement's webhooks)

/** The low-budget notice goes out when what is left falls below this share of the budget, in thousandths. */
export const BUDGET_LOW_PERMILLE = 100;

/**
 * Appends one of the campaign's events to the outbox, in the caller's transaction, with the
 * campaign's next event number: the caller holds the campaign's row lock (setCampaignStatus and
 * grantBonuses take it FOR UPDATE), so numbers have no gaps, as a member's have under its lock.
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
