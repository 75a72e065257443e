import { randomUUID } from 'node:crypto';
import { DEMO_PARTNERS } from '../../shared/demo';
import { dataOf, eventually } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';

/**
 * Anonymised analytics through the gateway, on a stack of its own (the test closes periods):
 * groups of at least ten members are shown exactly, smaller ones are suppressed, and a differencing
 * attempt (a group of ten against the same group less one member, across the fixed dimensions and
 * across periods) reveals nothing about the member who dropped out.
 */
let isolated: IsolatedStack;
beforeAll(async () => {
  isolated = await startIsolatedStack('analytics');
}, 120_000);
afterAll(() => isolated?.stop());

const OPERATOR = 'demo-operator';
const partnerId = (code: string) => DEMO_PARTNERS.find((p) => p.code === code)!.id;
const credential = (code: string) => `demo-partner-${code}`;
const freshmart = credential('city-bonus-freshmart'); // GROCER
const pulsefit = credential('city-bonus-pulsefit'); // FITNESS
const lumiere = credential('city-bonus-lumiere'); // CINEMA: the curious partner
const skybridge = credential('travel-together-skybridge'); // AIRLINE

const gql = (query: string, variables: Record<string, unknown>, who?: string) => isolated.gql(query, variables, who);

async function enroll(): Promise<string> {
  const key = randomUUID();
  return dataOf(
    await gql(
      `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
      { input: { displayName: 'Analytics Member', email: `analytics-${key}@example.test`, idempotencyKey: key } },
      freshmart,
    ),
  ).enrollMember.id;
}

async function earn(partner: string, memberId: string, purchaseAmountMinor: number): Promise<bigint> {
  const key = randomUUID();
  const { earnPoints } = dataOf(
    await gql(
      `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { points } }`,
      { input: { memberId, purchaseAmountMinor, currency: 'EUR', reference: key, idempotencyKey: key } },
      partner,
    ),
  );
  return BigInt(earnPoints.points);
}

async function openPeriodId(): Promise<string> {
  const { settlementPeriods } = dataOf(await gql(`{ settlementPeriods(first: 1) { id status } }`, {}, OPERATOR));
  expect(settlementPeriods[0].status).toBe('OPEN');
  return settlementPeriods[0].id;
}

/**
 * Closes the period once settlement has counted every earn of it: the ledger publishes events
 * asynchronously, and one published after the close would be booked, late, in the next period.
 */
async function closeNow(periodId: string, issued: Record<string, bigint>): Promise<void> {
  for (const [partnerId, points] of Object.entries(issued)) {
    const counted = await eventually(
      async () => dataOf(await gql(`query($id: ID!) { partner(id: $id) { position { pointsIssued } } }`, { id: partnerId }, OPERATOR)),
      (data) => BigInt(data.partner.position.pointsIssued) === points,
    );
    expect(BigInt(counted.partner.position.pointsIssued)).toBe(points);
  }
  dataOf(
    await gql(
      `mutation($id: ID!, $at: DateTime) { closeSettlementPeriod(periodId: $id, closeAt: $at) { id } }`,
      { id: periodId, at: new Date().toISOString() },
      OPERATOR,
    ),
  );
}

const ANALYTICS = `query($p: ID!) { coalitionAnalytics(periodId: $p) {
  period { id status } minimumGroupSize
  total { activeMembers { members suppressed } pointsEarned { points suppressed } pointsRedeemed { points suppressed } }
  categories { category activeMembers { members suppressed } pointsEarned { points suppressed } pointsRedeemed { points suppressed } }
  crossShopping { categories members { members suppressed } }
} }`;

async function analytics(periodId: string, who = lumiere) {
  const { coalitionAnalytics } = dataOf(await gql(ANALYTICS, { p: periodId }, who));
  const category = (name: string) => coalitionAnalytics.categories.find((c: { category: string }) => c.category === name);
  const pair = (a: string, b: string) =>
    coalitionAnalytics.crossShopping.find((c: { categories: string[] }) => c.categories.includes(a) && c.categories.includes(b)).members;
  return { ...coalitionAnalytics, category, pair };
}

const HIDDEN_COUNT = { members: null, suppressed: true };
const HIDDEN_POINTS = { points: null, suppressed: true };
const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

describe('coalition analytics', () => {
  it('show groups of ten or more exactly, suppress smaller ones, and give nothing away to differencing', async () => {
    const members = await Promise.all(Array.from({ length: 11 }, () => enroll()));
    const group = members.slice(0, 10); // the group of ten
    const target = group[0]!; // the member the attacker wants to single out

    // Period 1: eleven members shop at the grocer and the gym; one of them also flies.
    const p1 = await openPeriodId();
    const grocer1 = await Promise.all(members.map((m, i) => earn(freshmart, m, 1_000 + i * 100)));
    const gym1 = await Promise.all(members.map((m) => earn(pulsefit, m, 2_000)));
    const flight = await earn(skybridge, target, 10_000);
    expect(flight).toBeGreaterThan(0n);
    // The open period changes with every event: no analytics for it.
    expect((await gql(ANALYTICS, { p: p1 }, lumiere)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await closeNow(p1, {
      [partnerId('city-bonus-freshmart')]: sum(grocer1),
      [partnerId('city-bonus-pulsefit')]: sum(gym1),
      [partnerId('travel-together-skybridge')]: flight,
    });

    const a1 = await analytics(p1);
    expect(a1.minimumGroupSize).toBe(10);
    expect(a1.period).toEqual({ id: p1, status: 'CLOSED' });
    expect(a1.category('GROCER')).toMatchObject({
      activeMembers: { members: 11, suppressed: false },
      pointsEarned: { points: sum(grocer1).toString(), suppressed: false },
      pointsRedeemed: HIDDEN_POINTS,
    });
    expect(a1.category('FITNESS').pointsEarned).toEqual({ points: sum(gym1).toString(), suppressed: false });
    expect(a1.pair('GROCER', 'FITNESS')).toEqual({ members: 11, suppressed: false });
    // One flyer: the airline cell is suppressed, and so is the total, since the total less the
    // visible grocer and gym cells would be exactly that one member's flight.
    expect(a1.category('AIRLINE')).toEqual({
      category: 'AIRLINE',
      activeMembers: HIDDEN_COUNT,
      pointsEarned: HIDDEN_POINTS,
      pointsRedeemed: HIDDEN_POINTS,
    });
    expect(a1.pair('GROCER', 'AIRLINE')).toEqual(HIDDEN_COUNT);
    expect(a1.total.pointsEarned).toEqual(HIDDEN_POINTS);
    expect(a1.category('CINEMA').activeMembers).toEqual(HIDDEN_COUNT); // nobody: an empty group says something too

    // Period 2: the group of ten shops at the grocer; nine of them (all but the target) at the cinema.
    const p2 = await openPeriodId();
    const grocer2 = await Promise.all(group.map((m) => earn(freshmart, m, 1_500)));
    const cinema2 = await Promise.all(group.slice(1).map((m) => earn(lumiere, m, 1_500)));
    await closeNow(p2, { [partnerId('city-bonus-freshmart')]: sum(grocer2), [partnerId('city-bonus-lumiere')]: sum(cinema2) });

    // Period 3: the same group less the target shops at the grocer exactly as before.
    const p3 = await openPeriodId();
    const grocer3 = await Promise.all(group.slice(1).map((m) => earn(freshmart, m, 1_500)));
    await closeNow(p3, { [partnerId('city-bonus-freshmart')]: sum(grocer3) });

    const a2 = await analytics(p2);
    const a3 = await analytics(p3);
    // Ten members: shown, exact integers.
    expect(a2.category('GROCER')).toMatchObject({
      activeMembers: { members: 10, suppressed: false },
      pointsEarned: { points: sum(grocer2).toString(), suppressed: false },
    });
    // The totals would be the grocer's ten plus the cinema's hidden nine: withheld (secondary suppression).
    expect(a2.total).toEqual({ activeMembers: HIDDEN_COUNT, pointsEarned: HIDDEN_POINTS, pointsRedeemed: HIDDEN_POINTS });
    // The attacker's differences: grocer of ten less grocer of nine (next period), grocer less cinema,
    // grocer less grocer-and-cinema shoppers. Every subtrahend is withheld.
    expect(a3.category('GROCER')).toMatchObject({ activeMembers: HIDDEN_COUNT, pointsEarned: HIDDEN_POINTS });
    expect(a3.total).toEqual({ activeMembers: HIDDEN_COUNT, pointsEarned: HIDDEN_POINTS, pointsRedeemed: HIDDEN_POINTS });
    expect(a2.category('CINEMA')).toMatchObject({ activeMembers: HIDDEN_COUNT, pointsEarned: HIDDEN_POINTS });
    expect(a2.pair('GROCER', 'CINEMA')).toEqual(HIDDEN_COUNT);
    expect(sum(grocer3)).toBeLessThan(sum(grocer2)); // the figure the attacker is after exists, but is never shown

    // Nowhere in any answer does a figure of fewer than ten members appear.
    for (const answer of [a1, a2, a3]) {
      for (const figure of [
        ...Object.values(answer.total),
        ...answer.categories.flatMap((c: Record<string, unknown>) => [c.activeMembers, c.pointsEarned, c.pointsRedeemed]),
        ...answer.crossShopping.map((c: { members: unknown }) => c.members),
      ] as { members?: number | null; points?: string | null; suppressed: boolean }[]) {
        if (figure.suppressed) expect(figure.members ?? figure.points ?? null).toBeNull();
        if (figure.members != null) expect(figure.members).toBeGreaterThanOrEqual(10);
      }
    }

    // The operator gets the same anonymised view; members and anonymous callers none.
    expect((await analytics(p2, OPERATOR)).category('GROCER').pointsEarned).toEqual(a2.category('GROCER').pointsEarned);
    expect((await gql(ANALYTICS, { p: p2 }, 'demo-member-ava')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(ANALYTICS, { p: p2 })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // Closing periods is an operator action: each close is in the audit log.
    const { auditLog } = dataOf(
      await gql(`{ auditLog(action: "closeSettlementPeriod") { edges { node { actor target service } } } }`, {}, OPERATOR),
    );
    expect(auditLog.edges.map((e: { node: { target: string } }) => e.node.target)).toEqual([p3, p2, p1]);
    expect(auditLog.edges[0].node).toMatchObject({ actor: 'operator:demo-operator', service: 'settlement' });
  });
});
