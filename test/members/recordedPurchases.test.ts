import { randomUUID } from 'node:crypto';
import { signToken } from '../../gateway/credentials';
import {
  availablePoints,
  closeDatabase,
  database,
  dataOf,
  enrollMember,
  errorCode,
  eventually,
  gql,
  OPERATOR,
  partner,
} from '../support/helpers';

/**
 * Purchases recorded without a member (subgraphs/members/purchases.ts) and claims matching them
 * (claims.ts, confirmIfMatched): a claim whose receipt matches a recorded purchase earns without
 * the partner's decision, whichever arrives first, once however they race; a mismatch waits for the
 * partner. A receipt earns once (the earns_receipt key): a till earn and a claim of the same
 * receipt racing make one earn, the other refused with RECEIPT_ALREADY_EARNED. A claim's earn
 * carries its purchase date to settlement, which books it in that date's period (entries.ts).
 */

afterAll(closeDatabase);

const trattoria = partner(0);
const cinema = partner(3);

const CLAIM_FIELDS = `id status documentNumber decidedAt member { id } earn { id kind points }
  matchedPurchase { id documentNumber }`;
const CLAIM = `mutation($input: ClaimMissingPointsInput!) { claimMissingPoints(input: $input) { ${CLAIM_FIELDS} } }`;
const CONFIRM = `mutation($c: ID!) { confirmPurchaseClaim(claimId: $c) { ${CLAIM_FIELDS} } }`;
const RECORD = `mutation($input: RecordPurchaseInput!) {
  recordPurchase(input: $input) {
    id documentNumber storeId purchaseAmountMinor currency purchasedAt partner { id } claim { ${CLAIM_FIELDS} }
  }
}`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id points } }`;
const EXCLUDE = `mutation($codes: [String!]!) { setExcludedCategories(categoryCodes: $codes) }`;

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
const newReceipt = () => `P-${randomUUID().slice(0, 18)}`;

/** What the till saw: a purchase at Trattoria's store 7 two days ago, 25.00 EUR. */
const purchase = (documentNumber: string, fields: Record<string, unknown> = {}) => ({
  input: {
    documentNumber,
    storeId: 'store-7',
    purchaseAmountMinor: 2_500,
    currency: 'EUR',
    purchasedAt: daysAgo(2),
    idempotencyKey: randomUUID(),
    ...fields,
  },
});

/** What the member remembers of the same purchase. */
const claimOf = (memberId: string, documentNumber: string, fields: Record<string, unknown> = {}) => ({
  input: {
    memberId,
    partnerId: trattoria.id,
    documentNumber,
    storeId: 'store-7',
    purchaseAmountMinor: 2_500,
    currency: 'EUR',
    purchasedAt: daysAgo(2),
    ...fields,
  },
});

const asMember = (memberId: string) => signToken('member', memberId, 300);

async function earnsOfReceipt(documentNumber: string): Promise<number> {
  const { rows } = await database().query('SELECT count(*)::int AS n FROM members.earns WHERE partner_id = $1 AND document_number = $2', [
    trattoria.id,
    documentNumber,
  ]);
  return rows[0].n;
}

describe('recorded purchases and claims matching them', () => {
  it('a claim of a recorded purchase is confirmed at once and earns, without the partner deciding', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const documentNumber = newReceipt();
    const input = purchase(documentNumber);
    const recorded = dataOf(await gql(RECORD, input, trattoria.credential)).recordPurchase;
    expect(recorded).toMatchObject({
      documentNumber,
      storeId: 'store-7',
      purchaseAmountMinor: 2_500,
      partner: { id: trattoria.id },
      claim: null,
    });

    // The member remembers the time a few hours off: the same day is enough.
    const claim = dataOf(
      await gql(
        CLAIM,
        claimOf(memberId, documentNumber, { purchasedAt: new Date(Date.parse(input.input.purchasedAt) - 5 * HOUR_MS) }),
        await asMember(memberId),
      ),
    ).claimMissingPoints;
    expect(claim.status).toBe('CONFIRMED');
    expect(claim.matchedPurchase).toEqual({ id: recorded.id, documentNumber });
    expect(claim.earn.kind).toBe('EARN');
    expect(await availablePoints(memberId)).toBe(claim.earn.points);

    // A retry of the recording answers the same purchase, now with its claim; the receipt under another key is refused.
    const retried = dataOf(await gql(RECORD, input, trattoria.credential)).recordPurchase;
    expect(retried.id).toBe(recorded.id);
    expect(retried.claim).toMatchObject({ id: claim.id, status: 'CONFIRMED', earn: { id: claim.earn.id } });
    expect(errorCode(await gql(RECORD, purchase(documentNumber), trattoria.credential))).toBe('RECEIPT_ALREADY_EARNED');
    expect(errorCode(await gql(RECORD, { input: { ...input.input, purchaseAmountMinor: 2_600 } }, trattoria.credential))).toBe(
      'IDEMPOTENCY_CONFLICT',
    );
    expect(await earnsOfReceipt(documentNumber)).toBe(1);
  });

  it('a purchase recorded after a pending matching claim confirms it; a mismatch leaves the claim to the partner', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const documentNumber = newReceipt();
    const pending = dataOf(await gql(CLAIM, claimOf(memberId, documentNumber), await asMember(memberId))).claimMissingPoints;
    expect(pending).toMatchObject({ status: 'PENDING', earn: null, matchedPurchase: null });
    const recorded = dataOf(await gql(RECORD, purchase(documentNumber), trattoria.credential)).recordPurchase;
    expect(recorded.claim).toMatchObject({ id: pending.id, status: 'CONFIRMED', matchedPurchase: { id: recorded.id } });
    expect(await availablePoints(memberId)).toBe(recorded.claim.earn.points);

    // The amount differs: no match, either way round.
    const other = await enrollMember(trattoria.credential);
    const mismatched = newReceipt();
    const claimInput = claimOf(other, mismatched, { purchaseAmountMinor: 2_499 });
    const claim = dataOf(await gql(CLAIM, claimInput, await asMember(other))).claimMissingPoints;
    const unmatched = dataOf(await gql(RECORD, purchase(mismatched), trattoria.credential)).recordPurchase;
    expect(unmatched.claim).toBeNull();
    // Recorded once: the same receipt under another key is refused.
    expect(errorCode(await gql(RECORD, purchase(mismatched), trattoria.credential))).toBe('BAD_USER_INPUT');
    const stillPending = dataOf(await gql(CLAIM, claimInput, await asMember(other)));
    expect(stillPending.claimMissingPoints).toMatchObject({ id: claim.id, status: 'PENDING', earn: null, matchedPurchase: null });
    // Another store, or another day, is no match either.
    for (const differs of [{ storeId: 'store-8' }, { purchasedAt: daysAgo(4) }]) {
      const documentNumber = newReceipt();
      dataOf(await gql(RECORD, purchase(documentNumber), trattoria.credential));
      const claimed = dataOf(await gql(CLAIM, claimOf(other, documentNumber, differs), await asMember(other))).claimMissingPoints;
      expect(claimed.status).toBe('PENDING');
    }
    expect(await availablePoints(other)).toBe(0);
    // The partner decides the mismatch.
    const decided = dataOf(await gql(CONFIRM, { c: claim.id }, trattoria.credential)).confirmPurchaseClaim;
    expect(decided).toMatchObject({ status: 'CONFIRMED', matchedPurchase: null });
    expect(await availablePoints(other)).toBe(decided.earn.points);
  });

  it('a claim confirmed by a recorded purchase with lines earns per line, excluded categories earning nothing', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const documentNumber = newReceipt();
    // Trattoria's own list (no other test sets it), with a code of this run's own.
    const giftCards = `GIFT-CARD-${randomUUID().slice(0, 8).toUpperCase()}`;
    dataOf(await gql(EXCLUDE, { codes: [giftCards] }, trattoria.credential));
    const lines = [
      { sku: 'PASTA-1', categoryCode: 'FOOD', quantity: 2, unitPriceMinor: 1_000, lineAmountMinor: 2_000 },
      { sku: 'GIFT-50', categoryCode: giftCards, quantity: 1, unitPriceMinor: 500, lineAmountMinor: 500 },
    ];
    dataOf(await gql(RECORD, purchase(documentNumber, { lines }), trattoria.credential));
    const claim = dataOf(await gql(CLAIM, claimOf(memberId, documentNumber), await asMember(memberId))).claimMissingPoints;
    const { rows } = await database().query(
      'SELECT line_number, points::int FROM members.earn_lines WHERE earn_id = $1 ORDER BY line_number',
      [claim.earn.id],
    );
    expect(rows.map((r: { line_number: number }) => r.line_number)).toEqual([1, 2]);
    expect(rows[0].points).toBeGreaterThan(0);
    expect(rows[1].points).toBe(0);
    expect(claim.earn.points).toBe(rows[0].points);
  });

  it('refuses what a recording must not be: a partner naming another, the future, beyond the claim window, a receipt that earned', async () => {
    expect(errorCode(await gql(RECORD, purchase(newReceipt(), { partnerId: trattoria.id }), cinema.credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(RECORD, purchase(newReceipt())))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(RECORD, purchase(newReceipt(), { purchasedAt: daysAgo(-1) }), trattoria.credential))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(RECORD, purchase(newReceipt(), { purchasedAt: daysAgo(15) }), trattoria.credential))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(RECORD, purchase(newReceipt(), { currency: 'USD' }), trattoria.credential))).toBe('BAD_USER_INPUT');
    const lines = [{ sku: 'A', categoryCode: 'FOOD', quantity: 1, unitPriceMinor: 100, lineAmountMinor: 100 }];
    expect(errorCode(await gql(RECORD, purchase(newReceipt(), { lines }), trattoria.credential))).toBe('BAD_USER_INPUT');
    const memberId = await enrollMember(trattoria.credential);
    const documentNumber = newReceipt();
    dataOf(
      await gql(
        EARN,
        {
          input: { memberId, purchaseAmountMinor: 2_500, currency: 'EUR', reference: 'till', documentNumber, idempotencyKey: randomUUID() },
        },
        trattoria.credential,
      ),
    );
    expect(errorCode(await gql(RECORD, purchase(documentNumber), trattoria.credential))).toBe('RECEIPT_ALREADY_EARNED');
    // The operator records for a partner it names.
    const byOperator = dataOf(await gql(RECORD, purchase(newReceipt(), { partnerId: trattoria.id }), OPERATOR)).recordPurchase;
    expect(byOperator.partner.id).toBe(trattoria.id);
  });

  it('a matching claim that cannot earn stays for the partner, whose rejection a retried recording does not undo', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const documentNumber = newReceipt();
    // One cent earns no whole point: the match confirms it, the earn refuses, the claim waits.
    const input = purchase(documentNumber, { purchaseAmountMinor: 1 });
    dataOf(await gql(RECORD, input, trattoria.credential));
    const claim = dataOf(
      await gql(CLAIM, claimOf(memberId, documentNumber, { purchaseAmountMinor: 1 }), await asMember(memberId)),
    ).claimMissingPoints;
    expect(claim).toMatchObject({ status: 'PENDING', earn: null });
    const REJECT = `mutation($c: ID!) { rejectPurchaseClaim(claimId: $c, reason: "Earns nothing") { status } }`;
    expect(dataOf(await gql(REJECT, { c: claim.id }, trattoria.credential)).rejectPurchaseClaim.status).toBe('REJECTED');
    const retried = dataOf(await gql(RECORD, input, trattoria.credential)).recordPurchase;
    expect(retried.claim).toMatchObject({ id: claim.id, status: 'REJECTED', earn: null });
  });

  it('a claim and the recording of its purchase racing: the claim is confirmed and earns exactly once', async () => {
    const rounds = 6;
    const members = await Promise.all(Array.from({ length: rounds }, () => enrollMember(trattoria.credential)));
    const receipts = members.map(() => newReceipt());
    const tokens = await Promise.all(members.map(asMember));
    await Promise.all(
      members.flatMap((memberId, i) => [
        gql(CLAIM, claimOf(memberId, receipts[i]!), tokens[i]).then(dataOf),
        gql(RECORD, purchase(receipts[i]!), trattoria.credential).then(dataOf),
      ]),
    );
    for (const [i, memberId] of members.entries()) {
      expect(await earnsOfReceipt(receipts[i]!)).toBe(1);
      const { rows } = await database().query(
        'SELECT status, matched_purchase_id IS NOT NULL AS matched, earn_transfer_id IS NOT NULL AS earned FROM members.purchase_claims WHERE document_number = $1',
        [receipts[i]],
      );
      expect(rows).toEqual([{ status: 'CONFIRMED', matched: true, earned: true }]);
      expect(await availablePoints(memberId)).toBeGreaterThan(0);
    }
  });
});

describe('a receipt earns once', () => {
  it('a till earn of a receipt and a claim confirmation of the same receipt racing make exactly one earn', async () => {
    const rounds = 6;
    for (let round = 0; round < rounds; round += 1) {
      const memberId = await enrollMember(trattoria.credential);
      const documentNumber = newReceipt();
      const claim = dataOf(await gql(CLAIM, claimOf(memberId, documentNumber), await asMember(memberId))).claimMissingPoints;
      const [till, confirmation] = await Promise.all([
        gql(
          EARN,
          {
            input: {
              memberId,
              purchaseAmountMinor: 2_500,
              currency: 'EUR',
              reference: 'till',
              documentNumber,
              idempotencyKey: randomUUID(),
            },
          },
          trattoria.credential,
        ),
        gql(CONFIRM, { c: claim.id }, trattoria.credential),
      ]);
      expect(await earnsOfReceipt(documentNumber)).toBe(1);
      const answers = [till, confirmation];
      expect(answers.filter((a) => !a.errors)).toHaveLength(1);
      const refused = answers.find((a) => a.errors)!;
      expect(errorCode(refused)).toBe('RECEIPT_ALREADY_EARNED');
      expect(refused.errors?.[0]?.message).toContain(documentNumber);
    }
  });

  it('the same receipt posted twice at the till under two keys earns once', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const documentNumber = newReceipt();
    const post = () =>
      gql(
        EARN,
        {
          input: { memberId, purchaseAmountMinor: 2_500, currency: 'EUR', reference: 'till', documentNumber, idempotencyKey: randomUUID() },
        },
        trattoria.credential,
      );
    const answers = await Promise.all([post(), post(), post()]);
    expect(answers.filter((a) => !a.errors)).toHaveLength(1);
    for (const refused of answers.filter((a) => a.errors)) expect(errorCode(refused)).toBe('RECEIPT_ALREADY_EARNED');
    expect(await earnsOfReceipt(documentNumber)).toBe(1);
    // Another partner's receipt of the same number is another receipt.
    dataOf(
      await gql(
        EARN,
        {
          input: { memberId, purchaseAmountMinor: 2_500, currency: 'EUR', reference: 'till', documentNumber, idempotencyKey: randomUUID() },
        },
        cinema.credential,
      ),
    );
  });
});

describe("a claim's earn in settlement", () => {
  it('carries the purchase date to settlement, which books the earn as of it', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const documentNumber = newReceipt();
    const purchasedAt = daysAgo(3);
    const claim = dataOf(await gql(CLAIM, claimOf(memberId, documentNumber, { purchasedAt }), await asMember(memberId))).claimMissingPoints;
    const confirmed = dataOf(await gql(CONFIRM, { c: claim.id }, trattoria.credential)).confirmPurchaseClaim;
    const { rows: events } = await database().query(
      `SELECT payload->>'effectiveAt' AS "effectiveAt" FROM members.outbox_events WHERE payload->>'transferId' = $1`,
      [confirmed.earn.id],
    );
    expect(events).toEqual([{ effectiveAt: purchasedAt }]);
    const entry = await eventually(
      async () =>
        (
          await database().query(
            `SELECT e.effective_at, e.occurred_at, p.starts_at, p.ends_at FROM settlement.settlement_entries e
               JOIN settlement.settlement_periods p ON p.id = e.period_id WHERE e.member_id = $1 AND e.kind = 'ISSUANCE'`,
            [memberId],
          )
        ).rows[0],
      (row) => row !== undefined,
    );
    expect(entry.effective_at.toISOString()).toBe(purchasedAt);
    // Booked in the period of the purchase date, or the earliest period when the stack has none that old.
    const { rows: earliest } = await database().query('SELECT min(starts_at) AS starts_at FROM settlement.settlement_periods');
    const bookedAs = new Date(Math.max(Date.parse(purchasedAt), earliest[0].starts_at.getTime()));
    expect(entry.starts_at.getTime()).toBeLessThanOrEqual(bookedAs.getTime());
    expect(entry.ends_at.getTime()).toBeGreaterThan(bookedAs.getTime());
    // A till earn carries no effective date.
    const till = dataOf(
      await gql(
        EARN,
        {
          input: {
            memberId,
            purchaseAmountMinor: 2_500,
            currency: 'EUR',
            reference: 'till',
            documentNumber: newReceipt(),
            idempotencyKey: randomUUID(),
          },
        },
        trattoria.credential,
      ),
    ).earnPoints;
    const { rows: tillEvents } = await database().query(
      `SELECT payload ? 'effectiveAt' AS has FROM members.outbox_events WHERE payload->>'transferId' = $1`,
      [till.id],
    );
    expect(tillEvents).toEqual([{ has: false }]);
  });
});
