/**
 * Tiers: qualifying points (points posted in the trailing 12 months, less their reversals; see
 * postings.ts qualifyingPoints) decide the tier, and the tier's multiplier scales every earn.
 * Thresholds ascend; the first tier starts at zero.
 */
export type TierLevel = 'BASE' | 'SILVER' | 'GOLD' | 'PLATINUM';

export interface TierRule {
  level: TierLevel;
  minQualifyingPoints: number;
  /** 1000 is x1: multipliers are permille so earn arithmetic stays in integers. */
  earnMultiplierPermille: number;
}

export const TIERS: readonly TierRule[] = [
  { level: 'BASE', minQualifyingPoints: 0, earnMultiplierPermille: 1000 },
  { level: 'SILVER', minQualifyingPoints: 5_000, earnMultiplierPermille: 1250 },
  { level: 'GOLD', minQualifyingPoints: 20_000, earnMultiplierPermille: 1500 },
  { level: 'PLATINUM', minQualifyingPoints: 50_000, earnMultiplierPermille: 2000 },
];

export interface TierStanding {
  level: TierLevel;
  earnMultiplierPermille: number;
  qualifyingPoints: number;
  nextLevel: TierLevel | null;
  pointsToNextLevel: number | null;
}

export function tierRule(level: string): TierRule {
  const rule = TIERS.find((tier) => tier.level === level);
  if (!rule) throw new Error(`Invariant violated: tier ${level} exists`);
  return rule;
}

export function tierFor(qualifyingPoints: number): TierStanding {
  let index = 0;
  while (index + 1 < TIERS.length && qualifyingPoints >= TIERS[index + 1]!.minQualifyingPoints) index += 1;
  const tier = TIERS[index]!;
  const next = TIERS[index + 1];
  return {
    level: tier.level,
    earnMultiplierPermille: tier.earnMultiplierPermille,
    qualifyingPoints,
    nextLevel: next?.level ?? null,
    pointsToNextLevel: next ? next.minQualifyingPoints - qualifyingPoints : null,
  };
}
