import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { readAuditForService } from '../../shared/audit';
import { notFound } from '../../shared/errors';
import { decodeCursor, pageSize, toConnection } from '../../shared/pagination';
import { DateTime, Long } from '../../shared/scalars';
import { checkId } from '../../shared/validation';
import type { MemberRow, ReservationRow, TransferKind, TransferRow } from './entities';
import type { CampaignEventType, Resolvers } from './generated/graphql';
import { confirmPendingEarn, earnPoints, reverseEarn, voidPendingEarn } from './earning';
import { enrollMember } from './enrollment';
import { expiringLots, ledgerEventsAfter, ledgerFloat, ledgerHead, ledgerTotals, memberStanding } from './feed';
import { runMaintenance } from './maintenance';
import {
  callingMember,
  listMembers,
  memberEventAt,
  memberEventsAfter,
  pseudonymFor,
  readableMember,
  transactionPartnerScope,
  visibleDisplayName,
  visiblePersonalData,
  watchableMember,
  type MemberTransaction,
} from './reads';
import { postReservation, refundReservation, reservePoints, voidReservation } from './reservations';
import { adjustPoints, burnPoints, transferPoints } from './spending';
import type { TierLevel } from './tiers';
import { tierFor } from './tiers';
import { memberConsents, setConsent } from './consents';
import { setExcludedCategories } from './basket';
import {
  activateOffer,
  campaignById,
  campaignEventAt,
  campaignEventsAfter,
  campaignOfBonus,
  campaignReport,
  lastCampaignEventSequence,
  createCampaign,
  listCampaigns,
  offersFor,
  setCampaignStatus,
  simulateCampaign,
  type CampaignEventView,
  type CampaignInput,
  type ListedCampaign,
} from './campaigns';
import { createCheckoutToken } from './checkout';
import { checkoutTokenForPinForService, resetPin, setPin } from './pins';
import { claimMatchedBy, confirmClaim, listClaims, rejectClaim, submitClaim, type ClaimRow } from './claims';
import { recordedPurchase, recordPurchase } from './purchases';
import { memberByIdentifier, reissueCard, resolveReferenceForService, setPhoneNumber, verifyPhoneNumber } from './identifiers';

/** A partner as the members subgraph knows it: only its key. Settlement resolves the rest. */
export interface PartnerRef {
  id: string;
}

const memberCursor = (m: MemberRow) => [m.enrolledAt.toISOString(), m.id];
const claimCursor = (c: ClaimRow) => [c.createdAt.toISOString(), c.id];
const CAMPAIGN_EVENT_TYPE_NAMES: Record<CampaignEventView['type'], CampaignEventType> = {
  'campaign.activated': 'ACTIVATED',
  'campaign.paused': 'PAUSED',
  'campaign.ended': 'ENDED',
  'campaign.budget_low': 'BUDGET_LOW',
  'campaign.bonus_granted': 'BONUS_GRANTED',
  'campaign.bonus_reversed': 'BONUS_REVERSED',
};
const campaignCursor = (c: ListedCampaign) => [c.created_at.toISOString(), c.id];
const transactionCursor = (t: MemberTransaction) => [t.transfer.createdAt.toISOString(), t.transfer.id];

/** Member fields that read the member's figures (loaders.figures). */
const FIGURE_FIELDS: ReadonlySet<string> = new Set(['balance', 'tier']);

/**
 * Whether the field being resolved selects one of `names` directly (through fragments too), so
 * that its value can be read together with what they will need.
 */
function selectsAnyOf(info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean {
  const visit = (selectionSet: SelectionSetNode | undefined): boolean =>
    selectionSet?.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return names.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    }) ?? false;
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/** A row the core just wrote or referenced must exist; its absence is a bug, not a caller's error. */
function present<T>(row: T | null): T {
  if (row === null) throw new Error('a row written or referenced in this request could not be read back');
  return row;
}

const reservationView = (r: ReservationRow) => ({
  id: r.id,
  status: r.status,
  points: Number(r.points),
  redeemTransferId: r.status === 'POSTED' || r.status === 'REFUNDED' ? r.settleTransferId : null,
});

/** Resolvers only translate GraphQL to calls of the members core (the ledger's topic modules, reads.ts, consents.ts). */
export const resolvers: Resolvers = {
  DateTime,
  Long,
  Query: {
    membersAuditLog: (_root, args, { caller, ledger }) => readAuditForService(ledger.dataSource.manager, caller, 'members', args),
    me: (_root, _args, { caller, loaders }) => callingMember(caller, loaders.member),
    member: async (_root, { id }, { caller, loaders }, info) => {
      // A wallet reads the member and then its balance and tier: read them in one statement.
      const members = selectsAnyOf(info, FIGURE_FIELDS) ? loaders.memberWithFigures : loaders.member;
      const member = await readableMember(caller, members, id);
      if (!member) throw notFound(`No member with id ${id}`);
      return member;
    },
    memberEvent: async (_root, { memberId, sequence }, { caller, ledger, loaders }) =>
      memberEventAt(ledger.dataSource, (await watchableMember(caller, loaders.member, memberId)).id, sequence),
    memberEvents: async (_root, { memberId, afterSequence, first }, { caller, ledger, loaders }) => {
      const member = await watchableMember(caller, loaders.member, memberId);
      return memberEventsAfter(ledger.dataSource, member.id, afterSequence, first ?? 100);
    },
    lastMemberEventSequence: async (_root, { memberId }, { caller, loaders }) =>
      (await watchableMember(caller, loaders.member, memberId)).lastEventSequence,
    members: async (_root, { first, after }, { caller, ledger }) => {
      const limit = pageSize(first);
      return toConnection(await listMembers(ledger.dataSource, caller, null, limit, decodeCursor(after, 2)), limit, memberCursor);
    },
    ledgerTotals: async (_root, { from, to, uptoPosition }, { caller, ledger }) =>
      (await ledgerTotals(ledger.dataSource, caller, from, to, uptoPosition)).map((t) => ({
        kind: t.kind as TransferKind,
        memberCredited: t.memberCredited,
        points: t.points,
      })),
    ledgerFloat: (_root, { uptoPosition, before }, { caller, ledger }) => ledgerFloat(ledger.dataSource, caller, uptoPosition, before),
    memberByIdentifier: async (_root, { kind, value }, { caller, ledger, loaders }) =>
      present(await loaders.member.load(await memberByIdentifier(ledger, caller, kind, value))),
    resolveMemberReference: async (_root, { reference, partnerId }, { caller, ledger }) =>
      (await resolveReferenceForService(ledger, caller, reference, partnerId ?? null)).memberId,
    campaign: (_root, { id }, { caller, ledger }) => campaignById(ledger, caller, id),
    campaignEvents: (_root, { campaignId, afterSequence, first }, { caller, ledger }) =>
      campaignEventsAfter(ledger, caller, { campaignId, afterSequence, first: first ?? 100 }),
    campaignEvent: (_root, args, { caller, ledger }) => campaignEventAt(ledger, caller, args),
    campaigns: async (_root, { partnerId, status, first, after }, { caller, ledger }) => {
      const limit = pageSize(first);
      const filter = { partnerId: partnerId ?? null, status: status ?? null, limit, after: decodeCursor(after, 2) };
      return toConnection(await listCampaigns(ledger, caller, filter), limit, campaignCursor);
    },
    campaignSimulation: (_root, args, { caller, ledger }) => simulateCampaign(ledger, caller, args),
    memberStanding: (_root, { memberId }, { caller, ledger }) => memberStanding(ledger, caller, memberId),
    ledgerHead: (_root, _args, { caller, ledger }) => ledgerHead(ledger.dataSource, caller),
    expiringLots: (_root, args, { caller, ledger }) => expiringLots(ledger.dataSource, caller, args),
    purchaseClaims: async (_root, { memberId, partnerId, status, first, after }, { caller, ledger }) => {
      const limit = pageSize(first);
      const filter = {
        memberId: memberId ?? null,
        partnerId: partnerId ?? null,
        status: status ?? null,
        limit,
        after: decodeCursor(after, 2),
      };
      return toConnection(await listClaims(ledger, caller, filter), limit, claimCursor);
    },
    ledgerEvents: (_root, { afterPosition, first, publishPendingFirst }, { caller, ledger }) =>
      ledgerEventsAfter(ledger, caller, afterPosition, first, publishPendingFirst ?? false),
  },
  Campaign: {
    funderPartnerId: (c) => c.funder_partner_id,
    ruleKind: (c) => c.rule_kind,
    coalitionWide: (c) => c.coalition_wide,
    optIn: (c) => c.opt_in,
    extraPermille: (c) => c.extra_permille,
    bonusPoints: (c) => c.bonus_points,
    categoryCodes: (c) => c.category_codes,
    distinctPartners: (c) => c.distinct_partners,
    distinctCategories: (c) => c.distinct_categories,
    windowDays: (c) => c.window_days,
    newCustomersOnly: (c) => c.new_customers_only,
    shopperCategoryCodes: (c) => c.shopper_category_codes,
    startsAt: (c) => c.starts_at,
    endsAt: (c) => c.ends_at,
    perMemberCapPoints: (c) => c.per_member_cap_points,
    budgetPoints: (c) => c.budget_points,
    budgetLeftPoints: (c) => c.budget_left_points,
    report: (c, _args, { caller, ledger }) => campaignReport(ledger, caller, c),
    lastEventSequence: (c, _args, { caller }) => lastCampaignEventSequence(caller, c),
  },
  Mutation: {
    enrollMember: async (_root, { input }, { caller, ledger, loaders }) =>
      present(await loaders.member.load(await enrollMember(ledger, caller, input))),
    earnPoints: async (_root, { input }, { caller, ledger, loaders }) => {
      const { transferId, transfer } = await earnPoints(ledger, caller, input);
      return present(transfer ?? (await loaders.transfer.load(transferId)));
    },
    confirmPendingEarn: async (_root, { input }, { caller, ledger, loaders }) =>
      present(await loaders.transfer.load(await confirmPendingEarn(ledger, caller, input))),
    voidPendingEarn: async (_root, { input }, { caller, ledger, loaders }) =>
      present(await loaders.transfer.load(await voidPendingEarn(ledger, caller, input))),
    reverseEarn: async (_root, { input }, { caller, ledger, loaders }) => {
      const reversal = await reverseEarn(ledger, caller, input);
      return {
        pointsReversed: reversal.pointsReversed,
        pointsClawedBack: reversal.pointsClawedBack,
        transfers: (await loaders.transfer.loadMany(reversal.transferIds)).map((t) => present(t instanceof Error ? null : t)),
        member: present(await loaders.member.load(reversal.memberId)),
      };
    },
    transferPoints: async (_root, { input }, { caller, ledger, loaders }) =>
      present(await loaders.transfer.load(await transferPoints(ledger, caller, input))),
    burnPoints: async (_root, { input }, { caller, ledger, loaders }) => {
      const burn = await burnPoints(ledger, caller, input);
      return {
        transfer: present(await loaders.transfer.load(burn.transferId)),
        valueMinor: burn.valueMinor,
        currency: burn.currency,
        cash: burn.cash,
      };
    },
    setExcludedCategories: (_root, args, { caller, ledger }) => setExcludedCategories(ledger, caller, args),
    createCampaign: (_root, { input }, { caller, ledger }) => createCampaign(ledger, caller, input as CampaignInput),
    setCampaignStatus: (_root, args, { caller, ledger }) => setCampaignStatus(ledger, caller, args),
    activateOffer: (_root, args, { caller, ledger }) => activateOffer(ledger, caller, args),
    createCheckoutToken: (_root, { input }, { caller, ledger }) => createCheckoutToken(ledger, caller, input),
    checkoutTokenForPin: (_root, args, { caller, ledger }) => checkoutTokenForPinForService(ledger, caller, args),
    setPin: async (_root, args, { caller, ledger, loaders }) => present(await loaders.member.load(await setPin(ledger, caller, args))),
    resetPin: async (_root, { memberId }, { caller, ledger, loaders }) =>
      present(await loaders.member.load(await resetPin(ledger, caller, memberId))),
    claimMissingPoints: (_root, { input }, { caller, ledger }) => submitClaim(ledger, caller, input),
    recordPurchase: (_root, { input }, { caller, ledger }) => recordPurchase(ledger, caller, input),
    confirmPurchaseClaim: (_root, { claimId }, { caller, ledger }) => confirmClaim(ledger, caller, claimId),
    rejectPurchaseClaim: (_root, { claimId, reason }, { caller, ledger }) => rejectClaim(ledger, caller, claimId, reason),
    reissueCard: async (_root, args, { caller, ledger, loaders }) => {
      await reissueCard(ledger, caller, args);
      return present(await loaders.member.load(checkId(args.memberId, 'memberId')));
    },
    setPhoneNumber: async (_root, args, { caller, ledger, loaders }) =>
      present(await loaders.member.load(await setPhoneNumber(ledger, caller, args))),
    verifyPhoneNumber: async (_root, { memberId }, { caller, ledger, loaders }) =>
      present(await loaders.member.load(await verifyPhoneNumber(ledger, caller, memberId))),
    grantConsent: async (_root, { memberId, partnerId }, { caller, ledger, loaders }) =>
      present(await loaders.member.load(await setConsent(ledger, caller, { memberId, partnerId, granted: true }))),
    revokeConsent: async (_root, { memberId, partnerId }, { caller, ledger, loaders }) =>
      present(await loaders.member.load(await setConsent(ledger, caller, { memberId, partnerId, granted: false }))),
    adjustPoints: async (_root, { input }, { caller, ledger, loaders }) =>
      present(await loaders.transfer.load(await adjustPoints(ledger, caller, input))),
    runLedgerMaintenance: (_root, _args, { caller, ledger }) => runMaintenance(ledger, caller),
    reservePoints: async (_root, { input }, { caller, ledger, loaders }) =>
      reservationView(present(await loaders.reservation.load(await reservePoints(ledger, caller, input)))),
    postReservation: async (_root, { reservationId }, { caller, ledger, loaders }) =>
      reservationView(present(await loaders.reservation.load(await postReservation(ledger, caller, reservationId)))),
    voidReservation: async (_root, { reservationId }, { caller, ledger, loaders }) =>
      reservationView(present(await loaders.reservation.load(await voidReservation(ledger, caller, reservationId)))),
    refundReservation: async (_root, { reservationId }, { caller, ledger, loaders }) =>
      reservationView(present(await loaders.reservation.load(await refundReservation(ledger, caller, reservationId)))),
  },
  Member: {
    __resolveReference: (reference, { caller, loaders }) => readableMember(caller, loaders.member, reference.id),
    enrolledVia: (member) => ({ id: member.enrolledViaPartnerId }),
    offers: (member, _args, { caller, ledger }) => offersFor(ledger, caller, member.id),
    displayName: (member, _args, { caller, loaders, pseudonymSecret }) =>
      visibleDisplayName(caller, member, () => loaders.consents.load(member.id), pseudonymSecret),
    email: (member, _args, { caller, loaders }) =>
      visiblePersonalData(
        caller,
        member,
        () => loaders.consents.load(member.id),
        () => member.email,
      ),
    cardNumber: (member, _args, { caller, loaders }) =>
      visiblePersonalData(
        caller,
        member,
        () => loaders.consents.load(member.id),
        () => loaders.activeCard.load(member.id),
      ),
    phoneNumber: (member, _args, { caller, loaders }) =>
      visiblePersonalData(
        caller,
        member,
        () => loaders.consents.load(member.id),
        () => member.phoneE164,
      ),
    phoneNumberVerified: async (member, _args, { caller, loaders }) =>
      member.phoneE164 === null
        ? null
        : visiblePersonalData(
            caller,
            member,
            () => loaders.consents.load(member.id),
            () => member.phoneVerifiedAt !== null,
          ),
    pinSet: (member, _args, { caller, loaders }) =>
      visiblePersonalData(
        caller,
        member,
        () => loaders.consents.load(member.id),
        () => loaders.pinSet.load(member.id),
      ),
    pseudonym: (member, _args, { caller, pseudonymSecret }) => pseudonymFor(pseudonymSecret, member.id, caller),
    consents: async (member, _args, { caller, loaders }) =>
      (await memberConsents(caller, member.id, () => loaders.consents.load(member.id))).map((id) => ({ id })),
    balance: async (member, _args, { loaders }) => (await loaders.figures.load(member.id)).balance,
    tier: async (member, _args, { loaders }) => tierFor((await loaders.figures.load(member.id)).qualifyingPoints),
    transactions: async (member, { first, after, kinds, partnerId, from, to }, { caller, loaders }) => {
      const limit = pageSize(first);
      const filter = {
        kinds: kinds ?? null,
        partnerId: transactionPartnerScope(caller, member.id, partnerId ? checkId(partnerId, 'partnerId') : null),
        from: from ? new Date(from) : null,
        to: to ? new Date(to) : null,
        limit,
        after: decodeCursor(after, 2),
      };
      const connection = toConnection(await loaders.transactions.load({ parent: member.id, options: filter }), limit, transactionCursor);
      return {
        pageInfo: connection.pageInfo,
        edges: connection.edges.map(({ cursor, node }) => ({
          cursor,
          node: node.transfer,
          availablePointsDelta: node.availablePointsDelta,
          pendingPointsDelta: node.pendingPointsDelta,
        })),
      };
    },
  },
  Partner: {
    __resolveReference: (reference) => ({ id: reference.id }),
    members: async (partner, { first, after }, { caller, ledger }) => {
      const limit = pageSize(first);
      return toConnection(await listMembers(ledger.dataSource, caller, partner.id, limit, decodeCursor(after, 2)), limit, memberCursor);
    },
  },
  CheckoutToken: {
    member: async (token, _args, { loaders }) => present(await loaders.member.load(token.memberId)),
    partner: (token) => (token.partnerId ? { id: token.partnerId } : null),
  },
  PurchaseClaim: {
    member: async (claim, _args, { loaders }) => present(await loaders.member.load(claim.memberId)),
    partner: (claim) => ({ id: claim.partnerId }),
    earn: (claim, _args, { loaders }) => (claim.earnTransferId ? loaders.transfer.load(claim.earnTransferId) : null),
    matchedPurchase: (claim, _args, { ledger }) => (claim.matchedPurchaseId ? recordedPurchase(ledger, claim.matchedPurchaseId) : null),
  },
  RecordedPurchase: {
    partner: (purchase) => ({ id: purchase.partnerId }),
    claim: (purchase, _args, { ledger }) => claimMatchedBy(ledger, purchase.id),
  },
  MembersAuditEntry: {
    details: (entry) => JSON.stringify(entry.details),
  },
  LedgerTransfer: {
    points: (transfer) => Number(transfer.points),
    member: async (transfer, _args, { loaders }) => present(await loaders.member.load(transfer.memberId)),
    counterpartyMember: (transfer, _args, { loaders }) =>
      transfer.counterpartyMemberId ? loaders.member.load(transfer.counterpartyMemberId) : null,
    partner: (transfer: TransferRow) => (transfer.partnerId ? { id: transfer.partnerId } : null),
  },
  Subscription: {
    balanceChanged: {
      // Subscriptions are served by the gateway (gateway/subscriptions.ts), which resolves each
      // event through memberEvent; a subgraph never streams.
      subscribe: () => {
        throw new Error('balanceChanged is served by the gateway over graphql-ws');
      },
    },
    campaignChanged: {
      // The same: the gateway resolves each event through campaignEvent.
      subscribe: () => {
        throw new Error('campaignChanged is served by the gateway over graphql-ws');
      },
    },
  },
  CampaignEvent: {
    type: (event) => CAMPAIGN_EVENT_TYPE_NAMES[event.type],
  },
  BalanceEvent: {
    type: (event) => (event.type === 'tier.changed' ? 'TIER_CHANGED' : 'BALANCE_CHANGED'),
    kind: (event) => (event.type === 'balance.changed' ? event.payload.kind : null),
    delta: (event) => (event.type === 'balance.changed' ? event.payload.availableDelta : 0),
    pendingDelta: (event) => (event.type === 'balance.changed' ? event.payload.pendingDelta : 0),
    reason: (event) =>
      event.type === 'tier.changed'
        ? `tier ${event.payload.from} to ${event.payload.to}`
        : event.payload.kind.toLowerCase().replace(/_/g, ' '),
    balance: (event) => (event.type === 'balance.changed' ? event.payload.balance : null),
    tierFrom: (event) => (event.type === 'tier.changed' ? (event.payload.from as TierLevel) : null),
    tierTo: (event) => (event.type === 'tier.changed' ? (event.payload.to as TierLevel) : null),
    partner: (event) => (event.type === 'balance.changed' && event.payload.partnerId ? { id: event.payload.partnerId } : null),
    campaign: (event, _args, { ledger }) =>
      event.type === 'balance.changed' && event.payload.campaignId ? campaignOfBonus(ledger, event.payload.campaignId) : null,
    member: async (event, _args, { loaders }) => present(await loaders.member.load(event.memberId)),
  },
  LedgerEvent: {
    payload: (event) => JSON.stringify(event.payload),
    memberEnrolledViaPartnerId: async (event, _args, { loaders }) =>
      (await loaders.member.load(event.memberId))?.enrolledViaPartnerId ?? null,
  },
};
