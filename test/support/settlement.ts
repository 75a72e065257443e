import { randomUUID } from 'node:crypto';
import { dataOf, type GraphQLResponse } from '../../scripts/gatewayClient';
import { eventually, OPERATOR } from './helpers';

/**
 * The operations the settlement tests share, through the gateway of a stack of their own
 * (`startIsolatedStack`), as the operator: partners and their contracts, members' earns, burns,
 * refunds and redemptions at those partners, and the periods, positions and statements they add up
 * to. A function that answers data throws with the errors when the request failed (`dataOf`), so a
 * set-up step that is refused fails the test; `setContract` and `closePeriod` answer the raw
 * response, since tests inspect their refusals. The documents are exported for tests that send them
 * as another caller.
 */

/** An isolated stack's `gql`: a GraphQL request through its gateway. */
export type Gql = (query: string, variables: Record<string, unknown>, credential?: string) => Promise<GraphQLResponse<any>>;

export const REGISTER_PARTNER = `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id code status } }`;
const SET_CONTRACT = `mutation($input: SetPartnerContractInput!) {
  setPartnerContract(input: $input) { id version issuePriceMicrosPerPoint effectiveFrom } }`;
const ENROLL = `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id points } }`;
export const BURN = `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { valueMinor } }`;
const REVERSE = `mutation($input: ReverseEarnInput!) { reverseEarn(input: $input) { pointsReversed pointsClawedBack } }`;
const CREATE_REWARD = `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`;
export const REDEEM = `mutation($m: ID!, $r: ID!, $k: String!) { redeemReward(memberId: $m, rewardId: $r, idempotencyKey: $k) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelRedemption(redemptionId: $id) { status } }`;
const PERIODS = `{ settlementPeriods(first: 5) { id status startsAt endsAt } }`;
export const CLOSE = `mutation($id: ID!, $at: DateTime) { closeSettlementPeriod(periodId: $id, closeAt: $at) { id status startsAt endsAt } }`;
/** A settlement statement's figures, contract versions and line items (not its exports). */
export const STATEMENT_FIELDS = `id currency pointsIssued issuedAmountMinor pointsReversed reversedAmountMinor pointsRedeemed redeemedAmountMinor
  pointsBonus bonusAmountMinor pointsBonusReversed bonusReversedAmountMinor netAmountMinor direction lateEvents period { id status }
  contracts { id version effectiveFrom issuePriceMicrosPerPoint redemptionValueMicrosPerPoint }
  lines { kind contract { id version } eventCount points priceMicrosPerPoint amountMicros }`;
export const STATEMENTS = `query($id: ID!) { partner(id: $id) { statements { ${STATEMENT_FIELDS} csv json } } }`;
const CAMPAIGN_FIELDS = 'id status budgetPoints budgetLeftPoints';
export const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ${CAMPAIGN_FIELDS} } }`;
export const SET_CAMPAIGN_STATUS = `mutation($id: ID!, $s: CampaignStatus!) { setCampaignStatus(campaignId: $id, status: $s) { ${CAMPAIGN_FIELDS} } }`;

export interface PartnerInput {
  code: string;
  name: string;
  programName: string;
  category: string;
  idempotencyKey: string;
}

/** A registerPartner input: a fresh code and idempotency key, a grocer, unless overridden. */
export function partnerInput(overrides: Partial<PartnerInput> = {}): PartnerInput {
  const suffix = randomUUID().slice(0, 8);
  return {
    code: `test-${suffix}`,
    name: `Test ${suffix}`,
    programName: 'Test',
    category: 'GROCER',
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

export function settlementOperations(gql: Gql) {
  const asOperator = async (query: string, variables: Record<string, unknown> = {}) => dataOf(await gql(query, variables, OPERATOR));
  const key = () => randomUUID();

  /** Registers a partner (without a contract). */
  async function registerPartner(overrides: Partial<PartnerInput> = {}): Promise<{ id: string; code: string; status: string }> {
    return (await asOperator(REGISTER_PARTNER, { input: partnerInput(overrides) })).registerPartner;
  }

  /**
   * Sets a contract for the partner; unless overridden, in force from now, in EUR, one point per
   * euro, 9000 micros per point issued and 7000 per point redeemed. The raw response.
   */
  function setContract(partnerId: string, overrides: Record<string, unknown> = {}): Promise<GraphQLResponse<any>> {
    const input = {
      partnerId,
      earnRateMilliPointsPerUnit: 1000,
      issuePriceMicrosPerPoint: 9000,
      redemptionValueMicrosPerPoint: 7000,
      currency: 'EUR',
      idempotencyKey: key(),
      ...overrides,
    };
    return gql(SET_CONTRACT, { input }, OPERATOR);
  }

  /**
   * A partner of its own with a contract at these prices (one point per euro, EUR), in force from
   * now; its id. The partner's own credential does not exist in development mode for new
   * partners: the operator acts for it (as it may, naming the partner).
   */
  async function newPartner(issuePriceMicrosPerPoint: number, redemptionValueMicrosPerPoint: number): Promise<string> {
    const { id } = await registerPartner();
    dataOf(await setContract(id, { issuePriceMicrosPerPoint, redemptionValueMicrosPerPoint }));
    return id;
  }

  /**
   * A campaign's createCampaign input, funded by the partner: valid from an hour ago for a year, a
   * budget of 100,000 points, plus the rule and anything else in `fields`.
   */
  function campaignInput(funderId: string, fields: Record<string, unknown>) {
    const startsAt = new Date(Date.now() - 3600_000).toISOString();
    const endsAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
    return { partnerId: funderId, name: 'Test campaign', startsAt, endsAt, budgetPoints: 100_000, ...fields };
  }

  /** An ACTIVE campaign funded by the partner (created and approved by the operator); its id. */
  async function activeCampaign(funderId: string, fields: Record<string, unknown>): Promise<string> {
    const { id } = (await asOperator(CREATE_CAMPAIGN, { input: campaignInput(funderId, fields) })).createCampaign;
    const { status } = (await asOperator(SET_CAMPAIGN_STATUS, { id, s: 'ACTIVE' })).setCampaignStatus;
    if (status !== 'ACTIVE') throw new Error(`campaign ${id} is ${status}, not ACTIVE`);
    return id;
  }

  /** Ends a campaign: it grants nothing more. */
  async function endCampaign(campaignId: string): Promise<void> {
    await asOperator(SET_CAMPAIGN_STATUS, { id: campaignId, s: 'ENDED' });
  }

  /** Enrolls a fresh member at the partner; its id. */
  async function enrollAt(partnerId: string): Promise<string> {
    const input = { displayName: 'Settlement Member', email: `settlement-${key()}@example.test`, partnerId, idempotencyKey: key() };
    return (await asOperator(ENROLL, { input })).enrollMember.id;
  }

  /** A purchase at the partner (pending until `pendingUntil`, if given); the earn. */
  async function earnAt(
    partnerId: string,
    memberId: string,
    purchaseAmountMinor: number,
    pendingUntil?: Date,
  ): Promise<{ id: string; points: number }> {
    const input = {
      memberId,
      partnerId,
      purchaseAmountMinor,
      currency: 'EUR',
      reference: 'receipt',
      pendingUntil: pendingUntil?.toISOString(),
      idempotencyKey: key(),
    };
    return (await asOperator(EARN, { input })).earnPoints;
  }

  /** Points spent at the partner's till. */
  async function burnAt(partnerId: string, memberId: string, points: number): Promise<{ valueMinor: number }> {
    return (await asOperator(BURN, { input: { memberId, partnerId, points, reference: 'pos', idempotencyKey: key() } })).burnPoints;
  }

  /** Refunds an earn: `refundAmountMinor` of its purchase, or all of it. */
  async function reverse(earnId: string, refundAmountMinor?: number): Promise<{ pointsReversed: number; pointsClawedBack: number }> {
    const input = { earnId, refundAmountMinor, reference: 'refund', idempotencyKey: key() };
    return (await asOperator(REVERSE, { input })).reverseEarn;
  }

  async function redeem(memberId: string, rewardId: string): Promise<{ id: string; status: string }> {
    return (await asOperator(REDEEM, { m: memberId, r: rewardId, k: key() })).redeemReward;
  }

  /** Creates a reward of the partner's costing `pointsCost`, and redeems it for the member. */
  async function redeemNewReward(partnerId: string, memberId: string, pointsCost: number): Promise<{ id: string; status: string }> {
    const input = {
      partnerId,
      title: 'Settlement reward',
      description: 'Redeemed, then perhaps cancelled.',
      kind: 'FREE_ITEM',
      category: 'test',
      pointsCost,
      idempotencyKey: key(),
    };
    return redeem(memberId, (await asOperator(CREATE_REWARD, { input })).createReward.id);
  }

  /** Cancels a redemption; its status after. */
  async function cancelRedemption(redemptionId: string): Promise<string> {
    return (await asOperator(CANCEL, { id: redemptionId })).cancelRedemption.status;
  }

  /** The open period (of the latest five). */
  async function openPeriod(): Promise<{ id: string; status: string; startsAt: string; endsAt: string }> {
    return (await asOperator(PERIODS)).settlementPeriods.find((p: { status: string }) => p.status === 'OPEN');
  }

  /** Closes the period at `closeAt`. The raw response. */
  function closePeriod(periodId: string, closeAt: Date | string): Promise<GraphQLResponse<any>> {
    return gql(CLOSE, { id: periodId, at: typeof closeAt === 'string' ? closeAt : closeAt.toISOString() }, OPERATOR);
  }

  /** The partner's statements, newest first, with their exports. */
  async function statementsOf(partnerId: string): Promise<any[]> {
    return (await asOperator(STATEMENTS, { id: partnerId })).partner.statements;
  }

  /** `selection` of the partner, e.g. 'contracts { version }'. */
  async function readPartner(partnerId: string, selection: string): Promise<any> {
    return (await asOperator(`query($id: ID!) { partner(id: $id) { ${selection} } }`, { id: partnerId })).partner;
  }

  /** `fields` of the partner's position in the open period, e.g. 'pointsIssued lateEvents'. */
  async function position(partnerId: string, fields: string): Promise<any> {
    return (await readPartner(partnerId, `position { ${fields} }`)).position;
  }

  /** Waits until the partner's position shows these figures (settlement counts ledger events asynchronously). */
  function positionReaches(partnerId: string, expected: Record<string, string>): Promise<any> {
    return eventually(
      () => position(partnerId, Object.keys(expected).join(' ')),
      (current) => Object.entries(expected).every(([field, value]) => current[field] === value),
    );
  }

  return {
    registerPartner,
    setContract,
    newPartner,
    campaignInput,
    activeCampaign,
    endCampaign,
    enrollAt,
    earnAt,
    burnAt,
    reverse,
    redeem,
    redeemNewReward,
    cancelRedemption,
    openPeriod,
    closePeriod,
    statementsOf,
    readPartner,
    position,
    positionReaches,
  };
}
