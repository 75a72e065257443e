import { randomUUID } from 'node:crypto';
import { DEMO_MEMBERS } from '../../shared/demo';
import {
  adjust,
  ADJUST,
  availablePoints,
  closeDatabase,
  database,
  dataOf,
  earn,
  EARN,
  enrollMember,
  errorCode,
  gql,
  internalCall,
  MAINTENANCE,
  OPERATOR,
  partner,
  TRANSFER,
  waitUntilPast,
  wallet,
} from '../support/helpers';

afterAll(closeDatabase);

const freshmart = partner(1); // 1 point per euro
const cinema = partner(3); // 3 points per euro
const hotel = partner(5); // 4 points per euro

const CONFIRM = `mutation($input: SettlePendingEarnInput!) { confirmPendingEarn(input: $input) { id kind points } }`;
const VOID = `mutation($input: SettlePendingEarnInput!) { voidPendingEarn(input: $input) { id kind points } }`;
const REVERSE = `mutation($input: ReverseEarnInput!) { reverseEarn(input: $input) {
  pointsReversed pointsClawedBack transfers { kind points } member { balance { availablePoints } }
} }`;
const RESERVE = `mutation($input: ReservePointsInput!) { reservePoints(input: $input) { id status points } }`;
const POST = `mutation($id: ID!) { postReservation(reservationId: $id) { id status redeemTransferId } }`;
const RELEASE = `mutation($id: ID!) { voidReservation(reservationId: $id) { id status } }`;

async function earnTransfer(credential: string, memberId: string, purchaseAmountMinor: number, pendingUntil?: Date) {
  return dataOf(
    await gql(
      EARN,
      {
        input: {
          memberId,
          purchaseAmountMinor,
          currency: 'EUR',
          reference: `r-${randomUUID()}`,
          pendingUntil: pendingUntil?.toISOString(),
          idempotencyKey: randomUUID(),
        },
      },
      credential,
    ),
  ).earnPoints;
}

async function clawbackDebt(memberId: string): Promise<number> {
  const { rows } = await database().query('SELECT clawback_debt_points::int AS debt FROM members.members WHERE id = $1', [memberId]);
  return rows[0].debt;
}

describe('idempotency keys', () => {
  // Any printable character is a valid key, and must reach the key's record as given.
  it('records a key with quotes and backslashes as given: a retry answers the first outcome, other input conflicts', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const earnWithKey = (idempotencyKey: string, purchaseAmountMinor: number) =>
      gql(EARN, { input: { memberId, purchaseAmountMinor, currency: 'EUR', reference: 'receipt', idempotencyKey } }, freshmart.credential);
    const key = `it's-a-"key"\\;--${randomUUID()}`;
    const first = dataOf(await earnWithKey(key, 1000)).earnPoints;
    expect(dataOf(await earnWithKey(key, 1000)).earnPoints.id).toBe(first.id);
    expect(errorCode(await earnWithKey(key, 2000))).toBe('IDEMPOTENCY_CONFLICT');
    const { rows } = await database().query('SELECT key, result FROM members.idempotency_keys WHERE key = $1', [key]);
    expect(rows).toEqual([{ key, result: { result: { transferId: first.id } } }]);
    // A refusal is the key's outcome too, recorded with the COMMIT.
    const refusedKey = `';ROLLBACK;--\\${randomUUID()}`;
    expect(errorCode(await earnWithKey(refusedKey, 1))).toBe('BAD_USER_INPUT');
    expect(errorCode(await earnWithKey(refusedKey, 1))).toBe('BAD_USER_INPUT');
    const refused = await database().query('SELECT result FROM members.idempotency_keys WHERE key = $1', [refusedKey]);
    expect(refused.rows).toEqual([
      { result: { error: { code: 'BAD_USER_INPUT', message: 'The purchase is too small to earn a whole point' } } },
    ]);
    expect(await availablePoints(memberId)).toBe(first.points);
  });
});

describe('pending earns', () => {
  it('hold points as pending until confirmed, then make them spendable; never both posted and voided', async () => {
    const memberId = await enrollMember(hotel.credential);
    const stay = await earnTransfer(hotel.credential, memberId, 25_000, new Date(Date.now() + 3600_000)); // 1000 points
    expect(stay).toMatchObject({ kind: 'EARN_PENDING', points: 1_000 });
    expect((await wallet(memberId)).balance).toMatchObject({ availablePoints: 0, pendingPoints: 1_000, lifetimeEarnedPoints: 0 });

    const posted = dataOf(
      await gql(CONFIRM, { input: { earnId: stay.id, idempotencyKey: randomUUID() } }, hotel.credential),
    ).confirmPendingEarn;
    expect(posted).toMatchObject({ kind: 'EARN_POST', points: 1_000 });
    expect((await wallet(memberId)).balance).toMatchObject({ availablePoints: 1_000, pendingPoints: 0, lifetimeEarnedPoints: 1_000 });
    // Confirming again gives the same posting; voiding a posted earn is refused.
    const again = dataOf(
      await gql(CONFIRM, { input: { earnId: stay.id, idempotencyKey: randomUUID() } }, hotel.credential),
    ).confirmPendingEarn;
    expect(again.id).toBe(posted.id);
    expect(errorCode(await gql(VOID, { input: { earnId: stay.id, idempotencyKey: randomUUID() } }, hotel.credential))).toBe(
      'BAD_USER_INPUT',
    );
    expect((await wallet(memberId)).balance.availablePoints).toBe(1_000);
  });

  it('voids a cancelled booking, and only the partner of the earn or the operator may settle it', async () => {
    const memberId = await enrollMember(hotel.credential);
    const stay = await earnTransfer(hotel.credential, memberId, 10_000, new Date(Date.now() + 3600_000));
    expect(errorCode(await gql(VOID, { input: { earnId: stay.id, idempotencyKey: randomUUID() } }, freshmart.credential))).toBe(
      'FORBIDDEN',
    );
    expect(dataOf(await gql(VOID, { input: { earnId: stay.id, idempotencyKey: randomUUID() } }, OPERATOR)).voidPendingEarn.kind).toBe(
      'EARN_VOID',
    );
    expect(errorCode(await gql(CONFIRM, { input: { earnId: stay.id, idempotencyKey: randomUUID() } }, hotel.credential))).toBe(
      'BAD_USER_INPUT',
    );
    expect((await wallet(memberId)).balance).toMatchObject({ availablePoints: 0, pendingPoints: 0 });
  });

  it('settles a race between confirmation and cancellation one way only', async () => {
    const memberId = await enrollMember(hotel.credential);
    const stays = await Promise.all(
      [1, 2, 3, 4, 5].map(() => earnTransfer(hotel.credential, memberId, 2_500, new Date(Date.now() + 3600_000))),
    );
    const outcomes = await Promise.all(
      stays.map(async (stay) => {
        const [confirmed, voided] = await Promise.all([
          gql(CONFIRM, { input: { earnId: stay.id, idempotencyKey: randomUUID() } }, hotel.credential),
          gql(VOID, { input: { earnId: stay.id, idempotencyKey: randomUUID() } }, hotel.credential),
        ]);
        expect([confirmed.errors === undefined, voided.errors === undefined].filter(Boolean)).toHaveLength(1);
        return confirmed.errors === undefined ? 'posted' : 'voided';
      }),
    );
    const postedCount = outcomes.filter((o) => o === 'posted').length;
    expect((await wallet(memberId)).balance).toMatchObject({ availablePoints: postedCount * 100, pendingPoints: 0 });
  });

  it('posts by itself once the hold has ended', async () => {
    const memberId = await enrollMember(hotel.credential);
    const checkout = new Date(Date.now() + 1_000);
    const stay = await earnTransfer(hotel.credential, memberId, 5_000, checkout);
    expect(
      errorCode(
        await gql(
          EARN,
          {
            input: {
              memberId,
              purchaseAmountMinor: 100,
              currency: 'EUR',
              reference: 'x',
              pendingUntil: new Date(Date.now() - 1000).toISOString(),
              idempotencyKey: randomUUID(),
            },
          },
          hotel.credential,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    await waitUntilPast(checkout);
    // This run, or one another test started at the same moment, posts it: either way, once.
    expect((await gql(MAINTENANCE, {}, OPERATOR)).errors).toBeUndefined();
    expect((await wallet(memberId)).balance).toMatchObject({ availablePoints: stay.points, pendingPoints: 0 });
    expect(errorCode(await gql(MAINTENANCE, {}, hotel.credential))).toBe('FORBIDDEN');
  });
});

describe('refunds', () => {
  it('take back points in proportion, adding up to exactly the earn over several partial refunds', async () => {
    const memberId = await enrollMember(cinema.credential);
    const purchase = await earnTransfer(cinema.credential, memberId, 1_299); // 38 points
    const refund = (refundAmountMinor?: number) =>
      gql(
        REVERSE,
        { input: { earnId: purchase.id, refundAmountMinor, reference: 'refund', idempotencyKey: randomUUID() } },
        cinema.credential,
      );
    expect(dataOf(await refund(500)).reverseEarn).toMatchObject({ pointsReversed: 14, pointsClawedBack: 0 }); // floor(38 x 500 / 1299)
    expect(dataOf(await refund(400)).reverseEarn.pointsReversed).toBe(12); // floor(38 x 900 / 1299) = 26 in all
    expect(dataOf(await refund()).reverseEarn.pointsReversed).toBe(12); // the rest: 38 in all
    expect(errorCode(await refund(1))).toBe('BAD_USER_INPUT');
    expect((await wallet(memberId)).balance).toMatchObject({ availablePoints: 0, lifetimeEarnedPoints: 0 });
    expect(
      errorCode(await gql(REVERSE, { input: { earnId: purchase.id, reference: 'x', idempotencyKey: randomUUID() } }, freshmart.credential)),
    ).toBe('FORBIDDEN');
  });

  it('claw back points already spent: the member goes below zero, recorded, and later earns repay it', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const friend = await enrollMember(freshmart.credential);
    const purchase = await earnTransfer(freshmart.credential, memberId, 100_000); // 1000 points
    dataOf(
      await gql(TRANSFER, { input: { fromMemberId: memberId, toMemberId: friend, points: 800, idempotencyKey: randomUUID() } }, OPERATOR),
    );
    const reversal = dataOf(
      await gql(REVERSE, { input: { earnId: purchase.id, reference: 'returned TV', idempotencyKey: randomUUID() } }, freshmart.credential),
    ).reverseEarn;
    expect(reversal).toMatchObject({ pointsReversed: 200, pointsClawedBack: 800, member: { balance: { availablePoints: -800 } } });
    expect(reversal.transfers.map((t: { kind: string }) => t.kind)).toEqual(['REVERSAL', 'CLAWBACK']);
    expect(await clawbackDebt(memberId)).toBe(800);
    await earn(freshmart.credential, memberId, 50_000); // 500 points repay part of the debt
    expect((await wallet(memberId)).balance.availablePoints).toBe(-300);
    expect(await clawbackDebt(memberId)).toBe(300);
  });

  it('lower the tier when they take qualifying points away', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const purchase = await earnTransfer(freshmart.credential, memberId, 500_000); // 5000 points: Silver
    expect((await wallet(memberId)).tier).toEqual({ level: 'SILVER', qualifyingPoints: 5_000 });
    dataOf(
      await gql(
        REVERSE,
        { input: { earnId: purchase.id, refundAmountMinor: 100_000, reference: 'r', idempotencyKey: randomUUID() } },
        freshmart.credential,
      ),
    );
    expect((await wallet(memberId)).tier).toEqual({ level: 'BASE', qualifyingPoints: 4_000 });
    const { rows } = await database().query(
      `SELECT payload->>'to' AS tier FROM members.outbox_events WHERE member_id = $1 AND type = 'tier.changed' ORDER BY member_sequence`,
      [memberId],
    );
    expect(rows.map((r: { tier: string }) => r.tier)).toEqual(['SILVER', 'BASE']);
  });
});

describe('two-phase debits (internal)', () => {
  it('hold points, then post them or give them back, never both', async () => {
    const memberId = await enrollMember(freshmart.credential);
    await adjust(memberId, 500);
    const reserve = async (points: number) =>
      (
        await internalCall('members', RESERVE, {
          input: { memberId, partnerId: freshmart.id, points, reference: 'r', idempotencyKey: randomUUID() },
        })
      ).data!.reservePoints;
    const first = await reserve(200);
    const second = await reserve(100);
    expect((await wallet(memberId)).balance).toMatchObject({ availablePoints: 200, reservedPoints: 300 });
    const tooMuch = await internalCall('members', RESERVE, {
      input: { memberId, partnerId: freshmart.id, points: 201, reference: 'r', idempotencyKey: randomUUID() },
    });
    expect(tooMuch.errors?.[0]?.extensions?.code).toBe('INSUFFICIENT_POINTS');

    const [posted, voided] = await Promise.all([
      internalCall('members', POST, { id: first.id }),
      internalCall('members', RELEASE, { id: first.id }),
    ]);
    expect([posted.errors === undefined, voided.errors === undefined].filter(Boolean)).toHaveLength(1);
    expect((await internalCall('members', RELEASE, { id: second.id })).data!.voidReservation.status).toBe('VOIDED');
    expect((await internalCall('members', RELEASE, { id: second.id })).data!.voidReservation.status).toBe('VOIDED');
    const expected = posted.errors === undefined ? 300 : 500;
    expect((await wallet(memberId)).balance).toMatchObject({ availablePoints: expected, reservedPoints: 0 });
    // The public graph does not offer these operations, and a partner cannot call them.
    expect(
      errorCode(
        await gql(RESERVE, { input: { memberId, partnerId: freshmart.id, points: 1, reference: 'r', idempotencyKey: 'k' } }, OPERATOR),
      ),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('release a hold that timed out', async () => {
    const memberId = await enrollMember(freshmart.credential);
    await adjust(memberId, 50);
    const { reservePoints } = (
      await internalCall('members', RESERVE, {
        input: { memberId, partnerId: freshmart.id, points: 50, reference: 'r', timeoutSeconds: 1, idempotencyKey: randomUUID() },
      })
    ).data!;
    await waitUntilPast(new Date(Date.now() + 1_000));
    expect((await gql(MAINTENANCE, {}, OPERATOR)).errors).toBeUndefined();
    expect((await wallet(memberId)).balance).toMatchObject({ availablePoints: 50, reservedPoints: 0 });
    expect((await internalCall('members', POST, { id: reservePoints.id })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('transferPoints', () => {
  it('gives points that keep their expiry date, by the giver only', async () => {
    const giver = await enrollMember(freshmart.credential);
    const receiver = await enrollMember(freshmart.credential);
    const expiresAt = new Date(Date.now() + 90 * 24 * 3600_000);
    await adjust(giver, 300, expiresAt);
    const given = dataOf(
      await gql(TRANSFER, { input: { fromMemberId: giver, toMemberId: receiver, points: 120, idempotencyKey: randomUUID() } }, OPERATOR),
    );
    expect(given.transferPoints).toMatchObject({ kind: 'TRANSFER', points: 120, counterpartyMember: { id: receiver } });
    const received = await wallet(receiver);
    expect(received.balance).toMatchObject({ availablePoints: 120, nextExpiry: { points: 120 } });
    expect(new Date(received.balance.nextExpiry.expiresAt).getTime()).toBe(expiresAt.getTime());
    expect((await wallet(giver)).balance.availablePoints).toBe(180);

    const input = { fromMemberId: giver, toMemberId: receiver, points: 1, idempotencyKey: randomUUID() };
    expect(errorCode(await gql(TRANSFER, { input }, `demo-member-${DEMO_MEMBERS[0].handle}`))).toBe('FORBIDDEN');
    expect(errorCode(await gql(TRANSFER, { input: { ...input, toMemberId: giver } }, OPERATOR))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(TRANSFER, { input: { ...input, points: 181 } }, OPERATOR))).toBe('INSUFFICIENT_POINTS');
  });

  it('holds the daily limit under concurrent transfers', async () => {
    const giver = await enrollMember(freshmart.credential);
    const receiver = await enrollMember(freshmart.credential);
    await adjust(giver, 30_000);
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        gql(TRANSFER, { input: { fromMemberId: giver, toMemberId: receiver, points: 3_000, idempotencyKey: randomUUID() } }, OPERATOR),
      ),
    );
    expect(responses.filter((r) => r.errors === undefined)).toHaveLength(3); // 9000 of the 10000 a day
    expect(responses.filter((r) => errorCode(r) === 'LIMIT_EXCEEDED')).toHaveLength(2);
    expect((await wallet(receiver)).balance.availablePoints).toBe(9_000);
  });
});

describe('adjustments and expiry', () => {
  it('lets only the operator adjust, with a reason kept on the transfer', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const input = { memberId, points: 40, reason: 'goodwill: late delivery', idempotencyKey: randomUUID() };
    expect(errorCode(await gql(ADJUST, { input }, freshmart.credential))).toBe('FORBIDDEN');
    expect(dataOf(await gql(ADJUST, { input }, OPERATOR)).adjustPoints).toMatchObject({
      kind: 'ADJUSTMENT',
      points: 40,
      reason: 'goodwill: late delivery',
    });
    expect(errorCode(await gql(ADJUST, { input: { ...input, points: -41, idempotencyKey: randomUUID() } }, OPERATOR))).toBe(
      'INSUFFICIENT_POINTS',
    );
    expect(errorCode(await gql(ADJUST, { input: { ...input, points: 0, idempotencyKey: randomUUID() } }, OPERATOR))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(ADJUST, { input: { ...input, reason: ' ', idempotencyKey: randomUUID() } }, OPERATOR))).toBe(
      'BAD_USER_INPUT',
    );
    const { rows } = await database().query(`SELECT created_by FROM members.transfers WHERE member_id = $1 AND kind = 'ADJUSTMENT'`, [
      memberId,
    ]);
    expect(rows).toEqual([{ created_by: 'operator:demo-operator' }]);
  });

  it('spends the soonest-expiring points first and expires what is left of due lots, once, however many runs race', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const soon = new Date(Date.now() + 1_000);
    const later = new Date(Date.now() + 1_500);
    await adjust(memberId, 300, new Date(Date.now() + 365 * 24 * 3600_000));
    await adjust(memberId, 100, soon);
    await adjust(memberId, 200, later);
    await adjust(memberId, -150); // takes the 100 expiring soonest, then 50 of the 200
    expect((await wallet(memberId)).balance).toMatchObject({ availablePoints: 450, nextExpiry: { points: 150 } });

    await waitUntilPast(later);
    const runs = await Promise.all([1, 2, 3].map(() => gql(MAINTENANCE, {}, OPERATOR)));
    expect(runs.every((r) => r.errors === undefined)).toBe(true);
    const balance = (await wallet(memberId)).balance;
    expect(balance).toMatchObject({ availablePoints: 300, nextExpiry: { points: 300 } });
    const { rows } = await database().query(`SELECT points::int FROM members.transfers WHERE member_id = $1 AND kind = 'EXPIRY'`, [
      memberId,
    ]);
    expect(rows).toEqual([{ points: 150 }]);
  });
});

describe('transaction history', () => {
  it("pages a member's transfers newest first with their effect, filtered by kind, partner and date", async () => {
    const memberId = await enrollMember(freshmart.credential);
    const start = new Date();
    await earn(freshmart.credential, memberId, 10_000); // +100 at FreshMart
    await earn(cinema.credential, memberId, 1_000); // +30 at the cinema
    await adjust(memberId, -20);
    const query = `query($id: ID!, $first: Int, $after: String, $kinds: [TransferKind!], $partnerId: ID, $from: DateTime, $to: DateTime) {
      member(id: $id) { transactions(first: $first, after: $after, kinds: $kinds, partnerId: $partnerId, from: $from, to: $to) {
        edges { availablePointsDelta pendingPointsDelta node { kind points partner { id } } }
        pageInfo { hasNextPage endCursor }
      } } }`;
    const all = dataOf(await gql(query, { id: memberId }, OPERATOR)).member.transactions;
    expect(all.edges.map((e: any) => [e.node.kind, e.availablePointsDelta])).toEqual([
      ['ADJUSTMENT', -20],
      ['EARN', 30],
      ['EARN', 100],
    ]);
    const firstPage = dataOf(await gql(query, { id: memberId, first: 2 }, OPERATOR)).member.transactions;
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const secondPage = dataOf(await gql(query, { id: memberId, first: 2, after: firstPage.pageInfo.endCursor }, OPERATOR)).member
      .transactions;
    expect(secondPage.edges.map((e: any) => e.availablePointsDelta)).toEqual([100]);
    const earnsOnly = dataOf(await gql(query, { id: memberId, kinds: ['EARN'], partnerId: cinema.id }, OPERATOR)).member.transactions;
    expect(earnsOnly.edges.map((e: any) => e.node.points)).toEqual([30]);
    const none = dataOf(await gql(query, { id: memberId, to: start.toISOString() }, OPERATOR)).member.transactions;
    expect(none.edges).toEqual([]);
    // A partner sees only the member's transfers at itself.
    const seenByCinema = dataOf(await gql(query, { id: memberId }, cinema.credential)).member.transactions;
    expect(seenByCinema.edges.map((e: any) => e.node.partner.id)).toEqual([cinema.id]);
    expect(errorCode(await gql(query, { id: memberId, first: 101 }, OPERATOR))).toBe('BAD_USER_INPUT');
  });
});

describe('the members list', () => {
  const MEMBERS = `query($first: Int) { members(first: $first) { edges { node { id enrolledVia { id } } } } }`;
  it('lists every member for the operator, its own for a partner, and refuses members and anonymous callers', async () => {
    const mine = await enrollMember(partner(2).credential);
    const forPartner = dataOf(await gql(MEMBERS, { first: 100 }, partner(2).credential)).members.edges;
    expect(forPartner.map((e: any) => e.node.id)).toContain(mine);
    expect(forPartner.every((e: any) => e.node.enrolledVia.id === partner(2).id)).toBe(true);
    expect(dataOf(await gql(MEMBERS, { first: 100 }, OPERATOR)).members.edges.length).toBeGreaterThan(forPartner.length);
    expect(errorCode(await gql(MEMBERS, {}, `demo-member-${DEMO_MEMBERS[0].handle}`))).toBe('FORBIDDEN');
    expect(errorCode(await gql(MEMBERS, {}))).toBe('UNAUTHENTICATED');
  });
});

describe('the event feed (internal, read by settlement)', () => {
  it('returns events in numeric position order across powers of ten, so a checkpoint never jumps past one', async () => {
    // Enough events that one read spans positions 9 and 10 (and 99 and 100 once the suite has run).
    const memberId = await enrollMember(freshmart.credential);
    for (let i = 0; i < 12; i++) await earn(freshmart.credential, memberId, 100);
    const read = await internalCall<{ ledgerEvents: { position: string }[] }>(
      'members',
      `{ ledgerEvents(afterPosition: 0, first: 1000) { position } }`,
    );
    const positions = read.data!.ledgerEvents.map((e) => BigInt(e.position));
    expect(positions.length).toBeGreaterThanOrEqual(12);
    expect(positions.some((p) => p >= 10n)).toBe(true);
    const sorted = [...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(positions).toEqual(sorted);
  });
});
