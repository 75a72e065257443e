import { randomUUID } from 'node:crypto';
import {
  adjust,
  availablePoints,
  closeDatabase,
  database,
  dataOf,
  enrollMember,
  errorCode,
  eventually,
  gql,
  OPERATOR,
  partner,
} from '../support/helpers';

/**
 * Points + cash at a till (subgraphs/members/spending.ts): a burn may carry a money part, recorded
 * for the partner with the burn; the ledger moves, and settlement counts, only the points.
 */

afterAll(closeDatabase);

const trattoria = partner(0);

const BURN = `mutation($input: BurnPointsInput!) {
  burnPoints(input: $input) { valueMinor currency cash { amountMinor currency } transfer { id points } }
}`;

const burn = (memberId: string, fields: Record<string, unknown> = {}) => ({
  input: { memberId, partnerId: trattoria.id, points: 300, reference: 'table-4', idempotencyKey: randomUUID(), ...fields },
});

describe('points + cash', () => {
  it('records the cash part with the burn, moves only the points, and settlement counts only the points', async () => {
    const memberId = await enrollMember(trattoria.credential);
    await adjust(memberId, 1_000);
    const pointsOnly = dataOf(await gql(BURN, burn(memberId), OPERATOR)).burnPoints;
    expect(pointsOnly.cash).toBeNull();

    const input = burn(memberId, { cash: { amountMinor: 1_250, currency: 'EUR' } });
    const mixed = dataOf(await gql(BURN, input, OPERATOR)).burnPoints;
    expect(mixed.cash).toEqual({ amountMinor: 1_250, currency: 'EUR' });
    expect(mixed.transfer.points).toBe(300);
    // The points' value is the same with or without cash beside them: the cash part is not priced.
    expect(mixed.valueMinor).toBe(pointsOnly.valueMinor);
    expect(await availablePoints(memberId)).toBe(1_000 - 600);
    const { rows } = await database().query('SELECT amount_minor::int, currency FROM members.burn_cash_parts WHERE transfer_id = $1', [
      mixed.transfer.id,
    ]);
    expect(rows).toEqual([{ amount_minor: 1_250, currency: 'EUR' }]);

    // A retry answers the same burn; the same key with another cash part is a conflict.
    expect(dataOf(await gql(BURN, input, OPERATOR)).burnPoints.transfer.id).toBe(mixed.transfer.id);
    const changed = { input: { ...input.input, cash: { amountMinor: 999, currency: 'EUR' } } };
    expect(errorCode(await gql(BURN, changed, OPERATOR))).toBe('IDEMPOTENCY_CONFLICT');
    expect(await availablePoints(memberId)).toBe(400);

    const entries = await eventually(
      async () =>
        (
          await database().query(
            `SELECT coalesce(sum(points), 0)::int AS points, count(*)::int AS n FROM settlement.settlement_entries WHERE member_id = $1 AND kind = 'REDEMPTION'`,
            [memberId],
          )
        ).rows[0],
      (row) => row.n === 2,
    );
    expect(entries.points).toBe(600);
  });

  it('refuses a cash part in another currency than the partner’s, or not a positive whole amount', async () => {
    const memberId = await enrollMember(trattoria.credential);
    await adjust(memberId, 1_000);
    expect(errorCode(await gql(BURN, burn(memberId, { cash: { amountMinor: 500, currency: 'USD' } }), OPERATOR))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(BURN, burn(memberId, { cash: { amountMinor: 0, currency: 'EUR' } }), OPERATOR))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(BURN, burn(memberId, { cash: { amountMinor: 100_000_001, currency: 'EUR' } }), OPERATOR))).toBe(
      'BAD_USER_INPUT',
    );
    expect(await availablePoints(memberId)).toBe(1_000);
  });
});
