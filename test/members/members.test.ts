import { randomUUID } from 'node:crypto';
import { DEMO_MEMBERS } from '../../shared/demo';
import {
  availablePoints,
  BALANCE,
  closeDatabase,
  database,
  dataOf,
  earn,
  EARN,
  ENROLL,
  enrollMember,
  errorCode,
  gql,
  OPERATOR,
  partner,
} from '../support/helpers';

afterAll(closeDatabase);

const freshmart = partner(1); // 1 point per euro
const cinema = partner(3); // 3 points per euro

const earnInput = (memberId: string, overrides: Record<string, unknown> = {}) => ({
  input: { memberId, purchaseAmountMinor: 2_500, currency: 'EUR', reference: 'receipt-1', idempotencyKey: randomUUID(), ...overrides },
});

describe('enrollMember', () => {
  it('enrolls through the calling partner, and a retry with the same key returns the same member', async () => {
    const key = randomUUID();
    const input = { displayName: 'Nora Berg', email: `nora-${key}@example.test`, idempotencyKey: key };
    const first = dataOf(await gql(ENROLL, { input }, freshmart.credential));
    expect(first.enrollMember).toMatchObject({ displayName: 'Nora Berg', enrolledVia: { id: freshmart.id } });
    const retry = dataOf(await gql(ENROLL, { input }, freshmart.credential));
    expect(retry.enrollMember.id).toBe(first.enrollMember.id);
    const conflict = await gql(ENROLL, { input: { ...input, displayName: 'Someone Else' } }, freshmart.credential);
    expect(errorCode(conflict)).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('refuses a second member with the same email (case-insensitively)', async () => {
    const email = `dup-${randomUUID()}@example.test`;
    dataOf(await gql(ENROLL, { input: { displayName: 'A', email, idempotencyKey: randomUUID() } }, freshmart.credential));
    const again = await gql(
      ENROLL,
      { input: { displayName: 'B', email: email.toUpperCase(), idempotencyKey: randomUUID() } },
      cinema.credential,
    );
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    expect(again.errors?.[0]?.message).toMatch(/already enrolled/);
  });

  it.each([
    ['an empty name', { displayName: '  ' }, 'BAD_USER_INPUT'],
    ['a malformed email', { email: 'not-an-email' }, 'BAD_USER_INPUT'],
    ['an empty idempotency key', { idempotencyKey: '' }, 'BAD_USER_INPUT'],
    ['an idempotency key over 128 characters', { idempotencyKey: 'k'.repeat(129) }, 'BAD_USER_INPUT'],
    ['another partner named by a partner', { partnerId: partner(0).id }, 'FORBIDDEN'],
  ])('refuses %s and enrolls nobody', async (_case, override, code) => {
    const email = `bad-${randomUUID()}@example.test`;
    const response = await gql(
      ENROLL,
      { input: { displayName: 'X', email, idempotencyKey: randomUUID(), ...override } },
      freshmart.credential,
    );
    expect(errorCode(response)).toBe(code);
    const { rowCount } = await database().query('SELECT 1 FROM members.members WHERE email = $1', [email]);
    expect(rowCount).toBe(0);
  });

  it('refuses anonymous callers and members', async () => {
    const input = { displayName: 'X', email: `x-${randomUUID()}@example.test`, idempotencyKey: randomUUID() };
    expect(errorCode(await gql(ENROLL, { input }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(ENROLL, { input }, `demo-member-${DEMO_MEMBERS[0].handle}`))).toBe('FORBIDDEN');
  });
});

describe('earnPoints', () => {
  it("turns a purchase into points at the partner's earn rate, rounded down", async () => {
    const memberId = await enrollMember(cinema.credential);
    // 3 points per euro: €12.99 earns 38.97, rounded down to 38.
    const response = dataOf(await gql(EARN, earnInput(memberId, { purchaseAmountMinor: 1_299 }), cinema.credential));
    expect(response.earnPoints).toMatchObject({ kind: 'EARN', points: 38, partner: { id: cinema.id } });
    expect(response.earnPoints.member.balance).toEqual({ availablePoints: 38, lifetimeEarnedPoints: 38 });
  });

  it('returns the first result for a retry and IDEMPOTENCY_CONFLICT for a changed retry, applying points once', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const variables = earnInput(memberId);
    const first = dataOf(await gql(EARN, variables, freshmart.credential));
    const retry = dataOf(await gql(EARN, variables, freshmart.credential));
    expect(retry.earnPoints.id).toBe(first.earnPoints.id);
    const changed = await gql(EARN, { input: { ...variables.input, purchaseAmountMinor: 9_900 } }, freshmart.credential);
    expect(errorCode(changed)).toBe('IDEMPOTENCY_CONFLICT');
    expect(await availablePoints(memberId)).toBe(25);
  });

  it('raises the tier and its multiplier once qualifying points cross a threshold', async () => {
    const memberId = await enrollMember(freshmart.credential);
    expect(await earn(freshmart.credential, memberId, 500_000)).toBe(5_000); // reaches Silver exactly
    const { member } = dataOf(await gql(BALANCE, { id: memberId }, OPERATOR));
    expect(member.tier.level).toBe('SILVER');
    expect(await earn(freshmart.credential, memberId, 10_000)).toBe(125); // x1.25 at Silver
  });

  it.each([
    ['an unknown member', { memberId: '99999999-0000-4000-8000-000000000000' }, 'NOT_FOUND'],
    ['a malformed member id', { memberId: 'nope' }, 'BAD_USER_INPUT'],
    ['a zero amount', { purchaseAmountMinor: 0 }, 'BAD_USER_INPUT'],
    ['a negative amount', { purchaseAmountMinor: -500 }, 'BAD_USER_INPUT'],
    ['an amount too small for a point', { purchaseAmountMinor: 99 }, 'BAD_USER_INPUT'],
    ['another currency than the contract', { currency: 'USD' }, 'BAD_USER_INPUT'],
    ['an empty reference', { reference: '' }, 'BAD_USER_INPUT'],
    ['an idempotency key with spaces', { idempotencyKey: 'two words' }, 'BAD_USER_INPUT'],
  ])('refuses %s with a clear error and changes nothing', async (_case, override, code) => {
    const memberId = await enrollMember(freshmart.credential);
    const response = await gql(EARN, earnInput(memberId, override), freshmart.credential);
    expect(errorCode(response)).toBe(code);
    expect(response.errors?.[0]?.message.length).toBeGreaterThan(10);
    expect(await availablePoints(memberId)).toBe(0);
  });

  it('refuses a request without an idempotency key', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const { idempotencyKey: _omitted, ...input } = earnInput(memberId).input;
    const response = await gql(EARN, { input }, freshmart.credential);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(await availablePoints(memberId)).toBe(0);
  });

  it('lets a partner post only as itself, and the operator only for a named partner', async () => {
    const memberId = await enrollMember(freshmart.credential);
    expect(errorCode(await gql(EARN, earnInput(memberId, { partnerId: cinema.id }), freshmart.credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(EARN, earnInput(memberId), OPERATOR))).toBe('BAD_USER_INPUT');
    dataOf(await gql(EARN, earnInput(memberId, { partnerId: cinema.id }), OPERATOR));
    expect(errorCode(await gql(EARN, earnInput(memberId)))).toBe('UNAUTHENTICATED');
    expect(await availablePoints(memberId)).toBe(75);
  });
});

describe('reading members', () => {
  it('lets a member read itself only, and anonymous callers nothing', async () => {
    const ava = DEMO_MEMBERS[0];
    const ben = DEMO_MEMBERS[1];
    const credential = `demo-member-${ava.handle}`;
    expect((await gql(BALANCE, { id: ava.id }, credential)).errors).toBeUndefined();
    expect(dataOf(await gql('{ me { id email } }', {}, credential)).me).toEqual({ id: ava.id, email: ava.email });
    expect(errorCode(await gql(BALANCE, { id: ben.id }, credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(BALANCE, { id: ava.id }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(BALANCE, { id: '99999999-0000-4000-8000-000000000000' }, OPERATOR))).toBe('NOT_FOUND');
  });

  it("pages a partner's members with a bounded page size", async () => {
    const roadrunner = partner(6);
    const enrolled = [];
    for (let i = 0; i < 3; i += 1) enrolled.push(await enrollMember(roadrunner.credential));
    const query = `query($id: ID!, $first: Int, $after: String) {
      partner(id: $id) { members(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }
    }`;
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = dataOf(await gql(query, { id: roadrunner.id, first: 2, after }, roadrunner.credential)).partner.members;
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(expect.arrayContaining(enrolled));
    expect(new Set(seen).size).toBe(seen.length);
    expect(errorCode(await gql(query, { id: roadrunner.id, first: 101 }, roadrunner.credential))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(query, { id: roadrunner.id, after: 'garbage' }, roadrunner.credential))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(query, { id: roadrunner.id }, freshmart.credential))).toBe('FORBIDDEN');
  });
});

describe('ledger invariants under concurrency', () => {
  it('applies concurrent earns and retries exactly once, and every account sums to zero', async () => {
    const members = await Promise.all([0, 1, 2].map(() => enrollMember(freshmart.credential)));
    const keys = Array.from({ length: 10 }, () => randomUUID());
    // Every earn sent three times at once, for three members at the same partner: 90 requests.
    const requests = members.flatMap((memberId) =>
      keys.flatMap((key) =>
        [0, 1, 2].map(() =>
          gql(EARN, earnInput(memberId, { idempotencyKey: `${memberId}-${key}`, purchaseAmountMinor: 1_000 }), freshmart.credential),
        ),
      ),
    );
    const responses = await Promise.all(requests);
    expect(responses.filter((r) => r.errors)).toEqual([]);
    const transferIds = new Set(responses.map((r) => r.data.earnPoints.id));
    expect(transferIds.size).toBe(30);
    for (const memberId of members) expect(await availablePoints(memberId)).toBe(100);

    const db = database();
    const [{ total }] = (await db.query('SELECT coalesce(sum(balance_points), 0)::text AS total FROM members.accounts')).rows;
    expect(total).toBe('0');
    // Each stored balance equals the sum of the transfers into it minus those out of it.
    const mismatched = await db.query(`
      SELECT a.id FROM members.accounts a
       WHERE a.balance_points <> coalesce((SELECT sum(points) FROM members.transfers WHERE to_account_id = a.id), 0)
                              - coalesce((SELECT sum(points) FROM members.transfers WHERE from_account_id = a.id), 0)`);
    expect(mismatched.rows).toEqual([]);
    // Each member's events are numbered 1, 2, 3... with no gap and no duplicate.
    const gaps = await db.query(`
      SELECT member_id FROM members.outbox_events GROUP BY member_id
      HAVING count(*) <> max(member_sequence) OR min(member_sequence) <> 1`);
    expect(gaps.rows).toEqual([]);
  });
});
