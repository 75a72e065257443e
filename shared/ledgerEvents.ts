import { assertInvariant } from './errors';

/**
 * The ledger's event contract: what the members subgraph writes to its outbox and what its
 * consumers (settlement, the gateway's subscriptions, the member event feed) read. One module, so
 * a writer and a reader cannot drift apart, and a new transfer kind is a compile error in every
 * consumer that must decide what to do with it (settlement maps kinds with a Record over
 * TransferKind).
 *
 * Versioning: every payload carries `version`. A change that adds an optional field keeps the
 * version; any other change is a new version that readers handle beside the old one, since the
 * outbox keeps old events and consumers replay from their checkpoints. Events written before
 * versions existed are version 1 (the same shape). A new transfer kind keeps the version: stored
 * events read as before, and every consumer is in this repository and must map the kind to
 * compile (BONUS came this way); an unknown kind fails readLedgerEvent loudly.
 */
export const LEDGER_EVENT_VERSION = 1;

/** Who holds points: members' three accounts, each partner's two, and the coalition's two. */
export const ACCOUNT_KINDS = [
  'MEMBER',
  'MEMBER_PENDING',
  'MEMBER_RESERVED',
  'PARTNER_ISSUANCE',
  'PARTNER_REDEMPTION',
  'BREAKAGE',
  'ADJUSTMENT',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Every kind of transfer the ledger records (subgraphs/members/LEDGER.md has who moves what). */
export const TRANSFER_KINDS = [
  'EARN',
  'EARN_PENDING',
  'EARN_POST',
  'EARN_VOID',
  'REVERSAL',
  'CLAWBACK',
  'RESERVE',
  'REDEEM',
  'RELEASE',
  'REDEEM_REFUND',
  'BURN',
  'TRANSFER',
  'ADJUSTMENT',
  'EXPIRY',
  'BONUS',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** A member's three balances, in points, after the transfer an event reports. */
export interface MemberBalances {
  availablePoints: number;
  pendingPoints: number;
  reservedPoints: number;
}

/** Points spent at a partner, by the partner whose customers earned them (null: granted points). */
export interface PointsOrigin {
  partnerId: string | null;
  points: number;
}

/** `balance.changed`: one per member a transfer touches (a gift between two members: two). */
export interface BalanceChangedPayload {
  version: typeof LEDGER_EVENT_VERSION;
  transferId: string;
  kind: TransferKind;
  /** The partner the transfer is at (earns, refunds, redemptions, burns); null otherwise. */
  partnerId: string | null;
  /** Points the transfer moved (always positive). */
  points: number;
  /** Changes of this member's balances, in points; they sum to what the transfer moved in or out. */
  availableDelta: number;
  pendingDelta: number;
  reservedDelta: number;
  /**
   * Change of this member's clawback debt, in points: + by a clawback's overdraft, - by what a
   * credit repaid. availableDelta already nets it (available = lots - debt); the books read it to
   * show debt as of any event. Events written before it existed carry none and read as 0.
   */
  clawbackDebtDelta?: number;
  /** For points spent at a partner or given back to it: which partners' customers earned them. */
  origins?: PointsOrigin[];
  /**
   * For a transfer that undoes an earlier one (a refund's REVERSAL or CLAWBACK of an earn, the
   * REDEEM_REFUND of a cancelled redemption): when the event it undoes happened, as an ISO instant.
   * Settlement prices it with the contract in force then, exactly like the event it reverses.
   */
  reversesEventAt?: string;
  /**
   * For a transfer that undoes an earlier one: the kind of that transfer. Settlement puts the
   * reversal of a campaign's BONUS on the funder's bonus line rather than beside earned points.
   * Events written before it existed carry none: their reversals count as reversals of earns.
   */
  reversesKind?: TransferKind;
  /** For a BONUS: the campaign that granted it (its funder is partnerId). */
  campaignId?: string;
  /**
   * When what the transfer records happened, as an ISO instant, for a transfer written later than
   * that: the earn of a confirmed claim of missing points, as of its purchase. Settlement books the
   * event in that instant's period while it is still open (else in the next open one, late); the
   * event's own time still prices it and places it in reconciliation. Absent: the event's time.
   */
  effectiveAt?: string;
  balance: MemberBalances;
}

/** `tier.changed`: the member's tier moved after a transfer changed its qualifying points. */
export interface TierChangedPayload {
  version: typeof LEDGER_EVENT_VERSION;
  from: string;
  to: string;
  qualifyingPoints: number;
}

export type LedgerEvent =
  { type: 'balance.changed'; payload: BalanceChangedPayload } | { type: 'tier.changed'; payload: TierChangedPayload };
export type LedgerEventType = LedgerEvent['type'];

/** `campaign.activated`: a campaign became ACTIVE (from DRAFT, or again after a pause). */
export interface CampaignActivatedPayload {
  version: typeof LEDGER_EVENT_VERSION;
  campaignId: string;
  funderPartnerId: string;
  coalitionWide: boolean;
  startsAt: string;
  endsAt: string;
  budgetPoints: number;
  budgetLeftPoints: number;
}

/** `campaign.budget_low`: what is left of a campaign's budget fell below its threshold; once per campaign. */
export interface CampaignBudgetLowPayload {
  version: typeof LEDGER_EVENT_VERSION;
  campaignId: string;
  funderPartnerId: string;
  budgetPoints: number;
  budgetLeftPoints: number;
  /** The threshold, in thousandths of the budget (100: 10%). */
  thresholdPermille: number;
}

/** `campaign.paused` and `campaign.ended`: the funder or the operator moved the campaign's status. */
export interface CampaignStatusPayload {
  version: typeof LEDGER_EVENT_VERSION;
  campaignId: string;
  funderPartnerId: string;
  /** The status it left (ENDED may follow DRAFT, ACTIVE or PAUSED). */
  from: string;
  budgetPoints: number;
  budgetLeftPoints: number;
}

/**
 * `campaign.bonus_granted`: a BONUS transfer of the campaign; `campaign.bonus_reversed`: a refund took
 * back part of one (REVERSAL and CLAWBACK together). The member's own stream has the transfers; this
 * is the campaign's account of its budget, in its own order.
 */
export interface CampaignBonusPayload {
  version: typeof LEDGER_EVENT_VERSION;
  campaignId: string;
  funderPartnerId: string;
  memberId: string;
  /** The BONUS transfer granted, or the one a reversal takes back from. */
  bonusTransferId: string;
  /** Points granted, or taken back (always positive). */
  points: number;
  /** The campaign's status then: ACTIVE for a grant; a refund may come after a pause or the end. */
  status: string;
  budgetPoints: number;
  /** What is left of the budget after the grant, or after the points taken back returned to it. */
  budgetLeftPoints: number;
}

/**
 * A campaign's own events. They are not a member's: the outbox keeps them in a stream keyed by the
 * campaign's id (in the member_id column, numbered under the campaign's row lock), so a member's
 * events and balance subscription never see them, while every outbox consumer (the relay, the
 * internal feed, settlement's webhook fan-out, the gateway's ledger watcher) carries them unchanged.
 */
export type CampaignEvent =
  | { type: 'campaign.activated'; payload: CampaignActivatedPayload }
  | { type: 'campaign.budget_low'; payload: CampaignBudgetLowPayload }
  | { type: 'campaign.paused' | 'campaign.ended'; payload: CampaignStatusPayload }
  | { type: 'campaign.bonus_granted' | 'campaign.bonus_reversed'; payload: CampaignBonusPayload };
export type CampaignEventType = CampaignEvent['type'];

export const CAMPAIGN_EVENT_TYPES: readonly CampaignEventType[] = [
  'campaign.activated',
  'campaign.budget_low',
  'campaign.paused',
  'campaign.ended',
  'campaign.bonus_granted',
  'campaign.bonus_reversed',
];
const isCampaignEventType = (type: string): type is CampaignEventType => CAMPAIGN_EVENT_TYPES.includes(type as CampaignEventType);

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const isTransferKind = (value: unknown): value is TransferKind => TRANSFER_KINDS.includes(value as TransferKind);

/**
 * Reads a stored ledger event against the contract, failing loudly on a payload that does not
 * match it (a consumer must never book a guessed figure). Returns null for event types the ledger
 * does not define, which a consumer skips.
 */
export function readLedgerEvent(type: string, payload: Record<string, unknown>): LedgerEvent | null {
  const version = payload.version ?? 1;
  assertInvariant(version === LEDGER_EVENT_VERSION, `ledger event ${type} has version ${String(version)}; this reader knows 1`);
  if (type === 'balance.changed') {
    const p = payload as Partial<BalanceChangedPayload>;
    assertInvariant(
      typeof p.transferId === 'string' &&
        isTransferKind(p.kind) &&
        isInteger(p.points) &&
        isInteger(p.availableDelta) &&
        isInteger(p.pendingDelta) &&
        isInteger(p.reservedDelta) &&
        (p.clawbackDebtDelta === undefined || isInteger(p.clawbackDebtDelta)) &&
        (p.partnerId === null || p.partnerId === undefined || typeof p.partnerId === 'string') &&
        typeof p.balance === 'object' &&
        p.balance !== null &&
        (p.origins === undefined || (Array.isArray(p.origins) && p.origins.every((o) => isInteger(o.points)))) &&
        (p.reversesEventAt === undefined || !Number.isNaN(Date.parse(p.reversesEventAt))) &&
        (p.reversesKind === undefined || isTransferKind(p.reversesKind)) &&
        (p.campaignId === undefined || typeof p.campaignId === 'string') &&
        (p.effectiveAt === undefined || !Number.isNaN(Date.parse(p.effectiveAt))),
      `balance.changed event of transfer ${String(p.transferId)} matches the contract`,
    );
    return { type, payload: { ...(p as BalanceChangedPayload), version: LEDGER_EVENT_VERSION, partnerId: p.partnerId ?? null } };
  }
  if (isCampaignEventType(type)) return null; // readCampaignEvent's
  if (type === 'tier.changed') {
    const p = payload as Partial<TierChangedPayload>;
    assertInvariant(
      typeof p.from === 'string' && typeof p.to === 'string' && isInteger(p.qualifyingPoints),
      'tier.changed event matches the contract',
    );
    return { type, payload: { ...(p as TierChangedPayload), version: LEDGER_EVENT_VERSION } };
  }
  return null;
}

/**
 * Reads a stored campaign event against the contract, failing loudly on one that does not match;
 * null for any other type (a member's ledger events are readLedgerEvent's).
 */
export function readCampaignEvent(type: string, payload: Record<string, unknown>): CampaignEvent | null {
  if (!isCampaignEventType(type)) return null;
  const version = payload.version ?? 1;
  assertInvariant(version === LEDGER_EVENT_VERSION, `campaign event ${type} has version ${String(version)}; this reader knows 1`);
  const p = payload as Partial<CampaignActivatedPayload & CampaignBudgetLowPayload & CampaignStatusPayload & CampaignBonusPayload>;
  const matches = (fields: boolean) =>
    assertInvariant(
      typeof p.campaignId === 'string' &&
        typeof p.funderPartnerId === 'string' &&
        isInteger(p.budgetPoints) &&
        isInteger(p.budgetLeftPoints) &&
        fields,
      `${type} event of campaign ${String(p.campaignId)} matches the contract`,
    );
  const read = { ...p, version: LEDGER_EVENT_VERSION };
  switch (type) {
    case 'campaign.activated':
      matches(typeof p.coalitionWide === 'boolean' && typeof p.startsAt === 'string' && typeof p.endsAt === 'string');
      return { type, payload: read as CampaignActivatedPayload };
    case 'campaign.budget_low':
      matches(isInteger(p.thresholdPermille));
      return { type, payload: read as CampaignBudgetLowPayload };
    case 'campaign.paused':
    case 'campaign.ended':
      matches(typeof p.from === 'string');
      return { type, payload: read as CampaignStatusPayload };
    case 'campaign.bonus_granted':
    case 'campaign.bonus_reversed':
      matches(
        typeof p.memberId === 'string' &&
          typeof p.bonusTransferId === 'string' &&
          isInteger(p.points) &&
          p.points > 0 &&
          typeof p.status === 'string',
      );
      return { type, payload: read as CampaignBonusPayload };
  }
}
