import { randomInt, randomUUID } from 'node:crypto';
import { signToken } from '../../gateway/credentials';
import type { GraphQLResponse } from '../../scripts/gatewayClient';
import {
  adjust,
  availablePoints,
  checkoutToken,
  closeDatabase,
  database,
  dataOf,
  enrollMember,
  errorCode,
  gql,
  OPERATOR,
  partner,
} from '../support/helpers';
import { settlementOperations } from '../support/settlement';

/**
 * The rest of the till's security (subgraphs/members/pins.ts, identifiers.ts, checkout.ts): PINs
 * instead of a checkout token, their per-member lock and its race, wrong PINs in the partner's
 * lockout; each partner's budget of member lookups; a phone number or email that finds no member
 * a partner may not see; used and expired checkout tokens deleted. Tests that make wrong PINs or
 * many lookups do it as partners of their own, so the demo tills of other files stay unlocked.
 */

afterAll(closeDatabase);

const trattoria = partner(0);
const cinema = partner(3);
const settlement = settlementOperations(gql);

const BURN = `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { transfer { points member { id } } } }`;
const SET_PIN = `mutation($m: ID!, $pin: String!) { setPin(memberId: $m, pin: $pin) { id pinSet } }`;
const RESET_PIN = `mutation($m: ID!) { resetPin(memberId: $m) { id pinSet } }`;
const CARD = `query($id: ID!) { member(id: $id) { cardNumber pinSet } }`;
const LOOKUP = `query($kind: MemberIdentifierKind!, $value: String!) { memberByIdentifier(kind: $kind, value: $value) { id } }`;
const AUDIT = `query($actor: String, $action: String!) { auditLog(first: 100, actor: $actor, action: $action) { edges { node { target } } } }`;

/** A partner of its own with a contract and a till key; its id and key. */
async function tillPartner(): Promise<{ id: string; credential: string }> {
  const { id } = await settlement.registerPartner();
  dataOf(await settlement.setContract(id));
  const credential = dataOf(
    await gql(
      `mutation($p: ID!) { createPartnerApiKey(partnerId: $p, label: "till", scopes: [LEDGER_WRITE, CATALOG_WRITE]) { secret } }`,
      { p: id },
      OPERATOR,
    ),
  ).createPartnerApiKey.secret;
  return { id, credential };
}

/** A member of Trattoria with 10 000 points and the PIN 4829; its id and card number. */
async function memberWithPin(pin = '4829'): Promise<{ id: string; card: string }> {
  const id = await enrollMember(trattoria.credential);
  await adjust(id, 10_000);
  dataOf(await gql(SET_PIN, { m: id, pin }, await signToken('member', id, 60)));
  return { id, card: dataOf(await gql(CARD, { id }, OPERATOR)).member.cardNumber };
}

const burnWith = (card: string, pin: string, points = 100) => ({
  input: { member: { cardNumber: card }, pin, points, reference: 'till-pin', idempotencyKey: randomUUID() },
});

async function auditTargets(action: string, actor?: string): Promise<string[]> {
  return dataOf(await gql(AUDIT, { actor, action }, OPERATOR)).auditLog.edges.map((e: { node: { target: string } }) => e.node.target);
}

describe('PINs', () => {
  it('are set by the member only, 4 to 6 digits and not easy to guess, stored as a slow salted hash; the operator resets them', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const self = await signToken('member', memberId, 60);
    for (const weak of ['123', '1234567', '12a4', '1111', '1234', '98765', ' 4829']) {
      expect([weak, errorCode(await gql(SET_PIN, { m: memberId, pin: weak }, self))]).toEqual([weak, 'BAD_USER_INPUT']);
    }
    expect(errorCode(await gql(SET_PIN, { m: memberId, pin: '4829' }, trattoria.credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(SET_PIN, { m: memberId, pin: '4829' }, OPERATOR))).toBe('FORBIDDEN');
    expect(dataOf(await gql(SET_PIN, { m: memberId, pin: '482915' }, self)).setPin).toEqual({ id: memberId, pinSet: true });
    const { rows } = await database().query('SELECT pin_hash FROM members.member_pins WHERE member_id = $1', [memberId]);
    expect(rows[0].pin_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(rows[0].pin_hash).not.toContain('482915');
    // Another partner may not even learn whether the member has one.
    expect(dataOf(await gql(CARD, { id: memberId }, cinema.credential)).member.pinSet).toBeNull();

    expect(errorCode(await gql(RESET_PIN, { m: memberId }, self))).toBe('FORBIDDEN');
    expect(dataOf(await gql(RESET_PIN, { m: memberId }, OPERATOR)).resetPin).toEqual({ id: memberId, pinSet: false });
    expect(await auditTargets('resetPin')).toContain(memberId);
  });

  it('the right PIN with the card burns; a wrong one is refused, audited and spends nothing; a PIN beside a token is refused', async () => {
    const till = await tillPartner();
    const { id, card } = await memberWithPin();
    const wrong = await gql(BURN, burnWith(card, '4830'), till.credential);
    expect(errorCode(wrong)).toBe('FORBIDDEN');
    expect(wrong.errors?.[0]?.message).toMatch(/PIN was refused/);
    expect(await availablePoints(id)).toBe(10_000);
    expect(await auditTargets('pinRefused', `partner:${till.id}`)).toContain(id);

    const burned = dataOf(await gql(BURN, burnWith(card, '4829'), till.credential)).burnPoints;
    expect(burned.transfer).toEqual({ points: 100, member: { id } });
    expect(await availablePoints(id)).toBe(9_900);
    // The PIN bought a token for this partner and these points, used by the burn.
    const { rows } = await database().query(
      'SELECT partner_id, max_points, used_for FROM members.checkout_tokens WHERE member_id = $1 AND used_at IS NOT NULL',
      [id],
    );
    expect(rows).toEqual([{ partner_id: till.id, max_points: '100', used_for: 'burnPoints' }]);

    const { token } = await checkoutToken(id);
    const both = await gql(BURN, { input: { ...burnWith(card, '4829').input, checkoutToken: token } }, till.credential);
    expect(errorCode(both)).toBe('BAD_USER_INPUT');
    // A member without a PIN: refused, nothing spent.
    const noPin = await enrollMember(trattoria.credential);
    await adjust(noPin, 500);
    const noPinCard = dataOf(await gql(CARD, { id: noPin }, OPERATOR)).member.cardNumber;
    expect(errorCode(await gql(BURN, burnWith(noPinCard, '4829'), till.credential))).toBe('FORBIDDEN');
    expect(await availablePoints(noPin)).toBe(500);
    expect(await auditTargets('pinRefusedNoPin', `partner:${till.id}`)).toEqual([noPin]);
  });

  it('lock after 5 wrong PINs, right PIN or not, with the same refusal and its retry-after; every refusal and the lock audited', async () => {
    const till = await tillPartner();
    const { id, card } = await memberWithPin();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect([attempt, errorCode(await gql(BURN, burnWith(card, '5555'), till.credential))]).toEqual([attempt, 'FORBIDDEN']);
    }
    const withRight = await gql(BURN, burnWith(card, '4829'), till.credential);
    const withWrong = await gql(BURN, burnWith(card, '0000'), till.credential);
    expect(errorCode(withRight)).toBe('LIMIT_EXCEEDED');
    // The same refusal whatever the PIN: code, message and the wait.
    const strip = (r: GraphQLResponse<unknown>) => ({ ...r.errors![0], extensions: { ...r.errors![0]!.extensions, retryAfterSeconds: 0 } });
    expect(strip(withWrong)).toEqual(strip(withRight));
    const retryAfterSeconds = (withRight.errors?.[0]?.extensions as { retryAfterSeconds?: number }).retryAfterSeconds;
    expect(retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // Locked at any till, not only at the one that guessed.
    expect(errorCode(await gql(BURN, burnWith(card, '4829'), trattoria.credential))).toBe('LIMIT_EXCEEDED');
    expect(await availablePoints(id)).toBe(10_000);

    const actor = `partner:${till.id}`;
    expect(await auditTargets('pinRefused', actor)).toEqual([id, id, id, id, id]);
    expect(await auditTargets('pinLocked', actor)).toEqual([id]);
    expect(await auditTargets('pinRefusedWhileLocked', actor)).toEqual([id, id]);

    // The member's new PIN ends the lock.
    dataOf(await gql(SET_PIN, { m: id, pin: '7315' }, await signToken('member', id, 60)));
    dataOf(await gql(BURN, burnWith(card, '7315'), trattoria.credential));
    expect(await availablePoints(id)).toBe(9_900);
  });

  it('10 wrong PINs racing: exactly 5 counted and refused as wrong, the rest refused by the lock', async () => {
    const till = await tillPartner();
    const { id, card } = await memberWithPin();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => gql(BURN, burnWith(card, String(1000 + i * 7)), till.credential)),
    );
    const codes = results.map(errorCode).sort();
    expect(codes).toEqual([...Array(5).fill('FORBIDDEN'), ...Array(5).fill('LIMIT_EXCEEDED')]);
    const { rows } = await database().query(
      'SELECT wrong_pins, locked_until > now() AS locked FROM members.member_pins WHERE member_id = $1',
      [id],
    );
    expect(rows).toEqual([{ wrong_pins: 5, locked: true }]);
    expect(await auditTargets('pinRefused', `partner:${till.id}`)).toHaveLength(5);
    expect(await auditTargets('pinLocked', `partner:${till.id}`)).toHaveLength(1);
    expect(await availablePoints(id)).toBe(10_000);
  });

  it("count towards the partner's lockout: 10 wrong PINs over two members lock the till out of tokens and PINs", async () => {
    const till = await tillPartner();
    const first = await memberWithPin();
    const second = await memberWithPin();
    for (const { card } of [first, second]) {
      for (let attempt = 0; attempt < 5; attempt += 1)
        expect(errorCode(await gql(BURN, burnWith(card, '5555'), till.credential))).toBe('FORBIDDEN');
    }
    const third = await memberWithPin();
    const lockedOut = await gql(BURN, burnWith(third.card, '4829'), till.credential);
    expect(errorCode(lockedOut)).toBe('LIMIT_EXCEEDED');
    expect(lockedOut.errors?.[0]?.message).toMatch(/from this partner/);
    const { token } = await checkoutToken(third.id);
    expect(errorCode(await gql(LOOKUP, { kind: 'CHECKOUT_TOKEN', value: token }, till.credential))).toBe('LIMIT_EXCEEDED');
    expect(await auditTargets('checkoutTokensLockedOut', `partner:${till.id}`)).toHaveLength(1);
    // The third member's PIN is untouched: it still pays at another till.
    dataOf(await gql(BURN, burnWith(third.card, '4829'), trattoria.credential));
  });

  it("redeem a partner's reward at its till with card and PIN; a wrong PIN spends nothing, and 5 lock the PIN", async () => {
    const till = await tillPartner();
    const { id, card } = await memberWithPin();
    const rewardId = dataOf(
      await gql(
        `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`,
        {
          input: {
            title: 'PIN dessert',
            description: 'At the till',
            kind: 'FREE_ITEM',
            category: 'till',
            pointsCost: 300,
            idempotencyKey: randomUUID(),
          },
        },
        till.credential,
      ),
    ).createReward.id;
    const REDEEM = `mutation($m: MemberReferenceInput, $r: ID!, $pin: String, $k: String!) {
      redeemReward(member: $m, rewardId: $r, pin: $pin, idempotencyKey: $k) { status pointsSpent member { id } }
    }`;
    const wrong = await gql(REDEEM, { m: { cardNumber: card }, r: rewardId, pin: '4830', k: randomUUID() }, till.credential);
    expect(errorCode(wrong)).toBe('FORBIDDEN');
    expect(await availablePoints(id)).toBe(10_000);
    const redeemKey = randomUUID();
    const redeemed = dataOf(await gql(REDEEM, { m: { cardNumber: card }, r: rewardId, pin: '4829', k: redeemKey }, till.credential));
    expect(redeemed.redeemReward).toEqual({ status: 'ISSUED', pointsSpent: 300, member: { id } });
    expect(await availablePoints(id)).toBe(9_700);
    // The right PIN cleared the wrong one before it. Five wrong now lock the PIN; the wait reaches the till through rewards.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(errorCode(await gql(REDEEM, { m: { cardNumber: card }, r: rewardId, pin: '5555', k: randomUUID() }, till.credential))).toBe(
        'FORBIDDEN',
      );
    }
    const locked = await gql(REDEEM, { m: { cardNumber: card }, r: rewardId, pin: '4829', k: randomUUID() }, till.credential);
    expect(errorCode(locked)).toBe('LIMIT_EXCEEDED');
    expect((locked.errors?.[0]?.extensions as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThan(14 * 60);
    // A retry of the redemption made before the lock gets its answer: the PIN is not checked again.
    const retried = await gql(REDEEM, { m: { cardNumber: card }, r: rewardId, pin: '4829', k: redeemKey }, till.credential);
    expect(dataOf(retried).redeemReward).toEqual(redeemed.redeemReward);
    expect(await availablePoints(id)).toBe(9_700);
  });

  it('answer a retried burn with its first answer, not the PIN check again: a lock since does not refuse it, nor counts it', async () => {
    const till = await tillPartner();
    const { id, card } = await memberWithPin();
    const first = burnWith(card, '4829');
    const burned = dataOf(await gql(BURN, first, till.credential)).burnPoints;
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect([attempt, errorCode(await gql(BURN, burnWith(card, '5555'), till.credential))]).toEqual([attempt, 'FORBIDDEN']);
    }
    expect(errorCode(await gql(BURN, burnWith(card, '4829'), till.credential))).toBe('LIMIT_EXCEEDED');
    // The retry carries the same key and input (a till resending after a lost answer), even with a wrong PIN.
    expect(dataOf(await gql(BURN, first, till.credential)).burnPoints).toEqual(burned);
    expect(dataOf(await gql(BURN, { input: { ...first.input, pin: '0000' } }, till.credential)).burnPoints).toEqual(burned);
    expect(await availablePoints(id)).toBe(9_900);
    // Other input under its key is still refused as such.
    expect(errorCode(await gql(BURN, { input: { ...first.input, points: 101 } }, till.credential))).toBe('IDEMPOTENCY_CONFLICT');
    expect(await auditTargets('pinRefusedWhileLocked', `partner:${till.id}`)).toEqual([id]);
  });
});

describe('member lookups', () => {
  it("trip at the partner's limit with a retry-after, audited once per window; other partners are unaffected", async () => {
    const till = await tillPartner();
    const { card } = await memberWithPin();
    // 120 a minute by default: the window starts at the partner's first lookup, so none of these
    // crosses it. One after another: the gateway coalesces identical lookups in flight into one.
    for (let lookup = 1; lookup <= 120; lookup += 1) {
      expect([lookup, errorCode(await gql(LOOKUP, { kind: 'CARD_NUMBER', value: card }, till.credential))]).toEqual([lookup, undefined]);
    }
    const limited = await gql(LOOKUP, { kind: 'CARD_NUMBER', value: card }, till.credential);
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    const retryAfterSeconds = (limited.errors?.[0]?.extensions as { retryAfterSeconds?: number }).retryAfterSeconds;
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(errorCode(await gql(LOOKUP, { kind: 'EMAIL', value: 'nobody@example.test' }, till.credential))).toBe('RATE_LIMITED');
    expect(await auditTargets('memberLookupsLimited', `partner:${till.id}`)).toHaveLength(1);
    // Another partner's budget is its own; the operator has none.
    expect(dataOf(await gql(LOOKUP, { kind: 'CARD_NUMBER', value: card }, trattoria.credential)).memberByIdentifier).toBeTruthy();
    expect(dataOf(await gql(LOOKUP, { kind: 'CARD_NUMBER', value: card }, OPERATOR)).memberByIdentifier).toBeTruthy();
  });

  it('count an earn or burn naming a member no one has by card, phone or email, and hold every such reference once spent', async () => {
    const till = await tillPartner();
    const { id: memberId, card } = await memberWithPin();
    const earnBy = (member: Record<string, string>) =>
      gql(
        `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { member { id } } }`,
        { input: { member, purchaseAmountMinor: 1_000, currency: 'EUR', reference: 'till', idempotencyKey: randomUUID() } },
        till.credential,
      );
    // Naming a member the till serves is business, not a guess: it spends nothing...
    for (let i = 0; i < 3; i += 1) expect(dataOf(await earnBy({ cardNumber: card })).earnPoints.member.id).toBe(memberId);
    for (let lookup = 1; lookup <= 119; lookup += 1) {
      expect([lookup, errorCode(await gql(LOOKUP, { kind: 'CARD_NUMBER', value: card }, till.credential))]).toEqual([lookup, undefined]);
    }
    // ...a reference that finds no one is a guess and spends the 120th lookup, in an earn or a burn...
    expect(errorCode(await earnBy({ email: `nobody-${randomUUID()}@example.test` }))).toBe('NOT_FOUND');
    const burnByUnknownPhone = await gql(
      BURN,
      { input: { member: { phoneNumber: '+4930910000000' }, points: 1, reference: 'probe', idempotencyKey: randomUUID() } },
      till.credential,
    );
    expect(errorCode(burnByUnknownPhone)).toBe('RATE_LIMITED');
    // ...and once the budget is spent every reference by card, phone or email is refused alike,
    // found or not, until the window ends.
    const found = await earnBy({ cardNumber: card });
    expect(errorCode(found)).toBe('RATE_LIMITED');
    expect((found.errors?.[0]?.extensions as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(errorCode(await earnBy({ email: `nobody-${randomUUID()}@example.test` }))).toBe('RATE_LIMITED');
    // Another partner's till is not held.
    expect(
      dataOf(
        await gql(
          `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { member { id } } }`,
          {
            input: {
              member: { cardNumber: card },
              purchaseAmountMinor: 1_000,
              currency: 'EUR',
              reference: 'till',
              idempotencyKey: randomUUID(),
            },
          },
          trattoria.credential,
        ),
      ).earnPoints.member.id,
    ).toBe(memberId);
  });

  it('a phone number or email finds a member only for a partner that may see it: to any other, the answer of an unknown one', async () => {
    const email = `probe-${randomUUID()}@example.test`;
    const memberId = dataOf(
      await gql(
        `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
        { input: { displayName: 'Probe', email, idempotencyKey: randomUUID() } },
        trattoria.credential,
      ),
    ).enrollMember.id;
    const berlin = () => `+493091${String(randomInt(1_000_000)).padStart(6, '0')}`;
    const phone = berlin();
    dataOf(
      await gql(
        `mutation($m: ID!, $p: String!) { setPhoneNumber(memberId: $m, phoneNumber: $p) { id } }`,
        { m: memberId, p: phone },
        OPERATOR,
      ),
    );
    dataOf(await gql(`mutation($m: ID!) { verifyPhoneNumber(memberId: $m) { id } }`, { m: memberId }, OPERATOR));
    const unknownPhone = berlin();

    for (const [kind, known, unknown] of [
      ['EMAIL', email, `nobody-${randomUUID()}@example.test`],
      ['PHONE_NUMBER', phone, unknownPhone],
    ] as const) {
      // The partner the member enrolled through finds it; the operator too.
      expect(dataOf(await gql(LOOKUP, { kind, value: known }, trattoria.credential)).memberByIdentifier.id).toBe(memberId);
      expect(dataOf(await gql(LOOKUP, { kind, value: known }, OPERATOR)).memberByIdentifier.id).toBe(memberId);
      // Another partner gets exactly the answer for an identifier no member has.
      const invisible = await gql(LOOKUP, { kind, value: known }, cinema.credential);
      const absent = await gql(LOOKUP, { kind, value: unknown }, cinema.credential);
      expect(errorCode(invisible)).toBe('NOT_FOUND');
      expect(invisible).toEqual(absent);
      // Nor may it probe through a spend or an earn: the member reference resolves the same way.
      const burnBy = (value: string) =>
        gql(
          BURN,
          {
            input: {
              member: kind === 'EMAIL' ? { email: value } : { phoneNumber: value },
              points: 1,
              reference: 'probe',
              idempotencyKey: randomUUID(),
            },
          },
          cinema.credential,
        );
      const [burnInvisible, burnAbsent] = [await burnBy(known), await burnBy(unknown)];
      expect(errorCode(burnInvisible)).toBe('NOT_FOUND');
      expect(burnInvisible).toEqual(burnAbsent);
    }
    // Once the member consents to the cinema, the cinema finds it.
    dataOf(
      await gql(`mutation($m: ID!, $p: ID!) { grantConsent(memberId: $m, partnerId: $p) { id } }`, { m: memberId, p: cinema.id }, OPERATOR),
    );
    expect(dataOf(await gql(LOOKUP, { kind: 'EMAIL', value: email }, cinema.credential)).memberByIdentifier.id).toBe(memberId);
  });
});

describe('checkout token clean-up', () => {
  it('the maintenance pass deletes tokens used or expired more than a day ago and keeps the others', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const made = [];
    for (let i = 0; i < 4; i += 1) made.push(await checkoutToken(memberId));
    const { rows: hashes } = await database().query(
      'SELECT token_hash FROM members.checkout_tokens WHERE member_id = $1 ORDER BY created_at',
      [memberId],
    );
    const [usedLongAgo, expiredLongAgo, expiredLately, live] = hashes.map((r) => r.token_hash as string);
    // Time, not an event: the tokens' instants are moved into the past rather than waited for.
    await database().query(
      `UPDATE members.checkout_tokens SET used_at = now() - interval '25 hours', expires_at = now() - interval '24 hours 59 minutes' WHERE token_hash = $1`,
      [usedLongAgo],
    );
    await database().query(`UPDATE members.checkout_tokens SET expires_at = now() - interval '25 hours' WHERE token_hash = $1`, [
      expiredLongAgo,
    ]);
    await database().query(`UPDATE members.checkout_tokens SET expires_at = now() - interval '23 hours' WHERE token_hash = $1`, [
      expiredLately,
    ]);

    const run = dataOf(await gql(`mutation { runLedgerMaintenance { checkoutTokensDeleted } }`, {}, OPERATOR)).runLedgerMaintenance;
    // Its count is not asserted: the ledger's own timer, or another file's run, may have deleted them first.
    expect(Number.isInteger(run.checkoutTokensDeleted)).toBe(true);
    const { rows } = await database().query('SELECT token_hash FROM members.checkout_tokens WHERE member_id = $1', [memberId]);
    expect(rows.map((r) => r.token_hash).sort()).toEqual([expiredLately, live].sort());
  });
});
