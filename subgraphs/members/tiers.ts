import type { EntityManager } from 'typeorm';
import { preparedQuery } from '../../shared/database';
import { LEDGER_EVENT_VERSION } from '../../shared/ledgerEvents';
import type { MemberRow } from './entities';
import { appendLedgerEvent } from './postings';

/**
 * Tiers: qualifying points (points posted in the trailing 12 months, less their reversals) decide
 * the tier, and the tier's multiplier scales every earn. Thresholds ascend; the first tier starts
 * at zero.
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

/** Months of posted earns that count towards the tier. */
export const TIER_WINDOW_MONTHS = 12;

export async function qualifyingPoints(manager: EntityManager, memberId: string): Promise<number> {
  const [row] = (await preparedQuery(
    manager,
    `SELECT coalesce(sum(points - reversed_points), 0)::int AS points FROM earns
      WHERE member_id = $1 AND status = 'POSTED' AND posted_at > now() - make_interval(months => $2)`,
    [memberId, TIER_WINDOW_MONTHS],
  )) as { points: number }[];
  return row?.points ?? 0;
}

/**
 * Recomputes the member's tier from its qualifying points; a change is stored and becomes a
 * `tier.changed` event. The member is locked. Returns the tier now held. `knownQualifyingPoints`:
 * the caller's exact figure, read earlier in this transaction and moved only by what it posted since.
 */
export async function refreshTier(manager: EntityManager, member: MemberRow, knownQualifyingPoints?: number): Promise<TierLevel> {
  const standing = tierFor(knownQualifyingPoints ?? (await qualifyingPoints(manager, member.id)));
  if (standing.level !== member.tier) {
    await manager.query('UPDATE members SET tier = $2 WHERE id = $1', [member.id, standing.level]);
    await appendLedgerEvent(manager, member.id, {
      type: 'tier.changed',
      payload: { version: LEDGER_EVENT_VERSION, from: member.tier, to: standing.level, qualifyingPoints: standing.qualifyingPoints },
    });
    member.tier = standing.level;
  }
  return standing.level;
}
