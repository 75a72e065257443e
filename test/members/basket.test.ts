import { randomUUID } from 'node:crypto';
import { availablePoints, closeDatabase, database, dataOf, enrollMember, errorCode, gql, OPERATOR, partner } from '../support/helpers';

/**
 * Receipts with lines (subgraphs/members/basket.ts): the lines add up to the purchase, excluded
 * categories (the partner's and the coalition's) earn nothing, points are rounded down per line, and
 * returns come back line by line, each line once, with the clawback rule of any refund. Category
 * codes carry a random suffix: the coalition-wide list is shared by every test of the stack.
 */

afterAll(closeDatabase);

const freshmart = partner(1); // 1 point per euro
const cinema = partner(3); // 3 points per euro
const suffix = randomUUID().slice(0, 8).toUpperCase();
const TOBACCO = `TOBACCO-${suffix}`;
const LOTTERY = `LOTTERY-${suffix}`;

const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id points } }`;
const REVERSE = `mutation($input: ReverseEarnInput!) { reverseEarn(input: $input) { pointsReversed pointsClawedBack transfers { kind points } } }`;
const EXCLUDE = `mutation($p: ID, $codes: [String!]!) { setExcludedCategories(partnerId: $p, categoryCodes: $codes) }`;

const basket = [
  { sku: 'bread-1', categoryCode: 'bakery', quantity: 1, unitPriceMinor: 1_250, lineAmountMinor: 1_250 },
  { sku: 'cigs-20', categoryCode: TOBACCO, quantity: 1, unitPriceMinor: 899, lineAmountMinor: 899 },
  { sku: 'lotto-6', categoryCode: LOTTERY, quantity: 2, unitPriceMinor: 250, lineAmountMinor: 500 },
  // Three at 3.33 each, 9.99: a discount could lower it, nothing may raise it.
  { sku: 'apples', categoryCode: 'FRUIT', quantity: 3, unitPriceMinor: 333, lineAmountMinor: 999 },
];
const basketTotal = 1_250 + 899 + 500 + 999;

const earnInput = (memberId: string, lines: unknown[], purchaseAmountMinor: number, overrides: Record<string, unknown> = {}) => ({
  input: {
    memberId,
    purchaseAmountMinor,
    currency: 'EUR',
    reference: 'till-4',
    lines,
    documentNumber: `R-${randomUUID().slice(0, 8)}`,
    storeId: 'store-berlin-12',
    idempotencyKey: randomUUID(),
    ...overrides,
  },
});
const reverse = (earnId: string, fields: Record<string, unknown>, key = randomUUID()) =>
  gql(REVERSE, { input: { earnId, reference: 'return desk', idempotencyKey: key, ...fields } }, freshmart.credential);

beforeAll(async () => {
  expect(dataOf(await gql(EXCLUDE, { codes: [TOBACCO.toLowerCase()] }, freshmart.credential)).setExcludedCategories).toEqual([TOBACCO]);
  expect(dataOf(await gql(EXCLUDE, { codes: [LOTTERY] }, OPERATOR)).setExcludedCategories).toEqual([LOTTERY]);
});

describe('basket lines on earnPoints', () => {
  it('earn per eligible line, rounded down per line, and are stored with the receipt and store', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const input = earnInput(memberId, basket, basketTotal);
    const earned = dataOf(await gql(EARN, input, freshmart.credential)).earnPoints;
    // bread 12.50 -> 12, apples 9.99 -> 9; tobacco (FreshMart's list) and lottery (the coalition's) nothing.
    // Rounding the eligible 22.49 at once would give 22: per line it is 21.
    expect(earned.points).toBe(21);
    expect(await availablePoints(memberId)).toBe(21);
    const { rows } = await database().query(
      `SELECT l.line_number, l.sku, l.category_code, l.excluded, l.points::int AS points, e.document_number, e.store_id
         FROM members.earn_lines l JOIN members.earns e ON e.transfer_id = l.earn_id WHERE l.earn_id = $1 ORDER BY l.line_number`,
      [earned.id],
    );
    expect(rows.map((r) => [r.line_number, r.category_code, r.excluded, r.points])).toEqual([
      [1, 'BAKERY', false, 12],
      [2, TOBACCO, true, 0],
      [3, LOTTERY, true, 0],
      [4, 'FRUIT', false, 9],
    ]);
    expect(rows[0]).toMatchObject({ document_number: input.input.documentNumber, store_id: 'store-berlin-12' });
  });

  it("one partner's exclusions are its own; the coalition's apply everywhere", async () => {
    const memberId = await enrollMember(cinema.credential);
    const earned = dataOf(await gql(EARN, earnInput(memberId, basket, basketTotal), cinema.credential)).earnPoints;
    // 3 points a euro: bread 37.5 -> 37, tobacco 26.97 -> 26 (not excluded at the cinema), apples 29.97 -> 29.
    expect(earned.points).toBe(37 + 26 + 29);
  });

  it.each([
    ['lines that do not add up to the purchase', earnInput('', basket, basketTotal + 1), /add up to 3648/],
    ['a line above quantity x unit price', earnInput('', [{ ...basket[0], lineAmountMinor: 1_251 }], 1_251), /more than quantity/],
    ['a zero quantity', earnInput('', [{ ...basket[0], quantity: 0 }], 1_250), /quantity/],
    ['a bad category code', earnInput('', [{ ...basket[0], categoryCode: 'no spaces' }], 1_250), /categoryCode/],
    ['only excluded lines', earnInput('', [basket[1]], 899), /no whole point/],
  ])('refuses %s, earning nothing', async (_case, variables, message) => {
    const memberId = await enrollMember(freshmart.credential);
    const response = await gql(EARN, { input: { ...variables.input, memberId } }, freshmart.credential);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toMatch(message);
    expect(await availablePoints(memberId)).toBe(0);
  });

  it('excluded categories are set by the partner for itself and by the operator, nobody else', async () => {
    expect(errorCode(await gql(EXCLUDE, { p: cinema.id, codes: ['X'] }, freshmart.credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(EXCLUDE, { codes: ['X'] }, 'demo-member-ava'))).toBe('FORBIDDEN');
    expect(errorCode(await gql(EXCLUDE, { codes: Array.from({ length: 101 }, (_, i) => `C${i}`) }, freshmart.credential))).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('returns per line', () => {
  it('take back exactly what each line earned, each line once; the rest returns when no line is named', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const { id: earnId } = dataOf(await gql(EARN, earnInput(memberId, basket, basketTotal), freshmart.credential)).earnPoints;

    const key = randomUUID();
    const bread = dataOf(await reverse(earnId, { returnedLines: [1] }, key)).reverseEarn;
    expect(bread).toMatchObject({ pointsReversed: 12, pointsClawedBack: 0, transfers: [{ kind: 'REVERSAL', points: 12 }] });
    // The till retrying gets the same answer; a second return of the line is refused.
    expect(dataOf(await reverse(earnId, { returnedLines: [1] }, key)).reverseEarn).toEqual(bread);
    const again = await reverse(earnId, { returnedLines: [1] });
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    expect(again.errors?.[0]?.message).toMatch(/already returned/);
    expect(errorCode(await reverse(earnId, { returnedLines: [2, 2] }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await reverse(earnId, { returnedLines: [9] }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await reverse(earnId, { refundAmountMinor: 100 }))).toBe('BAD_USER_INPUT');

    // The tobacco earned nothing and takes nothing back, but is returned.
    expect(dataOf(await reverse(earnId, { returnedLines: [2] })).reverseEarn).toMatchObject({ pointsReversed: 0, transfers: [] });
    const rest = dataOf(await reverse(earnId, {})).reverseEarn;
    expect(rest).toMatchObject({ pointsReversed: 9, pointsClawedBack: 0 });
    expect(await availablePoints(memberId)).toBe(0);
    expect(errorCode(await reverse(earnId, {}))).toBe('BAD_USER_INPUT');
    const { rows } = await database().query(
      'SELECT refunded_amount_minor::int AS refunded, reversed_points::int AS reversed FROM members.earns WHERE transfer_id = $1',
      [earnId],
    );
    expect(rows[0]).toEqual({ refunded: basketTotal, reversed: 21 });
  });

  it('claw back what the member already spent, as any refund does', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const { id: earnId } = dataOf(await gql(EARN, earnInput(memberId, basket, basketTotal), freshmart.credential)).earnPoints;
    dataOf(
      await gql(
        `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { valueMinor } }`,
        { input: { memberId, partnerId: freshmart.id, points: 15, reference: 'spent', idempotencyKey: randomUUID() } },
        OPERATOR,
      ),
    );
    const bread = dataOf(await reverse(earnId, { returnedLines: [1] })).reverseEarn;
    expect(bread).toMatchObject({ pointsReversed: 6, pointsClawedBack: 6 });
    expect(await availablePoints(memberId)).toBe(-6);
  });

  it('a purchase without lines is still refunded by amount, in proportion', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const { id: earnId } = dataOf(
      await gql(
        EARN,
        { input: { memberId, purchaseAmountMinor: 5_000, currency: 'EUR', reference: 'r', idempotencyKey: randomUUID() } },
        freshmart.credential,
      ),
    ).earnPoints;
    expect(errorCode(await reverse(earnId, { returnedLines: [1] }))).toBe('BAD_USER_INPUT');
    expect(dataOf(await reverse(earnId, { refundAmountMinor: 2_500 })).reverseEarn.pointsReversed).toBe(25);
  });
});
