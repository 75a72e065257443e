import { checkSettlementCurrency, currencyExponent, divideHalfEven, pointsToMinor } from '../../shared/money';
import { pointsForPurchase } from '../../subgraphs/members/earning';
import { tierFor } from '../../subgraphs/members/tiers';
import { signCaller, verifyCaller } from '../../shared/identity';

describe('money arithmetic', () => {
  it('rounds half to even', () => {
    expect([5n, 15n, 25n, 35n, -5n, -15n].map((n) => divideHalfEven(n, 10n))).toEqual([0n, 2n, 2n, 4n, 0n, -2n]);
    expect(divideHalfEven(16n, 10n)).toBe(2n);
    expect(divideHalfEven(14n, 10n)).toBe(1n);
  });

  it('prices points in the currency minor unit, rounding once', () => {
    expect(pointsToMinor(6495n, 10_000n, 'EUR')).toBe(6495n); // 1 cent a point
    expect(pointsToMinor(3n, 8_500n, 'EUR')).toBe(3n); // 2.55 cents -> 3
    expect(pointsToMinor(1n, 5_000n, 'EUR')).toBe(0n); // 0.5 cent -> 0 (even)
    expect(pointsToMinor(3n, 5_000n, 'EUR')).toBe(2n); // 1.5 cents -> 2 (even)
    expect(pointsToMinor(100n, 1_500_000n, 'JPY')).toBe(150n); // JPY has no minor unit
    expect(currencyExponent('EUR')).toBe(2);
    expect(() => currencyExponent('euro')).toThrow(/ISO 4217/);
    // ISO 4217's own minor units, not a guess for any three letters.
    expect(['JPY', 'EUR', 'KWD', 'CLF'].map(currencyExponent)).toEqual([0, 2, 3, 4]);
    expect(() => currencyExponent('ZZZ')).toThrow(/ISO 4217/);
    expect(() => checkSettlementCurrency('XXX')).toThrow(/not a currency contracts settle in/);
    expect(checkSettlementCurrency('KWD')).toBe('KWD');
  });
});

describe('earn arithmetic and tiers', () => {
  it('computes points from rate and tier multiplier, rounding down', () => {
    expect(pointsForPurchase(1_299, 3_000, 1_000, 'EUR')).toBe(38);
    expect(pointsForPurchase(10_000, 1_000, 1_250, 'EUR')).toBe(125);
    expect(pointsForPurchase(99, 1_000, 1_000, 'EUR')).toBe(0);
    expect(pointsForPurchase(1_000, 1_000, 1_000, 'JPY')).toBe(1_000);
  });

  it('places qualifying points in tiers', () => {
    expect(tierFor(0)).toMatchObject({ level: 'BASE', nextLevel: 'SILVER', pointsToNextLevel: 5_000 });
    expect(tierFor(4_999).level).toBe('BASE');
    expect(tierFor(5_000)).toMatchObject({ level: 'SILVER', earnMultiplierPermille: 1_250 });
    expect(tierFor(1_000_000)).toMatchObject({ level: 'PLATINUM', nextLevel: null, pointsToNextLevel: null });
  });
});

describe('caller signatures', () => {
  const secret = 'x'.repeat(40);
  it('verifies what it signed and nothing else', () => {
    const headers = signCaller({ kind: 'member', memberId: 'm1' }, secret);
    const [value, signature] = Object.values(headers);
    expect(verifyCaller(value, signature, secret)).toEqual({ kind: 'member', memberId: 'm1' });
    expect(verifyCaller(value, signature, 'y'.repeat(40))).toBeNull();
    expect(verifyCaller(value, undefined, secret)).toBeNull();
    expect(verifyCaller(value, signature, secret, Date.now() + 10 * 60 * 1000)).toBeNull();
  });
});
