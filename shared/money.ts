import { badInput } from './errors';

/**
 * Money is integer minor units; per-point prices are integer micro-units (millionths of a major
 * unit); nothing here touches floating point (docs/DESIGN.md, "Money and settlement rules").
 */
export const MICROS_PER_UNIT = 1_000_000n;

/** Digits after the decimal point of an ISO 4217 currency (2 for EUR, 0 for JPY), from ICU. */
export function currencyExponent(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw badInput(`"${currency}" is not an ISO 4217 currency code`);
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    throw badInput(`"${currency}" is not an ISO 4217 currency code`);
  }
}

/** numerator / denominator rounded to the nearest integer, ties to the even neighbour. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error('divideHalfEven needs a positive denominator');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  const twiceRemainder = (magnitude % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Minor units for `points` at `microsPerPoint`, rounded once, half to even. */
export function pointsToMinor(points: bigint, microsPerPoint: bigint, currency: string): bigint {
  const microsPerMinor = MICROS_PER_UNIT / 10n ** BigInt(currencyExponent(currency));
  return divideHalfEven(points * microsPerPoint, microsPerMinor);
}
