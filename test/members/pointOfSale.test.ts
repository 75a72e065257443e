import { randomUUID } from 'node:crypto';
import { signToken } from '../../gateway/credentials';
import { luhnCheckDigit } from '../../subgraphs/members/identifiers';
import {
  adjust,
  availablePoints,
  checkoutToken,
  closeDatabase,
  CREATE_CHECKOUT_TOKEN,
  database,
  dataOf,
  enrollMember,
  errorCode,
  gql,
  OPERATOR,
  partner,
} from '../support/helpers';

/**
 * The point of sale (subgraphs/members/identifiers.ts, checkout.ts): members found by card, phone,
 * email or checkout token with the access rules; a partner spends a member's points only with the
 * member's checkout token, used once, under concurrency too. Trattoria (0) and PulseFit (2) are the
 * tills here, so the refused tokens counted against them stay far from the lockout; the lockout
 * itself runs on a partner registered for it.
 */

afterAll(closeDatabase);

const trattoria = partner(0); // 6000 micros a point redeemed
const pulsefit = partner(2);
const cinema = partner(3);

const CARD = `query($id: ID!) { member(id: $id) { cardNumber phoneNumber phoneNumberVerified } }`;
const LOOKUP = `query($kind: MemberIdentifierKind!, $value: String!) { memberByIdentifier(kind: $kind, value: $value) { id displayName email cardNumber } }`;
const BURN = `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { valueMinor transfer { kind points member { id } } } }`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { points member { id } } }`;
const REISSUE = `mutation($m: ID!, $k: String!) { reissueCard(memberId: $m, idempotencyKey: $k) { cardNumber } }`;
const SET_PHONE = `mutation($m: ID!, $p: String!) { setPhoneNumber(memberId: $m, phoneNumber: $p) { phoneNumber phoneNumberVerified } }`;
const VERIFY_PHONE = `mutation($m: ID!) { verifyPhoneNumber(memberId: $m) { phoneNumber phoneNumberVerified } }`;

async function cardOf(memberId: string): Promise<string> {
  return dataOf(await gql(CARD, { id: memberId }, OPERATOR)).member.cardNumber;
}

const burnInput = (fields: Record<string, unknown>) => ({
  input: { points: 100, reference: 'till-3', idempotencyKey: randomUUID(), ...fields },
});

/** A member enrolled through `via` with `points` to spend. */
async function memberWithPoints(via = trattoria, points = 10_000): Promise<string> {
  const memberId = await enrollMember(via.credential);
  await adjust(memberId, points);
  return memberId;
}

describe('coalition cards', () => {
  it('are issued at enrolment: 16 digits with a Luhn check digit, seen by the member, its partner and the operator only', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const card = await cardOf(memberId);
    expect(card).toMatch(/^[0-9]{16}$/);
    expect(luhnCheckDigit(card.slice(0, 15))).toBe(Number(card[15]));
    const asMember = dataOf(await gql(CARD, { id: memberId }, await signToken('member', memberId, 60))).member.cardNumber;
    expect(asMember).toBe(card);
    expect(dataOf(await gql(CARD, { id: memberId }, trattoria.credential)).member.cardNumber).toBe(card);
    // Another partner would otherwise join its customer list with Trattoria's by card number.
    expect(dataOf(await gql(CARD, { id: memberId }, cinema.credential)).member.cardNumber).toBeNull();
  });

  it('find the member at any partner, with what that partner may see; a mistyped digit is caught by the check digit', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const card = await cardOf(memberId);
    const spaced = `${card.slice(0, 4)} ${card.slice(4, 8)} ${card.slice(8, 12)} ${card.slice(12)}`;
    const atOwn = dataOf(await gql(LOOKUP, { kind: 'CARD_NUMBER', value: spaced }, trattoria.credential)).memberByIdentifier;
    expect(atOwn).toMatchObject({ id: memberId, displayName: 'Test Member', cardNumber: card });
    const atOther = dataOf(await gql(LOOKUP, { kind: 'CARD_NUMBER', value: card }, cinema.credential)).memberByIdentifier;
    expect(atOther.id).toBe(memberId);
    expect(atOther).toMatchObject({ email: null, cardNumber: null });
    expect(atOther.displayName).toMatch(/^m_/);

    const typo = card.slice(0, 5) + String((Number(card[5]) + 1) % 10) + card.slice(6);
    expect(errorCode(await gql(LOOKUP, { kind: 'CARD_NUMBER', value: typo }, cinema.credential))).toBe('BAD_USER_INPUT');
    const unknown = '000000000000000' + String(luhnCheckDigit('000000000000000'));
    expect(errorCode(await gql(LOOKUP, { kind: 'CARD_NUMBER', value: unknown }, cinema.credential))).toBe('NOT_FOUND');
    // Members and anonymous callers look nobody up.
    const self = await signToken('member', memberId, 60);
    expect(errorCode(await gql(LOOKUP, { kind: 'CARD_NUMBER', value: card }, self))).toBe('FORBIDDEN');
    expect(errorCode(await gql(LOOKUP, { kind: 'CARD_NUMBER', value: card }))).toBe('UNAUTHENTICATED');
  });

  it('reissued when lost: the old number is blocked with a clear error, the new one earns', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const old = await cardOf(memberId);
    const key = randomUUID();
    const self = await signToken('member', memberId, 60);
    const fresh = dataOf(await gql(REISSUE, { m: memberId, k: key }, self)).reissueCard.cardNumber;
    expect(fresh).not.toBe(old);
    // A retry reissues nothing more.
    expect(dataOf(await gql(REISSUE, { m: memberId, k: key }, self)).reissueCard.cardNumber).toBe(fresh);
    expect(errorCode(await gql(REISSUE, { m: memberId, k: randomUUID() }, cinema.credential))).toBe('FORBIDDEN');

    const blocked = await gql(LOOKUP, { kind: 'CARD_NUMBER', value: old }, trattoria.credential);
    expect(errorCode(blocked)).toBe('CARD_BLOCKED');
    expect(blocked.errors?.[0]?.message).toMatch(/blocked/);
    const earnByOld = await gql(
      EARN,
      { input: { member: { cardNumber: old }, purchaseAmountMinor: 1_000, currency: 'EUR', reference: 'r', idempotencyKey: randomUUID() } },
      trattoria.credential,
    );
    expect(errorCode(earnByOld)).toBe('CARD_BLOCKED');
    const earned = dataOf(
      await gql(
        EARN,
        {
          input: {
            member: { cardNumber: fresh },
            purchaseAmountMinor: 1_000,
            currency: 'EUR',
            reference: 'r',
            idempotencyKey: randomUUID(),
          },
        },
        trattoria.credential,
      ),
    ).earnPoints;
    expect(earned).toEqual({ points: 20, member: { id: memberId } });
    const { rows } = await database().query(`SELECT status FROM members.member_cards WHERE member_id = $1 ORDER BY issued_at`, [memberId]);
    expect(rows.map((r) => r.status)).toEqual(['BLOCKED', 'ACTIVE']);
  });
});

describe('phone numbers and email', () => {
  it('a phone number finds the member only once verified, in E.164 whatever the notation', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const other = await enrollMember(trattoria.credential);
    const digits = String(Date.now() % 1_000_000).padStart(6, '0');
    const phone = `+49 30 90${digits}`;
    const e164 = `+493090${digits}`;
    const self = await signToken('member', memberId, 60);
    expect(dataOf(await gql(SET_PHONE, { m: memberId, p: phone }, self)).setPhoneNumber).toEqual({
      phoneNumber: e164,
      phoneNumberVerified: false,
    });
    expect(errorCode(await gql(SET_PHONE, { m: memberId, p: '12345' }, self))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(LOOKUP, { kind: 'PHONE_NUMBER', value: phone }, trattoria.credential))).toBe('NOT_FOUND');

    expect(errorCode(await gql(VERIFY_PHONE, { m: memberId }, trattoria.credential))).toBe('FORBIDDEN');
    expect(dataOf(await gql(VERIFY_PHONE, { m: memberId }, OPERATOR)).verifyPhoneNumber.phoneNumberVerified).toBe(true);
    // Found by the partner it enrolled through; another partner may not find it by personal data (tillSecurity.test.ts).
    expect(dataOf(await gql(LOOKUP, { kind: 'PHONE_NUMBER', value: e164 }, trattoria.credential)).memberByIdentifier.id).toBe(memberId);

    // The same number, typed by another member, cannot be verified a second time.
    dataOf(await gql(SET_PHONE, { m: other, p: e164 }, OPERATOR));
    expect(errorCode(await gql(VERIFY_PHONE, { m: other }, OPERATOR))).toBe('BAD_USER_INPUT');
  });

  it('an email finds its member, case-insensitively', async () => {
    const email = `till-${randomUUID()}@example.test`;
    const { enrollMember: enrolled } = dataOf(
      await gql(
        `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
        { input: { displayName: 'Till', email, idempotencyKey: randomUUID() } },
        trattoria.credential,
      ),
    );
    expect(dataOf(await gql(LOOKUP, { kind: 'EMAIL', value: email.toUpperCase() }, trattoria.credential)).memberByIdentifier.id).toBe(
      enrolled.id,
    );
  });
});

describe('checkout tokens', () => {
  it('are made by the member for 90 s, with a QR code of the token, and stored only as a hash', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const before = Date.now();
    const made = await checkoutToken(memberId, { partnerId: trattoria.id, maxPoints: 500 });
    expect(made.token).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(new Date(made.expiresAt).getTime() - before).toBeGreaterThan(85_000);
    expect(new Date(made.expiresAt).getTime() - before).toBeLessThanOrEqual(91_000);
    expect(made).toMatchObject({ maxPoints: 500, member: { id: memberId }, partner: { id: trattoria.id } });
    expect(made.qrCodeSvg).toMatch(/^<svg[^>]*>.*<\/svg>\s*$/s);
    const { rows } = await database().query('SELECT token_hash FROM members.checkout_tokens WHERE member_id = $1', [memberId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toContain(made.token);
    // Nobody else makes one for the member.
    const input = { input: { memberId } };
    expect(errorCode(await gql(CREATE_CHECKOUT_TOKEN, input, trattoria.credential))).toBe('FORBIDDEN');
    expect(
      errorCode(await gql(CREATE_CHECKOUT_TOKEN, input, await signToken('member', await enrollMember(trattoria.credential), 60))),
    ).toBe('FORBIDDEN');
  });

  it('a partner burns only with the token, once; the retry of the burn gets its first answer, a replay is refused', async () => {
    const memberId = await memberWithPoints();
    const card = await cardOf(memberId);
    expect(errorCode(await gql(BURN, burnInput({ member: { cardNumber: card } }), trattoria.credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(BURN, burnInput({ memberId }), trattoria.credential))).toBe('FORBIDDEN');
    expect(await availablePoints(memberId)).toBe(10_000);

    const { token } = await checkoutToken(memberId);
    const first = burnInput({ member: { cardNumber: card }, checkoutToken: token });
    const burned = dataOf(await gql(BURN, first, trattoria.credential)).burnPoints;
    expect(burned).toMatchObject({ valueMinor: 60, transfer: { kind: 'BURN', points: 100, member: { id: memberId } } });
    expect(dataOf(await gql(BURN, first, trattoria.credential)).burnPoints.transfer).toEqual(burned.transfer);

    const replay = await gql(BURN, burnInput({ member: { checkoutToken: token } }), trattoria.credential);
    expect(errorCode(replay)).toBe('FORBIDDEN');
    expect(replay.errors?.[0]?.message).toMatch(/already used/);
    expect(await availablePoints(memberId)).toBe(9_900);
  });

  it('an expired token is refused and spends nothing', async () => {
    const memberId = await memberWithPoints();
    const { token } = await checkoutToken(memberId);
    // Time, not an event: rather than wait 90 s, the token's expiry is moved into the past.
    await database().query(`UPDATE members.checkout_tokens SET expires_at = now() - interval '1 second' WHERE member_id = $1`, [memberId]);
    const expired = await gql(BURN, burnInput({ member: { checkoutToken: token } }), trattoria.credential);
    expect(errorCode(expired)).toBe('FORBIDDEN');
    expect(expired.errors?.[0]?.message).toMatch(/expired/);
    expect(await availablePoints(memberId)).toBe(10_000);
  });

  it('is bound: to its member, to its partner and to its most points', async () => {
    const memberId = await memberWithPoints();
    const someoneElse = await memberWithPoints();
    const forMember = await checkoutToken(memberId);
    const wrongMember = await gql(BURN, burnInput({ memberId: someoneElse, checkoutToken: forMember.token }), trattoria.credential);
    expect(wrongMember.errors?.[0]?.message).toMatch(/another member/);

    const forTrattoria = await checkoutToken(memberId, { partnerId: trattoria.id, maxPoints: 150 });
    const atPulsefit = await gql(BURN, burnInput({ member: { checkoutToken: forTrattoria.token } }), pulsefit.credential);
    expect(atPulsefit.errors?.[0]?.message).toMatch(/another partner/);
    const tooMany = await gql(BURN, burnInput({ member: { checkoutToken: forTrattoria.token }, points: 151 }), trattoria.credential);
    expect(tooMany.errors?.[0]?.message).toMatch(/at most 150 points/);
    expect([wrongMember, atPulsefit, tooMany].map(errorCode)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    // Refused attempts do not use the token.
    dataOf(await gql(BURN, burnInput({ member: { checkoutToken: forTrattoria.token }, points: 150 }), trattoria.credential));
    expect(await availablePoints(memberId)).toBe(9_850);
    expect(await availablePoints(someoneElse)).toBe(10_000);
  });

  it('two concurrent burns with one token: exactly one succeeds', async () => {
    const memberId = await memberWithPoints();
    const { token } = await checkoutToken(memberId);
    const results = await Promise.all(
      [1, 2, 3].map(() => gql(BURN, burnInput({ member: { checkoutToken: token }, points: 1_000 }), trattoria.credential)),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'FORBIDDEN')).toHaveLength(2);
    expect(await availablePoints(memberId)).toBe(9_000);
  });

  it('a till looks the member up by its token without using it, and an earn by token leaves it usable', async () => {
    const memberId = await memberWithPoints();
    const { token } = await checkoutToken(memberId);
    expect(
      dataOf(await gql(LOOKUP, { kind: 'CHECKOUT_TOKEN', value: token.toLowerCase() }, trattoria.credential)).memberByIdentifier.id,
    ).toBe(memberId);
    dataOf(
      await gql(
        EARN,
        {
          input: {
            member: { checkoutToken: token },
            purchaseAmountMinor: 1_000,
            currency: 'EUR',
            reference: 'r',
            idempotencyKey: randomUUID(),
          },
        },
        trattoria.credential,
      ),
    );
    dataOf(await gql(BURN, burnInput({ member: { checkoutToken: token } }), trattoria.credential));
    expect(await availablePoints(memberId)).toBe(10_000 + 20 - 100);
    const used = await gql(LOOKUP, { kind: 'CHECKOUT_TOKEN', value: token }, trattoria.credential);
    expect(errorCode(used)).toBe('FORBIDDEN');
  });

  it('a partner locked out after too many refused tokens, with every refusal audited', async () => {
    // A partner of its own: its refusals must not lock out the tills of other tests.
    const code = `till-${randomUUID().slice(0, 8)}`;
    const partnerId = dataOf(
      await gql(
        `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`,
        { input: { code, name: 'Till Test', programName: 'City Bonus', category: 'GROCER', idempotencyKey: randomUUID() } },
        OPERATOR,
      ),
    ).registerPartner.id;
    const apiKey = dataOf(
      await gql(
        `mutation($p: ID!) { createPartnerApiKey(partnerId: $p, label: "till", scopes: [LEDGER_WRITE]) { secret } }`,
        { p: partnerId },
        OPERATOR,
      ),
    ).createPartnerApiKey.secret;
    const guess = (i: number) => gql(LOOKUP, { kind: 'CHECKOUT_TOKEN', value: `GUESS${String(i).padStart(11, '0')}` }, apiKey);
    for (let i = 0; i < 10; i += 1) expect(errorCode(await guess(i))).toBe('FORBIDDEN');
    const locked = await guess(10);
    expect(errorCode(locked)).toBe('LIMIT_EXCEEDED');
    // Locked out even with a good token, until old refusals leave the window.
    const { token } = await checkoutToken(await enrollMember(trattoria.credential));
    expect(errorCode(await gql(LOOKUP, { kind: 'CHECKOUT_TOKEN', value: token }, apiKey))).toBe('LIMIT_EXCEEDED');

    const audit = `query($actor: String!, $action: String!) { auditLog(first: 100, actor: $actor, action: $action) { edges { node { action } } } }`;
    const refusals = dataOf(await gql(audit, { actor: `partner:${partnerId}`, action: 'checkoutTokenRefused' }, OPERATOR)).auditLog.edges;
    expect(refusals).toHaveLength(10);
    const lockouts = dataOf(await gql(audit, { actor: `partner:${partnerId}`, action: 'checkoutTokensLockedOut' }, OPERATOR)).auditLog
      .edges;
    expect(lockouts).toHaveLength(1);
  });
});

describe('redemptions at a till', () => {
  const REDEEM = `mutation($m: MemberReferenceInput, $r: ID!, $t: String, $k: String!) {
    redeemReward(member: $m, rewardId: $r, checkoutToken: $t, idempotencyKey: $k) { id status pointsSpent member { id } }
  }`;

  async function rewardOf(partnerCredential: string): Promise<string> {
    return dataOf(
      await gql(
        `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`,
        {
          input: {
            title: 'Till dessert',
            description: 'At the till',
            kind: 'FREE_ITEM',
            category: 'till',
            pointsCost: 300,
            idempotencyKey: randomUUID(),
          },
        },
        partnerCredential,
      ),
    ).createReward.id;
  }

  it('a partner redeems its own reward with the token; the saga retry answers, a replay and a partner key alone are refused', async () => {
    const memberId = await memberWithPoints();
    const card = await cardOf(memberId);
    const rewardId = await rewardOf(trattoria.credential);
    expect(errorCode(await gql(REDEEM, { m: { cardNumber: card }, r: rewardId, k: randomUUID() }, trattoria.credential))).toBe('FORBIDDEN');

    const { token } = await checkoutToken(memberId, { partnerId: trattoria.id });
    const variables = { m: { cardNumber: card }, r: rewardId, t: token, k: randomUUID() };
    const redeemed = dataOf(await gql(REDEEM, variables, trattoria.credential)).redeemReward;
    expect(redeemed).toMatchObject({ status: 'ISSUED', pointsSpent: 300, member: { id: memberId } });
    // The same request again (a till retrying) gets the same redemption, though the token is used.
    expect(dataOf(await gql(REDEEM, variables, trattoria.credential)).redeemReward.id).toBe(redeemed.id);
    const { rows } = await database().query('SELECT checkout_token FROM rewards.redemptions WHERE id = $1', [redeemed.id]);
    expect(rows[0].checkout_token).toBeNull();

    const replay = await gql(REDEEM, { ...variables, k: randomUUID() }, trattoria.credential);
    expect(errorCode(replay)).toBe('FORBIDDEN');
    expect(await availablePoints(memberId)).toBe(9_700);
  });

  it("a partner may not redeem another partner's reward, even with a token", async () => {
    const memberId = await memberWithPoints();
    const rewardId = await rewardOf(cinema.credential);
    const { token } = await checkoutToken(memberId);
    const response = await gql(REDEEM, { m: { checkoutToken: token }, r: rewardId, k: randomUUID() }, trattoria.credential);
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(await availablePoints(memberId)).toBe(10_000);
  });
});
