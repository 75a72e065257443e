import type { Caller } from './identity';

/**
 * The demo coalition seeded on first start (docs/DESIGN.md, "Running"), with fixed ids so that the
 * development credentials below name real rows. Each subgraph seeds only its own part.
 */
export const DEMO_PARTNERS = [
  {
    id: '10000000-0000-4000-8000-000000000001',
    code: 'city-bonus-trattoria',
    name: 'Trattoria Bella',
    programName: 'City Bonus',
    category: 'RESTAURANT',
    earnRateMilliPointsPerUnit: 2000,
    issuePriceMicrosPerPoint: 8000,
    redemptionValueMicrosPerPoint: 6000,
  },
  {
    id: '10000000-0000-4000-8000-000000000002',
    code: 'city-bonus-freshmart',
    name: 'FreshMart',
    programName: 'City Bonus',
    category: 'GROCER',
    earnRateMilliPointsPerUnit: 1000,
    issuePriceMicrosPerPoint: 7000,
    redemptionValueMicrosPerPoint: 6000,
  },
  {
    id: '10000000-0000-4000-8000-000000000003',
    code: 'city-bonus-pulsefit',
    name: 'PulseFit Clubs',
    programName: 'City Bonus',
    category: 'FITNESS',
    earnRateMilliPointsPerUnit: 1500,
    issuePriceMicrosPerPoint: 8000,
    redemptionValueMicrosPerPoint: 6500,
  },
  {
    id: '10000000-0000-4000-8000-000000000004',
    code: 'city-bonus-lumiere',
    name: 'Lumière Cinemas',
    programName: 'City Bonus',
    category: 'CINEMA',
    earnRateMilliPointsPerUnit: 3000,
    issuePriceMicrosPerPoint: 8500,
    redemptionValueMicrosPerPoint: 7000,
  },
  {
    id: '10000000-0000-4000-8000-000000000005',
    code: 'travel-together-skybridge',
    name: 'SkyBridge Airways',
    programName: 'Travel Together',
    category: 'AIRLINE',
    earnRateMilliPointsPerUnit: 5000,
    issuePriceMicrosPerPoint: 10000,
    redemptionValueMicrosPerPoint: 8000,
  },
  {
    id: '10000000-0000-4000-8000-000000000006',
    code: 'travel-together-harbor',
    name: 'Harbor Hotels',
    programName: 'Travel Together',
    category: 'HOTEL',
    earnRateMilliPointsPerUnit: 4000,
    issuePriceMicrosPerPoint: 9500,
    redemptionValueMicrosPerPoint: 8000,
  },
  {
    id: '10000000-0000-4000-8000-000000000007',
    code: 'travel-together-roadrunner',
    name: 'RoadRunner Rentals',
    programName: 'Travel Together',
    category: 'CAR_RENTAL',
    earnRateMilliPointsPerUnit: 2000,
    issuePriceMicrosPerPoint: 9000,
    redemptionValueMicrosPerPoint: 7500,
  },
] as const;

export const DEMO_CURRENCY = 'EUR';
export const DEMO_CONTRACTS_EFFECTIVE_FROM = '2026-01-01T00:00:00.000Z';

const partnerId = (code: string) => {
  const partner = DEMO_PARTNERS.find((p) => p.code === code);
  if (!partner) throw new Error(`no demo partner ${code}`);
  return partner.id;
};

export const DEMO_MEMBERS = [
  {
    id: '20000000-0000-4000-8000-000000000001',
    handle: 'ava',
    displayName: 'Ava Lindqvist',
    email: 'ava@example.com',
    enrolledVia: partnerId('city-bonus-freshmart'),
  },
  {
    id: '20000000-0000-4000-8000-000000000002',
    handle: 'ben',
    displayName: 'Ben Okafor',
    email: 'ben@example.com',
    enrolledVia: partnerId('travel-together-skybridge'),
  },
  {
    id: '20000000-0000-4000-8000-000000000003',
    handle: 'chloe',
    displayName: 'Chloé Martin',
    email: 'chloe@example.com',
    enrolledVia: partnerId('city-bonus-lumiere'),
  },
  {
    id: '20000000-0000-4000-8000-000000000004',
    handle: 'dan',
    displayName: 'Dan Novak',
    email: 'dan@example.com',
    enrolledVia: partnerId('travel-together-harbor'),
  },
] as const;

export const DEMO_REWARDS = [
  {
    id: '30000000-0000-4000-8000-000000000001',
    partnerId: partnerId('city-bonus-trattoria'),
    title: 'Dessert on the house',
    description: 'Any dessert from the menu, free with a main course.',
    kind: 'FREE_ITEM',
    category: 'dining',
    pointsCost: 300,
    cashValueMinor: 650,
    stock: null,
  },
  {
    id: '30000000-0000-4000-8000-000000000002',
    partnerId: partnerId('city-bonus-freshmart'),
    title: '€5 off your shop',
    description: 'A €5 voucher on a basket of €30 or more.',
    kind: 'VOUCHER',
    category: 'groceries',
    pointsCost: 800,
    cashValueMinor: 500,
    stock: 500,
  },
  {
    id: '30000000-0000-4000-8000-000000000003',
    partnerId: partnerId('city-bonus-pulsefit'),
    title: 'Day pass',
    description: 'One day of access to any PulseFit club.',
    kind: 'EXPERIENCE',
    category: 'fitness',
    pointsCost: 1200,
    cashValueMinor: 1500,
    stock: 200,
  },
  {
    id: '30000000-0000-4000-8000-000000000004',
    partnerId: partnerId('city-bonus-lumiere'),
    title: 'Cinema ticket',
    description: 'One standard 2D screening of your choice.',
    kind: 'FREE_ITEM',
    category: 'entertainment',
    pointsCost: 1000,
    cashValueMinor: 1200,
    stock: 300,
  },
  {
    id: '30000000-0000-4000-8000-000000000005',
    partnerId: partnerId('travel-together-skybridge'),
    title: 'Lounge access',
    description: 'One visit to a SkyBridge lounge before your flight.',
    kind: 'EXPERIENCE',
    category: 'travel',
    pointsCost: 4000,
    cashValueMinor: 3500,
    stock: 100,
  },
  {
    id: '30000000-0000-4000-8000-000000000006',
    partnerId: partnerId('travel-together-harbor'),
    title: '15% off a stay',
    description: '15% off the room rate of one stay of up to three nights.',
    kind: 'PERCENT_DISCOUNT',
    category: 'travel',
    pointsCost: 2500,
    cashValueMinor: null,
    stock: null,
  },
  {
    id: '30000000-0000-4000-8000-000000000007',
    partnerId: partnerId('travel-together-roadrunner'),
    title: 'Free upgrade',
    description: 'One car category up on a rental of two days or more.',
    kind: 'FREE_ITEM',
    category: 'travel',
    pointsCost: 1500,
    cashValueMinor: 2000,
    stock: 50,
  },
] as const;

/**
 * The demo coalition's campaigns, seeded ACTIVE by the members subgraph (subgraphs/members/seed.ts).
 * Both are opt-in offers ("activate this coupon"), so the demo's own purchases and every test's
 * earns at these partners get no bonus unless a member activated one. Windows are relative to the
 * seeding: the first-visit offer runs for a year from then, the December one in the December of
 * that year (UTC), so it is among a member's offers only in that month. Neither is limited to a
 * tier: no demo member reaches Gold with the demo's purchases, and a Gold-only offer would show to
 * nobody.
 */
export const DEMO_CAMPAIGNS = [
  {
    id: '40000000-0000-4000-8000-000000000001',
    funderPartnerId: partnerId('city-bonus-pulsefit'),
    name: '500 bonus points on your first visit to PulseFit',
    ruleKind: 'FIRST_PURCHASE',
    extraPermille: 0,
    bonusPoints: 500,
    window: (now: Date) => ({ startsAt: now, endsAt: new Date(now.getTime() + 365 * 86_400_000) }),
    budgetPoints: 1_000_000,
  },
  {
    id: '40000000-0000-4000-8000-000000000002',
    funderPartnerId: partnerId('travel-together-skybridge'),
    name: 'Double points at SkyBridge in December',
    ruleKind: 'SPEND_MULTIPLIER',
    extraPermille: 1000,
    bonusPoints: 0,
    window: (now: Date) => {
      const year = now.getUTCFullYear();
      return { startsAt: new Date(Date.UTC(year, 11, 1)), endsAt: new Date(Date.UTC(year + 1, 0, 1)) };
    },
    budgetPoints: 5_000_000,
  },
] as const;

/**
 * Development credentials (the gateway accepts them only outside production): `demo-operator`,
 * `demo-partner-<partner code>` and `demo-member-<handle>`.
 */
export function demoCredentials(): Map<string, Caller> {
  const credentials = new Map<string, Caller>([['demo-operator', { kind: 'operator', operatorId: 'demo-operator' }]]);
  for (const partner of DEMO_PARTNERS) credentials.set(`demo-partner-${partner.code}`, { kind: 'partner', partnerId: partner.id });
  for (const member of DEMO_MEMBERS) credentials.set(`demo-member-${member.handle}`, { kind: 'member', memberId: member.id });
  return credentials;
}
