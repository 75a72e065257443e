import { code as iso4217 } from 'currency-codes';
import { badInput } from './errors';

/**
 * Money is integer minor units; per-point prices are integer micro-units (millionths of a major
 * unit); nothing here touches floating point (docs/DESIGN.md, "Money and settlement rules").
 */
export const MICROS_PER_UNIT = 1_000_000n;

/**
 * ISO 4217's entries with no minor unit ("N.A." in its list): precious metals, bond units, SDR,
 * the testing code and XXX, "no currency involved". They are codes, not money a contract can be
 * settled in; the currency-codes package records their minor unit as 0.
 */
const NOT_SETTLEMENT_CURRENCIES: ReadonlySet<string> = new Set([
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
]);

/**
 * Digits after the decimal point of an ISO 4217 currency (JPY 0, EUR 2, KWD 3), from ISO's own list
 * (the currency-codes package); a code not on the list is BAD_USER_INPUT.
 */
export function currencyExponent(currency: string): number {
  const entry = /^[A-Z]{3}$/.test(currency) ? iso4217(currency) : undefined;
  if (!entry) throw badInput(`"${currency}" is not an ISO 4217 currency code`);
  return entry.digits;
}

/** A currency a contract may be in: on the ISO 4217 list and with a minor unit (not XXX, XAU...). */
export function checkSettlementCurrency(currency: string): string {
  currencyExponent(currency);
  if (NOT_SETTLEMENT_CURRENCIES.has(currency)) throw badInput(`${currency} is an ISO 4217 code but not a currency contracts settle in`);
  return currency;
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

/** Most a cash part may be, in minor units: the ledger's largest purchase amount. */
export const MAX_CASH_PART_MINOR = 100_000_000;

/**
 * Money paid beside points (points + cash): recorded for the partner, never moved by the coalition
 * and never priced by settlement, which counts only the points.
 */
export interface CashPart {
  amountMinor: number;
  currency: string;
}

/** A cash part of a points + cash payment, checked against the currency the partner takes. */
export function checkCashPart(cash: CashPart, partnerCurrency: string): CashPart {
  if (!Number.isSafeInteger(cash.amountMinor) || cash.amountMinor < 1 || cash.amountMinor > MAX_CASH_PART_MINOR) {
    throw badInput(`cash.amountMinor must be a whole number from 1 to ${MAX_CASH_PART_MINOR}`);
  }
  if (cash.currency !== partnerCurrency) {
    throw badInput(`The partner takes ${partnerCurrency}; the cash part is in ${cash.currency}`);
  }
  return { amountMinor: cash.amountMinor, currency: cash.currency };
}
