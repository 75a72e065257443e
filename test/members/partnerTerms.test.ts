import { randomUUID } from 'node:crypto';
import { dataOf } from '../../scripts/gatewayClient';
import { errorCode, gql, OPERATOR, waitUntilPast } from '../support/helpers';
import { settlementOperations } from '../support/settlement';

/**
 * Members keeps each partner's terms (subgraphs/members/partnerTerms.ts) instead of asking
 * settlement for every earn; these check that nothing kept outlives a change: a new contract and a
 * suspension (announced by settlement on the bus) apply to the very next earn, and a contract
 * scheduled for later (unannounced when it starts) applies from its start. Partners of their own, on
 * the shared stack, each earn kept in the terms first (two earns at the old terms before a change).
 */

const { registerPartner, setContract, enrollAt, earnAt } = settlementOperations(gql);
const SET_STATUS = `mutation($p: ID!, $s: PartnerStatus!) { setPartnerStatus(partnerId: $p, status: $s) { id status } }`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id points } }`;
const BURN = `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { valueMinor } }`;

/** A partner of its own earning one point per euro; its id and a member enrolled there. */
async function partnerWithMember(): Promise<{ partnerId: string; memberId: string }> {
  const { id: partnerId } = await registerPartner();
  dataOf(await setContract(partnerId, { earnRateMilliPointsPerUnit: 1000 }));
  return { partnerId, memberId: await enrollAt(partnerId) };
}

/** Points a 10-euro purchase earns at the partner now. */
async function pointsFor10Euros(partnerId: string, memberId: string): Promise<number> {
  return (await earnAt(partnerId, memberId, 1000)).points;
}

function earnResponse(partnerId: string, memberId: string) {
  const input = { memberId, partnerId, purchaseAmountMinor: 1000, currency: 'EUR', reference: 'receipt', idempotencyKey: randomUUID() };
  return gql(EARN, { input }, OPERATOR);
}

describe('partner terms kept by members', () => {
  it('applies a new contract to the very next earn', async () => {
    const { partnerId, memberId } = await partnerWithMember();
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(10);
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(10);
    dataOf(await setContract(partnerId, { earnRateMilliPointsPerUnit: 3000 }));
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(30);
    dataOf(await setContract(partnerId, { earnRateMilliPointsPerUnit: 500 }));
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(5);
  });

  it('refuses the very next earn and burn after a suspension, and takes them again after reactivation', async () => {
    const { partnerId, memberId } = await partnerWithMember();
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(10);
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(10);
    expect(dataOf(await gql(SET_STATUS, { p: partnerId, s: 'SUSPENDED' }, OPERATOR)).setPartnerStatus.status).toBe('SUSPENDED');
    expect(errorCode(await earnResponse(partnerId, memberId))).toBe('FORBIDDEN');
    const burn = { memberId, partnerId, points: 5, reference: 'pos', idempotencyKey: randomUUID() };
    expect(errorCode(await gql(BURN, { input: burn }, OPERATOR))).toBe('FORBIDDEN');
    expect(dataOf(await gql(SET_STATUS, { p: partnerId, s: 'ACTIVE' }, OPERATOR)).setPartnerStatus.status).toBe('ACTIVE');
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(10);
  });

  it('applies a contract scheduled for later from its start, with no announcement then', async () => {
    const { partnerId, memberId } = await partnerWithMember();
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(10);
    const startsAt = new Date(Date.now() + 5000);
    dataOf(await setContract(partnerId, { earnRateMilliPointsPerUnit: 2000, effectiveFrom: startsAt.toISOString() }));
    // Asked again after the announcement: the current terms, kept until the scheduled start.
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(10);
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(10);
    await waitUntilPast(startsAt);
    expect(await pointsFor10Euros(partnerId, memberId)).toBe(20);
  });
});
