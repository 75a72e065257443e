import { randomUUID } from 'node:crypto';
import { signToken } from '../../gateway/credentials';
import { availablePoints, closeDatabase, database, dataOf, enrollMember, errorCode, gql, OPERATOR, partner } from '../support/helpers';

/**
 * Claims of missing points (subgraphs/members/claims.ts): a member attaches the receipt of a
 * purchase it forgot to identify, within the claim window; the partner confirms it into an earn,
 * once however often and however concurrently it is confirmed, or rejects it; a receipt is claimed
 * once, even by many clients at the same moment.
 */

afterAll(closeDatabase);

const trattoria = partner(0);
const cinema = partner(3);

const CLAIM_FIELDS = `id status documentNumber storeId purchaseAmountMinor currency purchasedAt rejectionReason decidedAt
  member { id } partner { id } earn { id kind points }`;
const CLAIM = `mutation($input: ClaimMissingPointsInput!) { claimMissingPoints(input: $input) { ${CLAIM_FIELDS} } }`;
const CONFIRM = `mutation($c: ID!) { confirmPurchaseClaim(claimId: $c) { ${CLAIM_FIELDS} } }`;
const REJECT = `mutation($c: ID!, $r: String!) { rejectPurchaseClaim(claimId: $c, reason: $r) { ${CLAIM_FIELDS} } }`;
const LIST = `query($m: ID, $p: ID, $s: PurchaseClaimStatus, $first: Int, $after: String) {
  purchaseClaims(memberId: $m, partnerId: $p, status: $s, first: $first, after: $after) {
    edges { node { id status documentNumber } } pageInfo { hasNextPage endCursor } } }`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id points } }`;

const DAY_MS = 24 * 3600 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

/** A receipt at Trattoria two days ago, with a document number no other test uses. */
const receipt = (memberId: string, fields: Record<string, unknown> = {}) => ({
  input: {
    memberId,
    partnerId: trattoria.id,
    documentNumber: `R-${randomUUID().slice(0, 18)}`,
    storeId: 'store-7',
    purchaseAmountMinor: 2_500,
    currency: 'EUR',
    purchasedAt: daysAgo(2),
    ...fields,
  },
});

async function asMember(memberId: string): Promise<string> {
  return signToken('member', memberId, 300);
}

async function earnTransfers(memberId: string): Promise<number> {
  const { rows } = await database().query(`SELECT count(*)::int AS n FROM members.transfers WHERE member_id = $1 AND kind = 'EARN'`, [
    memberId,
  ]);
  return rows[0].n;
}

describe('claiming missing points', () => {
  it('a member claims a receipt, its partner confirms it, and the purchase earns once however often it is confirmed', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const before = await availablePoints(memberId);
    const claim = dataOf(await gql(CLAIM, receipt(memberId), await asMember(memberId))).claimMissingPoints;
    expect(claim).toMatchObject({
      status: 'PENDING',
      earn: null,
      decidedAt: null,
      member: { id: memberId },
      partner: { id: trattoria.id },
    });
    expect(await availablePoints(memberId)).toBe(before);

    const confirmed = dataOf(await gql(CONFIRM, { c: claim.id }, trattoria.credential)).confirmPurchaseClaim;
    expect(confirmed.status).toBe('CONFIRMED');
    expect(confirmed.earn.kind).toBe('EARN');
    expect(confirmed.earn.points).toBeGreaterThan(0);
    expect(await availablePoints(memberId)).toBe(before + confirmed.earn.points);

    const again = dataOf(await gql(CONFIRM, { c: claim.id }, OPERATOR)).confirmPurchaseClaim;
    expect(again.earn.id).toBe(confirmed.earn.id);
    expect(await availablePoints(memberId)).toBe(before + confirmed.earn.points);
    // The points live as long as if the card had been shown: 36 months from the purchase, not from now.
    const { rows: lots } = await database().query('SELECT expires_at FROM members.lots WHERE source_transfer_id = $1', [confirmed.earn.id]);
    const expected = new Date(claim.purchasedAt);
    expected.setUTCMonth(expected.getUTCMonth() + 36);
    expect(lots[0].expires_at.toISOString()).toBe(expected.toISOString());
    // The earn carries the receipt, so the receipt cannot be claimed again through a till earn either.
    const { rows } = await database().query('SELECT document_number, store_id FROM members.earns WHERE transfer_id = $1', [
      confirmed.earn.id,
    ]);
    expect(rows[0]).toEqual({ document_number: claim.documentNumber, store_id: 'store-7' });
  });

  it('many clients claiming the same receipt at once make one claim, and concurrent confirmations of it earn exactly once', async () => {
    const members = await Promise.all(Array.from({ length: 6 }, () => enrollMember(trattoria.credential)));
    const documentNumber = `R-${randomUUID().slice(0, 18)}`;
    const tokens = await Promise.all(members.map(asMember));
    const answers = await Promise.all(members.map((m, i) => gql(CLAIM, receipt(m, { documentNumber }), tokens[i])));
    const made = answers.filter((a) => !a.errors);
    expect(made).toHaveLength(1);
    for (const refused of answers.filter((a) => a.errors)) {
      expect(errorCode(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.message).toContain('already claimed');
    }
    const claim = dataOf(made[0]!).claimMissingPoints;
    const owner = claim.member.id as string;

    const confirmations = await Promise.all(Array.from({ length: 6 }, () => gql(CONFIRM, { c: claim.id }, trattoria.credential)));
    const earnIds = new Set(confirmations.map((c) => dataOf(c).confirmPurchaseClaim.earn.id));
    expect(earnIds.size).toBe(1);
    expect(await earnTransfers(owner)).toBe(1);
    for (const other of members.filter((m) => m !== owner)) expect(await earnTransfers(other)).toBe(0);
  });

  it('sending the same claim again returns the first one', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const input = receipt(memberId);
    const first = dataOf(await gql(CLAIM, input, trattoria.credential)).claimMissingPoints;
    const retry = dataOf(await gql(CLAIM, input, await asMember(memberId))).claimMissingPoints;
    expect(retry.id).toBe(first.id);
    const other = await gql(CLAIM, { input: { ...input.input, purchaseAmountMinor: 9_999 } }, trattoria.credential);
    expect(errorCode(other)).toBe('BAD_USER_INPUT');
  });

  it('refuses a purchase older than the claim window, one in the future, and a receipt that already earned at the till', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const token = await asMember(memberId);
    const old = await gql(CLAIM, receipt(memberId, { purchasedAt: daysAgo(15) }), token);
    expect(errorCode(old)).toBe('BAD_USER_INPUT');
    expect(old.errors?.[0]?.message).toContain('within 14 days');
    expect(dataOf(await gql(CLAIM, receipt(memberId, { purchasedAt: daysAgo(13) }), token)).claimMissingPoints.status).toBe('PENDING');
    expect(errorCode(await gql(CLAIM, receipt(memberId, { purchasedAt: daysAgo(-1) }), token))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(CLAIM, receipt(memberId, { currency: 'USD' }), token))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(CLAIM, receipt(memberId, { documentNumber: 'x'.repeat(65) }), token))).toBe('BAD_USER_INPUT');

    const documentNumber = `R-${randomUUID().slice(0, 18)}`;
    dataOf(
      await gql(
        EARN,
        {
          input: { memberId, purchaseAmountMinor: 1_000, currency: 'EUR', reference: 'till', documentNumber, idempotencyKey: randomUUID() },
        },
        trattoria.credential,
      ),
    );
    const twice = await gql(CLAIM, receipt(memberId, { documentNumber }), token);
    expect(errorCode(twice)).toBe('RECEIPT_ALREADY_EARNED');
    expect(twice.errors?.[0]?.message).toContain('already earned');
  });

  it('a rejected claim earns nothing, cannot be confirmed, and keeps its receipt claimed', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const input = receipt(memberId);
    const claim = dataOf(await gql(CLAIM, input, await asMember(memberId))).claimMissingPoints;
    const rejected = dataOf(await gql(REJECT, { c: claim.id, r: 'No such receipt at store 7' }, trattoria.credential)).rejectPurchaseClaim;
    expect(rejected).toMatchObject({ status: 'REJECTED', rejectionReason: 'No such receipt at store 7', earn: null });
    expect(errorCode(await gql(CONFIRM, { c: claim.id }, trattoria.credential))).toBe('BAD_USER_INPUT');
    expect(await earnTransfers(memberId)).toBe(0);
    const someoneElse = await enrollMember(trattoria.credential);
    expect(errorCode(await gql(CLAIM, receipt(someoneElse, { documentNumber: input.input.documentNumber }), trattoria.credential))).toBe(
      'BAD_USER_INPUT',
    );
    // A confirmed claim is not rejected afterwards.
    const second = dataOf(await gql(CLAIM, receipt(memberId), trattoria.credential)).claimMissingPoints;
    dataOf(await gql(CONFIRM, { c: second.id }, trattoria.credential));
    expect(errorCode(await gql(REJECT, { c: second.id, r: 'late' }, trattoria.credential))).toBe('BAD_USER_INPUT');
  });

  it('only the member itself, the receipt’s partner and the operator claim; only the partner and the operator decide', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const stranger = await enrollMember(trattoria.credential);
    expect(errorCode(await gql(CLAIM, receipt(memberId), await asMember(stranger)))).toBe('FORBIDDEN');
    expect(errorCode(await gql(CLAIM, receipt(memberId), cinema.credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(CLAIM, receipt(memberId)))).toBe('UNAUTHENTICATED');
    const claim = dataOf(await gql(CLAIM, receipt(memberId), await asMember(memberId))).claimMissingPoints;
    expect(errorCode(await gql(CONFIRM, { c: claim.id }, await asMember(memberId)))).toBe('FORBIDDEN');
    expect(errorCode(await gql(CONFIRM, { c: claim.id }, cinema.credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(REJECT, { c: claim.id, r: 'no' }, cinema.credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(CONFIRM, { c: randomUUID() }, trattoria.credential))).toBe('NOT_FOUND');
  });

  it('lists a member’s claims and a partner’s, newest first, a page at a time', async () => {
    const memberId = await enrollMember(trattoria.credential);
    const token = await asMember(memberId);
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1) made.push(dataOf(await gql(CLAIM, receipt(memberId), token)).claimMissingPoints.id);
    const firstPage = dataOf(await gql(LIST, { first: 2 }, token)).purchaseClaims;
    expect(firstPage.edges.map((e: any) => e.node.id)).toEqual([made[2], made[1]]);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const secondPage = dataOf(await gql(LIST, { first: 2, after: firstPage.pageInfo.endCursor }, token)).purchaseClaims;
    expect(secondPage.edges.map((e: any) => e.node.id)).toEqual([made[0]]);

    dataOf(await gql(CONFIRM, { c: made[0] }, trattoria.credential));
    const pending = dataOf(await gql(LIST, { m: memberId, s: 'PENDING' }, trattoria.credential)).purchaseClaims;
    expect(pending.edges.map((e: any) => e.node.id)).toEqual([made[2], made[1]]);
    const atTrattoria = dataOf(await gql(LIST, { s: 'CONFIRMED', first: 100 }, trattoria.credential)).purchaseClaims;
    expect(atTrattoria.edges.map((e: any) => e.node.id)).toContain(made[0]);
    // Another partner sees none of Trattoria's claims, and a member none of another's.
    expect(dataOf(await gql(LIST, { m: memberId }, cinema.credential)).purchaseClaims.edges).toEqual([]);
    expect(errorCode(await gql(LIST, { p: trattoria.id }, cinema.credential))).toBe('FORBIDDEN');
    const stranger = await enrollMember(trattoria.credential);
    expect(errorCode(await gql(LIST, { m: memberId }, await asMember(stranger)))).toBe('FORBIDDEN');
    expect(errorCode(await gql(LIST, { first: 101 }, token))).toBe('BAD_USER_INPUT');
  });
});
