import { randomUUID } from 'node:crypto';
import { signToken } from '../../gateway/credentials';
import { DEMO_PARTNERS } from '../../shared/demo';
import type { GraphQLResponse } from '../../scripts/gatewayClient';
import { checkoutToken, dataOf, errorCode, gatewayUrl, gql, OPERATOR } from '../support/helpers';
import { subscribe, wsClient } from '../support/subscriptionClient';

/**
 * The access matrix (docs/DESIGN.md, "Callers"): each caller kind against each sensitive read and write,
 * through the gateway, with the expected allow or deny. "allow" means the field resolved without an
 * access error (a domain refusal such as INSUFFICIENT_POINTS or NOT_FOUND still counts as allowed through);
 * "HIDDEN" that it resolved to null (personal data). Subscriptions are opened over graphql-ws.
 */
/**
 * The members the matrix acts on, its own (enrolled through FreshMart in beforeAll): its writes
 * (adjustments, gifts, consents) must not reach the demo members other test files watch.
 */
const member = { id: '' };
const giftee = { id: '' };
const freshmart = DEMO_PARTNERS[1];
const cinema = DEMO_PARTNERS[3];
const skybridge = DEMO_PARTNERS[4]; // consent cases

type CallerName = 'anonymous' | 'member' | 'ownPartner' | 'otherPartner' | 'operator';
const callers: Record<CallerName, string | undefined> = {
  anonymous: undefined,
  member: undefined, // the member's token, minted in beforeAll
  ownPartner: `demo-partner-${freshmart.code}`,
  otherPartner: `demo-partner-${cinema.code}`,
  operator: 'demo-operator',
};
/** HIDDEN: the field resolved, but to null: personal data a partner may not see. */
type Expectation = 'allow' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'HIDDEN';

interface Case {
  name: string;
  query: string;
  /** The case's variables, for the caller about to run it. */
  variables?: (caller: CallerName) => Record<string, unknown>;
  expect: Record<CallerName, Expectation>;
  /** For value-level protection: the outcome of a response without access errors. */
  outcome?: (response: GraphQLResponse<any>) => Expectation;
}

/** Things the cases act on, made once through the gateway before the matrix runs. */
const fixtures = {
  pendingEarnId: '',
  /** Two pending claims of the member at FreshMart: one the matrix confirms, one it rejects. */
  claimToConfirmId: '',
  claimToRejectId: '',
  rewardId: '',
  apiKeyId: '',
  periodId: '',
  /** A checkout token of the giftee: the wrong member's token for the matrix's member. */
  gifteeToken: '',
  /** Per case and partner caller, its own checkout token of the member, made for FreshMart only. */
  freshmartTokens: { burn: {}, redeem: {} } as Record<'burn' | 'redeem', Partial<Record<CallerName, string>>>,
};
const noSuchId = '00000000-0000-4000-8000-00000000dead';

const key = () => randomUUID();
/** A receipt of the member at FreshMart from yesterday. */
const claimInput = (documentNumber: string) => ({
  memberId: member.id,
  partnerId: freshmart.id,
  documentNumber,
  purchaseAmountMinor: 5_000,
  currency: 'EUR',
  purchasedAt: new Date(Date.now() - 24 * 3600_000).toISOString(),
});
const cases: Case[] = [
  {
    name: "read a member's balance",
    query: `query($id: ID!) { member(id: $id) { balance { availablePoints } } }`,
    variables: () => ({ id: member.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: 'list members',
    query: `{ members(first: 1) { edges { node { id } } } }`,
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: "read a member's consents",
    query: `query($id: ID!) { member(id: $id) { consents { id } } }`,
    variables: () => ({ id: member.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "read a partner's contract",
    query: `query($id: ID!) { partner(id: $id) { contract { currency } } }`,
    variables: () => ({ id: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "read a partner's position",
    query: `query($id: ID!) { partner(id: $id) { position { pointsIssued } } }`,
    variables: () => ({ id: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "list a partner's members",
    query: `query($id: ID!) { partner(id: $id) { members(first: 1) { edges { node { id } } } } }`,
    variables: () => ({ id: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'read the public catalog',
    query: `{ rewards(first: 1) { edges { node { id } } } partners { id } }`,
    expect: { anonymous: 'allow', member: 'allow', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: 'earn points as FreshMart',
    query: `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id } }`,
    variables: () => ({
      input: {
        memberId: member.id,
        partnerId: freshmart.id,
        purchaseAmountMinor: 100,
        currency: 'EUR',
        reference: 'm',
        idempotencyKey: key(),
      },
    }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "adjust a member's points",
    query: `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`,
    variables: () => ({ input: { memberId: member.id, points: 1, reason: 'matrix', idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "give the member's points away",
    query: `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id } }`,
    variables: () => ({ input: { fromMemberId: member.id, toMemberId: giftee.id, points: 1, idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'register a partner',
    query: `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`,
    variables: () => ({
      input: { code: `matrix-${key().slice(0, 8)}`, name: 'M', programName: 'M', category: 'GROCER', idempotencyKey: key() },
    }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'run ledger maintenance',
    query: `mutation { runLedgerMaintenance { lotsExpired } }`,
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'create an API key for FreshMart',
    query: `mutation($p: ID!) { createPartnerApiKey(partnerId: $p, label: "matrix", scopes: [SETTLEMENT_READ]) { key { id } } }`,
    variables: () => ({ p: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "read FreshMart's webhook endpoints",
    query: `query($id: ID!) { partner(id: $id) { webhookEndpoints { id } } }`,
    variables: () => ({ id: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    // Statements are frozen only on stacks of their own, so these endpoints are never called.
    name: 'register a webhook endpoint for FreshMart',
    query: `mutation($p: ID!) { createWebhookEndpoint(input: { partnerId: $p, url: "http://127.0.0.1:9/matrix", eventTypes: [STATEMENT_FROZEN] }) { endpoint { id } } }`,
    variables: () => ({ p: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    // Partners and the operator get through to NOT_FOUND (another partner's delivery looks like none at all).
    name: 'replay a webhook delivery',
    query: `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id } }`,
    variables: () => ({ id: noSuchId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: 'list the coalition webhook endpoints',
    query: `{ coalitionWebhookEndpoints { id } }`,
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "read a member's email",
    query: `query($id: ID!) { member(id: $id) { email } }`,
    variables: () => ({ id: member.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'HIDDEN', operator: 'allow' },
    outcome: (response) => (response.data?.member?.email ? 'allow' : 'HIDDEN'),
  },
  {
    name: "read a member's transactions",
    query: `query($id: ID!) { member(id: $id) { transactions(first: 1) { edges { node { id } } } } }`,
    variables: () => ({ id: member.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: "read a member's events",
    query: `query($id: ID!) { memberEvents(memberId: $id, afterSequence: 0, first: 1) { sequence } }`,
    variables: () => ({ id: member.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'read oneself',
    query: `{ me { id } }`,
    expect: { anonymous: 'allow', member: 'allow', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: "read a partner's contract history",
    query: `query($id: ID!) { partner(id: $id) { contracts { currency } } }`,
    variables: () => ({ id: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "read a partner's statements",
    query: `query($id: ID!) { partner(id: $id) { statements(first: 1) { id } } }`,
    variables: () => ({ id: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "read a partner's API keys",
    query: `query($id: ID!) { partner(id: $id) { apiKeys { id } } }`,
    variables: () => ({ id: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'list settlement periods',
    query: `{ settlementPeriods(first: 1) { id } }`,
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: 'reconcile a period',
    query: `query($p: ID!) { reconciliation(periodId: $p) { balanced } }`,
    variables: () => ({ p: fixtures.periodId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'read the coalition books',
    query: `query($p: ID!) { coalitionBooks(periodId: $p) { balanced } }`,
    variables: () => ({ p: fixtures.periodId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'read points flows',
    query: `query($p: ID!) { pointsFlows(periodId: $p) { points } }`,
    variables: () => ({ p: fixtures.periodId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: 'read coalition analytics',
    // An unknown period: the access rule is checked first, so allowed callers get NOT_FOUND.
    query: `query($p: ID!) { coalitionAnalytics(periodId: $p) { minimumGroupSize } }`,
    variables: () => ({ p: noSuchId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: 'read the audit log',
    query: `{ auditLog(first: 1) { edges { node { id } } } }`,
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'enroll a member',
    // No partnerId: a partner enrolls through itself; the operator must name one (BAD_USER_INPUT, past the access rule).
    query: `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
    variables: () => ({ input: { displayName: 'Matrix', email: `matrix-${key()}@example.test`, idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: "confirm FreshMart's pending earn",
    query: `mutation($input: SettlePendingEarnInput!) { confirmPendingEarn(input: $input) { id } }`,
    variables: () => ({ input: { earnId: fixtures.pendingEarnId, idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'claim missing points of the member at FreshMart',
    // A partner attaches receipts only at itself; the member and the operator name the partner.
    query: `mutation($input: ClaimMissingPointsInput!) { claimMissingPoints(input: $input) { id } }`,
    variables: () => ({ input: claimInput(`matrix-${key()}`) }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'record a purchase made without a member at FreshMart',
    // A partner records only its own purchases; the operator names the partner.
    query: `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`,
    variables: () => ({
      input: {
        partnerId: freshmart.id,
        documentNumber: `matrix-recorded-${key()}`,
        purchaseAmountMinor: 1_500,
        currency: 'EUR',
        purchasedAt: new Date(Date.now() - 3_600_000).toISOString(),
        idempotencyKey: key(),
      },
    }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "confirm the member's claim at FreshMart",
    query: `mutation($c: ID!) { confirmPurchaseClaim(claimId: $c) { status } }`,
    variables: () => ({ c: fixtures.claimToConfirmId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "reject the member's claim at FreshMart",
    query: `mutation($c: ID!) { rejectPurchaseClaim(claimId: $c, reason: "matrix") { status } }`,
    variables: () => ({ c: fixtures.claimToRejectId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "list the member's purchase claims",
    // Another partner is allowed through but sees only claims made at it.
    query: `query($m: ID!) { purchaseClaims(memberId: $m) { edges { node { id } } } }`,
    variables: () => ({ m: member.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: "list FreshMart's purchase claims",
    query: `query($p: ID!) { purchaseClaims(partnerId: $p) { edges { node { id } } } }`,
    variables: () => ({ p: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "void FreshMart's pending earn",
    query: `mutation($input: SettlePendingEarnInput!) { voidPendingEarn(input: $input) { id } }`,
    variables: () => ({ input: { earnId: fixtures.pendingEarnId, idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "refund FreshMart's earn",
    query: `mutation($input: ReverseEarnInput!) { reverseEarn(input: $input) { pointsReversed } }`,
    variables: () => ({ input: { earnId: fixtures.pendingEarnId, refundAmountMinor: 1, reference: 'matrix', idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "pay with the member's points",
    // No partnerId: a partner takes points at its own till; the member and the operator must name
    // one. A partner key alone may not spend a member's points: it needs the member's checkout token.
    query: `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { valueMinor } }`,
    variables: () => ({ input: { memberId: member.id, points: 1, reference: 'matrix', idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "pay with the member's points, presenting another member's checkout token",
    query: `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { valueMinor } }`,
    variables: () => ({
      input: { memberId: member.id, checkoutToken: fixtures.gifteeToken, points: 1, reference: 'matrix', idempotencyKey: key() },
    }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "pay with the member's points, presenting its checkout token made for FreshMart",
    query: `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { valueMinor } }`,
    variables: (caller) => ({
      input: {
        memberId: member.id,
        checkoutToken: fixtures.freshmartTokens.burn[caller] ?? null,
        points: 1,
        reference: 'matrix',
        idempotencyKey: key(),
      },
    }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "set the member's PIN",
    // A secret only the member may know: not even the operator sets it.
    query: `mutation($m: ID!) { setPin(memberId: $m, pin: "4829") { id } }`,
    variables: () => ({ m: member.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'FORBIDDEN' },
  },
  {
    name: "pay with the member's points, presenting a wrong PIN",
    query: `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { valueMinor } }`,
    variables: () => ({ input: { memberId: member.id, pin: '4830', points: 1, reference: 'matrix', idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "pay with the member's points, presenting its PIN",
    // The member at the till with its PIN may pay at any partner (a token is bought for that partner).
    query: `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { valueMinor } }`,
    variables: () => ({ input: { memberId: member.id, pin: '4829', points: 1, reference: 'matrix', idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: "redeem FreshMart's reward for the member, presenting its PIN",
    query: `mutation($m: ID!, $r: ID!, $pin: String, $k: String!) { redeemReward(memberId: $m, rewardId: $r, pin: $pin, idempotencyKey: $k) { id } }`,
    variables: () => ({ m: member.id, r: fixtures.rewardId, pin: '4829', k: key() }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "reset the member's PIN",
    query: `mutation($m: ID!) { resetPin(memberId: $m) { id } }`,
    variables: () => ({ m: member.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'grant consent for the member',
    query: `mutation($m: ID!, $p: ID!) { grantConsent(memberId: $m, partnerId: $p) { id } }`,
    variables: () => ({ m: member.id, p: skybridge.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'revoke consent for the member',
    query: `mutation($m: ID!, $p: ID!) { revokeConsent(memberId: $m, partnerId: $p) { id } }`,
    variables: () => ({ m: member.id, p: skybridge.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'redeem a reward for the member',
    // An unknown reward: the access rule is checked first, allowed callers get NOT_FOUND.
    query: `mutation($m: ID!, $r: ID!, $k: String!) { redeemReward(memberId: $m, rewardId: $r, idempotencyKey: $k) { id } }`,
    variables: () => ({ m: member.id, r: noSuchId, k: key() }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "redeem FreshMart's reward for the member, presenting another member's checkout token",
    // The member lacks the points: a caller let through gets INSUFFICIENT_POINTS, nothing spent.
    query: `mutation($m: ID!, $r: ID!, $t: String, $k: String!) { redeemReward(memberId: $m, rewardId: $r, checkoutToken: $t, idempotencyKey: $k) { id } }`,
    variables: () => ({ m: member.id, r: fixtures.rewardId, t: fixtures.gifteeToken, k: key() }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "redeem FreshMart's reward for the member, presenting its checkout token made for FreshMart",
    query: `mutation($m: ID!, $r: ID!, $t: String, $k: String!) { redeemReward(memberId: $m, rewardId: $r, checkoutToken: $t, idempotencyKey: $k) { id } }`,
    variables: (caller) => ({ m: member.id, r: fixtures.rewardId, t: fixtures.freshmartTokens.redeem[caller] ?? null, k: key() }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'accept a voucher',
    query: `mutation { useVoucher(voucherCode: "NOSUCHCODE") { id } }`,
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: 'create a reward for FreshMart',
    // pointsCost 0 is refused after the access rule: nothing is written.
    query: `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`,
    variables: () => ({
      input: {
        partnerId: freshmart.id,
        title: 'M',
        description: 'M',
        kind: 'FREE_ITEM',
        category: 'matrix',
        pointsCost: 0,
        idempotencyKey: key(),
      },
    }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "update FreshMart's reward",
    query: `mutation($input: UpdateRewardInput!) { updateReward(input: $input) { id } }`,
    variables: () => ({ input: { rewardId: fixtures.rewardId, title: 'Matrix basket' } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "adjust FreshMart's reward stock",
    query: `mutation($input: AdjustRewardStockInput!) { adjustRewardStock(input: $input) { id } }`,
    variables: () => ({ input: { rewardId: fixtures.rewardId, delta: 1, idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "retire FreshMart's reward",
    query: `mutation($id: ID!) { retireReward(rewardId: $id) { id } }`,
    variables: () => ({ id: fixtures.rewardId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'suspend a partner',
    // An unknown partner: the operator rule is checked first, the operator gets NOT_FOUND.
    query: `mutation($p: ID!) { setPartnerStatus(partnerId: $p, status: SUSPENDED) { id } }`,
    variables: () => ({ p: noSuchId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "set a partner's contract",
    query: `mutation($input: SetPartnerContractInput!) { setPartnerContract(input: $input) { currency } }`,
    variables: () => ({
      input: {
        partnerId: noSuchId,
        earnRateMilliPointsPerUnit: 1000,
        issuePriceMicrosPerPoint: 1,
        redemptionValueMicrosPerPoint: 1,
        currency: 'EUR',
        idempotencyKey: key(),
      },
    }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "revoke FreshMart's API key",
    query: `mutation($id: ID!) { revokePartnerApiKey(keyId: $id) { id } }`,
    variables: () => ({ id: fixtures.apiKeyId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'close a settlement period',
    // An unknown period: the operator rule is checked first (no period of the shared stack is closed).
    query: `mutation($p: ID!) { closeSettlementPeriod(periodId: $p) { id } }`,
    variables: () => ({ p: noSuchId }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
];

/** Subscriptions, over graphql-ws: the first message is data (allow) or an error with a code. */
const subscriptionCases: Case[] = [
  {
    name: "watch the member's balance",
    query: `subscription($m: ID!) { balanceChanged(memberId: $m, afterSequence: 0) { sequence } }`,
    variables: () => ({ m: member.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "watch FreshMart's position",
    query: `subscription($p: ID!) { partnerPositionChanged(partnerId: $p) { pointsIssued } }`,
    variables: () => ({ p: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
];

beforeAll(async () => {
  for (const enrolled of [member, giftee]) {
    enrolled.id = dataOf(
      await gql(
        `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
        { input: { displayName: 'Matrix', email: `matrix-${key()}@example.test`, partnerId: freshmart.id, idempotencyKey: key() } },
        callers.ownPartner,
      ),
    ).enrollMember.id;
  }
  callers.member = await signToken('member', member.id, 600);
  fixtures.gifteeToken = (await checkoutToken(giftee.id)).token;
  for (const use of ['burn', 'redeem'] as const) {
    for (const caller of ['ownPartner', 'otherPartner'] as const) {
      fixtures.freshmartTokens[use][caller] = (await checkoutToken(member.id, { partnerId: freshmart.id })).token;
    }
  }
  const pendingUntil = new Date(Date.now() + 24 * 3600_000).toISOString();
  fixtures.pendingEarnId = dataOf(
    await gql(
      `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id } }`,
      {
        input: {
          memberId: member.id,
          purchaseAmountMinor: 5_000,
          currency: 'EUR',
          reference: 'matrix',
          pendingUntil,
          idempotencyKey: key(),
        },
      },
      callers.ownPartner,
    ),
  ).earnPoints.id;
  for (const fixture of ['claimToConfirmId', 'claimToRejectId'] as const) {
    fixtures[fixture] = dataOf(
      await gql(
        `mutation($input: ClaimMissingPointsInput!) { claimMissingPoints(input: $input) { id } }`,
        { input: claimInput(`matrix-${key()}`) },
        callers.member,
      ),
    ).claimMissingPoints.id;
  }
  fixtures.rewardId = dataOf(
    await gql(
      `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`,
      {
        input: {
          title: 'Matrix basket',
          description: 'For the access matrix',
          kind: 'FREE_ITEM',
          category: 'matrix',
          pointsCost: 100_000,
          stock: 5,
          idempotencyKey: key(),
        },
      },
      callers.ownPartner,
    ),
  ).createReward.id;
  fixtures.apiKeyId = dataOf(
    await gql(
      `mutation($p: ID!) { createPartnerApiKey(partnerId: $p, label: "matrix", scopes: [SETTLEMENT_READ]) { key { id } } }`,
      { p: freshmart.id },
      OPERATOR,
    ),
  ).createPartnerApiKey.key.id;
  fixtures.periodId = dataOf(await gql(`{ settlementPeriods(first: 1) { id } }`, {}, OPERATOR)).settlementPeriods[0].id;
});

describe('the access matrix', () => {
  it.each(cases.flatMap((c) => (Object.keys(callers) as CallerName[]).map((caller) => [c.name, caller, c] as const)))(
    '%s as %s',
    async (_name, caller, c) => {
      const response = await gql(c.query, c.variables?.(caller) ?? {}, callers[caller]);
      const code = errorCode(response);
      const outcome = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? code : (c.outcome?.(response) ?? 'allow');
      expect(outcome).toBe(c.expect[caller]);
    },
  );

  it.each(subscriptionCases.flatMap((c) => (Object.keys(callers) as CallerName[]).map((caller) => [c.name, caller, c] as const)))(
    '%s as %s (graphql-ws)',
    async (_name, caller, c) => {
      const client = wsClient(gatewayUrl(), callers[caller]);
      try {
        const message = await subscribe(client, c.query, c.variables?.(caller) ?? {}).next();
        const code = message.errors?.[0]?.extensions?.code;
        const outcome = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? code : message.data ? 'allow' : `error ${code}`;
        expect(outcome).toBe(c.expect[caller]);
      } finally {
        await client.dispose();
      }
    },
  );
});
