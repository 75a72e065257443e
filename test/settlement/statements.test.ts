import { dataOf } from '../../scripts/gatewayClient';
import { errorCode as code, OPERATOR, waitUntilPast } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';
import { settlementOperations, STATEMENT_FIELDS } from '../support/settlement';

/**
 * Traceable statements through the gateway, on a stack of its own (it closes periods): the contract
 * versions a statement priced with, its line items (count, points, exact micro-unit amount per kind
 * and contract) adding up to its figures, the JSON and CSV exports carrying them (the CSV quoted
 * and safe from formula injection), and who may read them. Every expected figure is worked out by
 * hand below, not by the code under test.
 */

const OTHER_PARTNER = 'demo-partner-city-bonus-lumiere';
let isolated: IsolatedStack;
const gql = (query: string, variables: Record<string, unknown> = {}, credential?: string) => isolated.gql(query, variables, credential);
const {
  registerPartner,
  newPartner,
  activeCampaign,
  endCampaign,
  setContract,
  enrollAt,
  earnAt,
  burnAt,
  reverse,
  redeemNewReward,
  cancelRedemption,
  openPeriod,
  closePeriod,
  statementsOf,
  readPartner,
  positionReaches,
} = settlementOperations(gql);

beforeAll(async () => {
  isolated = await startIsolatedStack('statements');
}, 120_000);
afterAll(() => isolated?.stop());

const STATEMENT = `query($id: ID!) { settlementStatement(id: $id) { ${STATEMENT_FIELDS} } }`;

/** A contract at these prices, one point per euro, in EUR, from `effectiveFrom` (else now). */
async function contract(
  partnerId: string,
  issuePriceMicrosPerPoint: number,
  redemptionValueMicrosPerPoint: number,
  effectiveFrom?: Date,
): Promise<{ id: string; version: number; effectiveFrom: string }> {
  const overrides = { issuePriceMicrosPerPoint, redemptionValueMicrosPerPoint, effectiveFrom: effectiveFrom?.toISOString() };
  return dataOf(await setContract(partnerId, overrides)).setPartnerContract;
}

/** Redeems a new reward of the partner's for the member; the redemption's id. */
async function redeemReward(partnerId: string, memberId: string, pointsCost: number): Promise<string> {
  const redemption = await redeemNewReward(partnerId, memberId, pointsCost);
  expect(redemption.status).toBe('ISSUED');
  return redemption.id;
}
const cancel = async (redemptionId: string) => expect(await cancelRedemption(redemptionId)).toBe('CANCELLED');

// The hostile name a partner might be registered under: a formula, commas and double quotes.
const HOSTILE_NAME = '=HYPERLINK("x"),"quoted"';

describe('traceable statements', () => {
  let partner: { id: string; code: string };
  let v1: { id: string; version: number; effectiveFrom: string };
  let v2: { id: string; version: number; effectiveFrom: string };
  let closed: { id: string; startsAt: string; endsAt: string };
  let statement: any;
  let other: { id: string; code: string };
  let otherRedemption: string;

  it('lists the contract versions and exact line items a statement priced with, adding up to its figures', async () => {
    partner = await registerPartner({ name: HOSTILE_NAME });
    // Prices chosen so that rounding shows: each line's micros are fractions of a cent.
    v1 = await contract(partner.id, 12_345, 6_999);
    expect(v1.version).toBe(1);
    const memberId = await enrollAt(partner.id);
    const firstEarn = await earnAt(partner.id, memberId, 123_400); // €1234: 1234 points at v1
    expect(firstEarn.points).toBe(1_234);
    await burnAt(partner.id, memberId, 101); // at v1
    const redemption = await redeemReward(partner.id, memberId, 40); // at v1
    // A second partner redeems in this period and has the redemption cancelled in the next.
    other = await registerPartner({ name: '@Home Store' });
    await contract(other.id, 10_000, 7_777);
    const otherMember = await enrollAt(other.id);
    await earnAt(other.id, otherMember, 1_000); // 10 points
    otherRedemption = await redeemReward(other.id, otherMember, 4);
    await positionReaches(partner.id, { pointsIssued: '1234', pointsRedeemed: '141' });

    // The contract changes inside the period.
    const newPrices = new Date(Date.now() + 1_500);
    v2 = await contract(partner.id, 9_001, 2_313, newPrices);
    expect(v2.version).toBe(2);
    await waitUntilPast(newPrices);
    await earnAt(partner.id, memberId, 56_700); // €567: 567 points at v2
    const refunded = await reverse(firstEarn.id, 33_300);
    expect(refunded.pointsReversed).toBe(333); // priced like the earn it reverses: v1
    await burnAt(partner.id, memberId, 77); // at v2
    await cancel(redemption); // given back at v1, the contract the redemption was priced with
    await positionReaches(partner.id, { pointsIssued: '1801', pointsReversed: '333', pointsRedeemed: '178' });
    await positionReaches(other.id, { pointsIssued: '10', pointsRedeemed: '4' });

    const period = await openPeriod();
    closed = dataOf(await closePeriod(period.id, new Date())).closeSettlementPeriod;
    [statement] = await statementsOf(partner.id);
    expect(statement.period.id).toBe(period.id);

    // Worked out by hand. Micros per cent: 10,000.
    //   ISSUANCE  v1: 1234 x 12345 = 15,233,730    ISSUANCE v2: 567 x 9001 = 5,103,567
    //     issued = 20,337,297 micros = 2033.7297 cents -> 2034 (rounding each line: 1523 + 510 = 2033)
    //   REVERSAL  v1: 333 x 12345 = 4,110,885 = 411.0885 cents -> 411
    //   REDEMPTION v1: (101 + 40) x 6999 = 986,859    REDEMPTION v2: 77 x 2313 = 178,101
    //   REDEMPTION_REVERSAL v1: 40 x 6999 = 279,960
    //     redeemed = 986,859 + 178,101 - 279,960 = 885,000 = 88.5 cents -> 88, half to even
    //     (half up would say 89, and rounding each line 99 + 18 - 28 = 89)
    //   net = 2034 - 411 - 88 = 1535, the partner pays
    expect(statement).toMatchObject({
      currency: 'EUR',
      pointsIssued: '1801',
      issuedAmountMinor: '2034',
      pointsReversed: '333',
      reversedAmountMinor: '411',
      pointsRedeemed: '178',
      redeemedAmountMinor: '88',
      netAmountMinor: '1535',
      direction: 'PARTNER_PAYS',
      lateEvents: 0,
    });
    const contracts = [
      { id: v1.id, version: 1, effectiveFrom: v1.effectiveFrom, issuePriceMicrosPerPoint: 12_345, redemptionValueMicrosPerPoint: 6_999 },
      { id: v2.id, version: 2, effectiveFrom: v2.effectiveFrom, issuePriceMicrosPerPoint: 9_001, redemptionValueMicrosPerPoint: 2_313 },
    ];
    expect(statement.contracts).toEqual(contracts);
    const first = { id: v1.id, version: 1 };
    const second = { id: v2.id, version: 2 };
    const lines = [
      { kind: 'ISSUANCE', contract: first, eventCount: 1, points: '1234', priceMicrosPerPoint: 12_345, amountMicros: '15233730' },
      { kind: 'ISSUANCE', contract: second, eventCount: 1, points: '567', priceMicrosPerPoint: 9_001, amountMicros: '5103567' },
      { kind: 'REVERSAL', contract: first, eventCount: 1, points: '333', priceMicrosPerPoint: 12_345, amountMicros: '4110885' },
      { kind: 'REDEMPTION', contract: first, eventCount: 2, points: '141', priceMicrosPerPoint: 6_999, amountMicros: '986859' },
      { kind: 'REDEMPTION', contract: second, eventCount: 1, points: '77', priceMicrosPerPoint: 2_313, amountMicros: '178101' },
      { kind: 'REDEMPTION_REVERSAL', contract: first, eventCount: 1, points: '40', priceMicrosPerPoint: 6_999, amountMicros: '279960' },
    ];
    expect(statement.lines).toEqual(lines);

    // The partner's contract history numbers the same versions.
    const history = (await readPartner(partner.id, 'contracts { id version }')).contracts;
    expect(history).toEqual([second, first]);

    // The JSON export carries the same lines and contracts, 64-bit figures as strings.
    const json = JSON.parse(statement.json);
    expect(json).toMatchObject({
      statementId: statement.id,
      partnerId: partner.id,
      partnerCode: partner.code,
      partnerName: HOSTILE_NAME,
      issuedAmountMinor: '2034',
      redeemedAmountMinor: '88',
      netAmountMinor: '1535',
    });
    expect(json.lines).toEqual(lines);
    expect(json.contracts).toEqual(
      contracts.map((c) => ({
        ...c,
        currency: 'EUR',
        earnRateMilliPointsPerUnit: 1000,
        effectiveFrom: new Date(c.effectiveFrom).toISOString(),
      })),
    );
  }, 120_000);

  it('writes the CSV with the partner’s name quoted and neutralised, and the line items as rows', async () => {
    const at = (iso: string) => new Date(iso).toISOString();
    const line = (n: number, kind: string, version: number, from: string, events: number, points: number, price: number, micros: number) =>
      [
        `line_${n}_kind,${kind}`,
        `line_${n}_contract_version,${version}`,
        `line_${n}_contract_effective_from,${at(from)}`,
        `line_${n}_event_count,${events}`,
        `line_${n}_points,${points}`,
        `line_${n}_price_micros_per_point,${price}`,
        `line_${n}_amount_micros,${micros}`,
      ].join('\n');
    const expected = [
      'field,value',
      `statement_id,${statement.id}`,
      `partner_code,${partner.code}`,
      // RFC 4180: quoted, double quotes doubled; OWASP: the leading = made text by a single quote.
      `partner_name,"'=HYPERLINK(""x""),""quoted"""`,
      `period_start,${at(closed.startsAt)}`,
      `period_end,${at(closed.endsAt)}`,
      'currency,EUR',
      'points_issued,1801',
      'issued_amount_minor,2034',
      'points_reversed,333',
      'reversed_amount_minor,411',
      'points_bonus,0',
      'bonus_amount_minor,0',
      'points_bonus_reversed,0',
      'bonus_reversed_amount_minor,0',
      'points_redeemed,178',
      'redeemed_amount_minor,88',
      'net_amount_minor,1535',
      'direction,PARTNER_PAYS',
      'late_events,0',
      line(1, 'ISSUANCE', 1, v1.effectiveFrom, 1, 1234, 12_345, 15_233_730),
      line(2, 'ISSUANCE', 2, v2.effectiveFrom, 1, 567, 9_001, 5_103_567),
      line(3, 'REVERSAL', 1, v1.effectiveFrom, 1, 333, 12_345, 4_110_885),
      line(4, 'REDEMPTION', 1, v1.effectiveFrom, 2, 141, 6_999, 986_859),
      line(5, 'REDEMPTION', 2, v2.effectiveFrom, 1, 77, 2_313, 178_101),
      line(6, 'REDEMPTION_REVERSAL', 1, v1.effectiveFrom, 1, 40, 6_999, 279_960),
    ].join('\n');
    expect(statement.csv).toBe(`${expected}\n`);

    // The downloads are the same documents.
    const base = isolated.stack.gatewayUrl.replace(/\/graphql$/, '');
    const download = (format: string, credential: string) =>
      fetch(`${base}/exports/statements/${statement.id}.${format}`, { headers: { authorization: `Bearer ${credential}` } });
    const csv = await download('csv', OPERATOR);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toBe(statement.csv);
    expect(JSON.parse(await (await download('json', OPERATOR)).text())).toEqual(JSON.parse(statement.json));
  });

  it('keeps a negative figure a bare number while neutralising text that starts like a formula', async () => {
    // The other partner's redemption (4 points at 7777 micros) is cancelled in the next period:
    // there its statement redeems -4 points, -31,108 micros = -3.1108 cents -> -3, and the partner
    // pays 3.
    await cancel(otherRedemption);
    await positionReaches(other.id, { pointsRedeemed: '-4' });
    const next = await openPeriod();
    dataOf(await closePeriod(next.id, new Date()));
    const [latest] = await statementsOf(other.id);
    expect(latest).toMatchObject({ period: { id: next.id }, pointsRedeemed: '-4', redeemedAmountMinor: '-3', netAmountMinor: '3' });
    expect(latest.lines).toEqual([
      {
        kind: 'REDEMPTION_REVERSAL',
        contract: { id: expect.any(String), version: 1 },
        eventCount: 1,
        points: '4',
        priceMicrosPerPoint: 7_777,
        amountMicros: '31108',
      },
    ]);
    const rows = latest.csv.split('\n');
    expect(rows).toContain(`partner_name,"'@Home Store"`);
    expect(rows).toContain('points_redeemed,-4');
    expect(rows).toContain('redeemed_amount_minor,-3');
    // A partner without entries in a period: a statement with no lines and no contracts.
    const [quiet] = await statementsOf(partner.id);
    expect(quiet).toMatchObject({ period: { id: next.id }, pointsIssued: '0', netAmountMinor: '0', lines: [], contracts: [] });
  }, 120_000);

  it('shows a statement’s lines and contracts to its partner and the operator only', async () => {
    const key = dataOf(
      await gql(
        `mutation($p: ID!) { createPartnerApiKey(partnerId: $p, label: "finance", scopes: [SETTLEMENT_READ]) { secret } }`,
        { p: partner.id },
        OPERATOR,
      ),
    ).createPartnerApiKey.secret as string;
    const own = dataOf(await gql(STATEMENT, { id: statement.id }, key)).settlementStatement;
    expect(own.lines).toEqual(statement.lines);
    expect(own.contracts).toEqual(statement.contracts);
    for (const query of [
      `query($id: ID!) { settlementStatement(id: $id) { lines { amountMicros } } }`,
      `query($id: ID!) { settlementStatement(id: $id) { contracts { version } } }`,
    ]) {
      expect(code(await gql(query, { id: statement.id }, OTHER_PARTNER))).toBe('FORBIDDEN');
      expect(code(await gql(query, { id: statement.id }, 'demo-member-ava'))).toBe('FORBIDDEN');
      expect(code(await gql(query, { id: statement.id }))).toBe('UNAUTHENTICATED');
    }
    expect(
      code(await gql(`query($id: ID!) { partner(id: $id) { statements { lines { points } } } }`, { id: partner.id }, OTHER_PARTNER)),
    ).toBe('FORBIDDEN');
    const base = isolated.stack.gatewayUrl.replace(/\/graphql$/, '');
    const download = (credential: string) =>
      fetch(`${base}/exports/statements/${statement.id}.json`, { headers: { authorization: `Bearer ${credential}` } });
    expect(JSON.parse(await (await download(key)).text()).lines).toEqual(statement.lines);
    expect((await download(OTHER_PARTNER)).status).toBe(403);
  });
});

describe('bonus points on a line of their own', () => {
  const RECONCILE = `query($id: ID!) { reconciliation(periodId: $id) {
    balanced lines { kind ledgerPoints settlementPoints differencePoints }
    money { currency issuedLessReversedMinor bonusLessReversedMinor redeemedMinor coalitionMarginMinor partnerNetsMinor } } }`;
  const BOOKS = `query($id: ID!) { coalitionBooks(periodId: $id) {
    issuedPoints reversedPoints bonusPoints bonusReversedPoints differencePoints balanced } }`;

  it('bills the funder of a coalition-wide campaign for a bonus at another partner, at its issue price, with the refund’s reversal', async () => {
    const funder = await newPartner(12_345, 7_000);
    const store = await newPartner(9_000, 7_000);
    // Coalition-wide: the funder pays half as much again on purchases at every partner.
    const campaignId = await activeCampaign(funder, { ruleKind: 'SPEND_MULTIPLIER', extraPermille: 500, coalitionWide: true });
    const memberId = await enrollAt(store);
    let earned: { id: string; points: number };
    try {
      earned = await earnAt(store, memberId, 100_000); // €1000 at the store: 1000 points, and a 500-point bonus
    } finally {
      await endCampaign(campaignId);
    }
    expect(earned.points).toBe(1_000);
    // 40% refunded: floor(1000 x 0.4) = 400 of the points back to the store, floor(500 x 0.4) = 200 of the bonus to the funder.
    expect(await reverse(earned.id, 40_000)).toEqual({ pointsReversed: 600, pointsClawedBack: 0 });
    const funderPosition = { pointsIssued: '0', pointsBonus: '500', pointsBonusReversed: '200' };
    expect(await positionReaches(funder, funderPosition)).toEqual(funderPosition);
    const storePosition = { pointsIssued: '1000', pointsReversed: '400', pointsBonus: '0' };
    expect(await positionReaches(store, storePosition)).toEqual(storePosition);

    const period = await openPeriod();
    dataOf(await closePeriod(period.id, new Date()));
    const [funderStatement] = await statementsOf(funder);
    const [storeStatement] = await statementsOf(store);
    // Worked out by hand. Micros per cent: 10,000.
    //   funder BONUS: 500 x 12345 = 6,172,500 micros = 617.25 cents -> 617
    //   funder BONUS_REVERSAL: 200 x 12345 = 2,469,000 micros = 246.9 cents -> 247
    //   net 617 - 247 = 370, the funder pays; nothing issued, reversed or redeemed at it
    //   store ISSUANCE 1000 x 9000 = 900 cents, REVERSAL 400 x 9000 = 360 cents: net 540, no bonus
    expect(funderStatement).toMatchObject({
      period: { id: period.id },
      pointsIssued: '0',
      issuedAmountMinor: '0',
      pointsReversed: '0',
      pointsBonus: '500',
      bonusAmountMinor: '617',
      pointsBonusReversed: '200',
      bonusReversedAmountMinor: '247',
      netAmountMinor: '370',
      direction: 'PARTNER_PAYS',
    });
    const priced = { id: expect.any(String), version: 1 };
    expect(funderStatement.lines).toEqual([
      { kind: 'BONUS', contract: priced, eventCount: 1, points: '500', priceMicrosPerPoint: 12_345, amountMicros: '6172500' },
      { kind: 'BONUS_REVERSAL', contract: priced, eventCount: 1, points: '200', priceMicrosPerPoint: 12_345, amountMicros: '2469000' },
    ]);
    expect(funderStatement.csv.split('\n')).toEqual(
      expect.arrayContaining(['points_bonus,500', 'bonus_amount_minor,617', 'line_1_kind,BONUS']),
    );
    expect(storeStatement).toMatchObject({
      period: { id: period.id },
      pointsIssued: '1000',
      issuedAmountMinor: '900',
      pointsReversed: '400',
      reversedAmountMinor: '360',
      pointsBonus: '0',
      bonusAmountMinor: '0',
      pointsBonusReversed: '0',
      netAmountMinor: '540',
    });
    expect(storeStatement.lines.map((line: { kind: string }) => line.kind)).toEqual(['ISSUANCE', 'REVERSAL']);

    // Reconciliation counts the bonus on a line of its own; the ledger records its reversal as the
    // REVERSAL it is, so settlement counts it there too.
    const reconciliation = dataOf(await gql(RECONCILE, { id: period.id }, OPERATOR)).reconciliation;
    expect(reconciliation.balanced).toBe(true);
    const line = (kind: string) => reconciliation.lines.find((l: { kind: string }) => l.kind === kind);
    expect(line('BONUS')).toEqual({ kind: 'BONUS', ledgerPoints: '500', settlementPoints: '500', differencePoints: '0' });
    expect(line('ISSUANCE')).toEqual({ kind: 'ISSUANCE', ledgerPoints: '1000', settlementPoints: '1000', differencePoints: '0' });
    expect(line('REVERSAL')).toEqual({ kind: 'REVERSAL', ledgerPoints: '600', settlementPoints: '600', differencePoints: '0' });
    expect(reconciliation.money).toEqual([
      {
        currency: 'EUR',
        issuedLessReversedMinor: '540',
        bonusLessReversedMinor: '370',
        redeemedMinor: '0',
        coalitionMarginMinor: '910',
        partnerNetsMinor: '910',
      },
    ]);
    // The books carry the bonus into the float: 1000 - 400 + 500 - 200 = 900 points more.
    expect(dataOf(await gql(BOOKS, { id: period.id }, OPERATOR)).coalitionBooks).toEqual({
      issuedPoints: '1000',
      reversedPoints: '400',
      bonusPoints: '500',
      bonusReversedPoints: '200',
      differencePoints: '0',
      balanced: true,
    });
  }, 120_000);
});
