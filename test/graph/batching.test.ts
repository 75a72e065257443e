import { randomUUID } from 'node:crypto';
import { dataOf, earn, enrollMember, gql, partner } from '../support/helpers';

const trattoria = partner(0);

const PAGE = `query($first: Int) {
  members(first: $first) {
    edges { node {
      balance { availablePoints pendingPoints lifetimeEarnedPoints nextExpiry { points } }
      tier { level pointsToNextLevel }
      transactions(first: 3) { edges { availablePointsDelta node { kind points partner { name } } } }
      redemptions(first: 2) { edges { node { status } } }
      affordableRewards(first: 2) { title }
      enrolledVia { name }
    } }
  }
}`;

describe('batched loading', () => {
  beforeAll(async () => {
    for (let i = 0; i < 12; i += 1) {
      const memberId = await enrollMember(trattoria.credential);
      await earn(trattoria.credential, memberId, 5_000 + i, randomUUID());
    }
  });

  it('issues as many SQL statements for a page of 12 members as for a page of 2', async () => {
    const small = await gql(PAGE, { first: 2 }, trattoria.credential);
    const large = await gql(PAGE, { first: 12 }, trattoria.credential);
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(dataOf(large).members.edges).toHaveLength(12);
    const count = (response: { extensions?: { sqlStatements?: number } }) => response.extensions?.sqlStatements;
    expect(count(small)).toBeGreaterThan(0);
    // The gateway may answer the large page's partners from its entity cache, filled by the small
    // page: that can only lower the count. A missing DataLoader would raise it with the page size.
    expect(count(large)).toBeLessThanOrEqual(count(small)!);
  });
});
