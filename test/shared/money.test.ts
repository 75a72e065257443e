import { createHash } from 'node:crypto';
import { checkSettlementCurrency, currencyExponent, divideHalfEven, pointsToMinor } from '../../shared/money';
import { pointsForPurchase } from '../../subgraphs/members/earning';
import { tierFor } from '../../subgraphs/members/tiers';
import { bodySha256, CALLER_HEADER, callSigner, SIGNATURE_HEADER, signCall, verifyCall } from '../../shared/identity';

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
  const body = '{"query":"{ me { id } }","variables":{}}';
  const member = { kind: 'member', memberId: 'm1' } as const;
  const at = (subgraph: string, bytes: string) => ({ subgraph, body: Buffer.from(bytes) });

  it('verifies what it signed, for the subgraph and the body it was signed for, and nothing else', () => {
    const headers = signCall(member, secret, 'members', body);
    const value = headers[CALLER_HEADER];
    const signature = headers[SIGNATURE_HEADER];
    expect(verifyCall(value, signature, at('members', body), secret)).toEqual(member);
    expect(verifyCall(value, signature, at('members', body), 'y'.repeat(40))).toBeNull();
    expect(verifyCall(value, undefined, at('members', body), secret)).toBeNull();
    expect(verifyCall(value, signature, { subgraph: 'members', body: undefined }, secret)).toBeNull();
    expect(verifyCall(value, signature, at('rewards', body), secret)).toBeNull();
    expect(verifyCall(value, signature, at('members', body.replace('me', 'mE')), secret)).toBeNull();
    expect(verifyCall(value, signature, at('members', `${body} `), secret)).toBeNull();
    expect(verifyCall(value, signature, at('members', body), secret, Date.now() + 10 * 60 * 1000)).toBeNull();
    expect(verifyCall(value, signature, at('members', body), secret, Date.now() - 10 * 60 * 1000)).toBeNull();
  });

  it('signs the UTF-8 bytes sent, however the body was put together', () => {
    const text = '{"query":"{ x }","variables":{"name":"Chloé 🎬"}}';
    // The gateway hashes a body in parts (the operation once, the variables per call): the same hash.
    const inParts = createHash('sha256').update('{"query":"{ x }","variables":').copy().update('{"name":"Chloé 🎬"}').update('}');
    expect(inParts.digest('base64url')).toBe(bodySha256(text));
    const nowMs = Date.now();
    const headers = callSigner(member, secret, nowMs)('members', bodySha256(text));
    expect(headers).toEqual(signCall(member, secret, 'members', Buffer.from(text, 'utf8'), nowMs));
    expect(verifyCall(headers[CALLER_HEADER], headers[SIGNATURE_HEADER], at('members', text), secret)).toEqual(member);
  });
});
