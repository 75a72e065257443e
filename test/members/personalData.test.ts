import { DEMO_MEMBERS } from '../../shared/demo';
import { dataOf, errorCode, gql, OPERATOR, partner } from '../support/helpers';

const PROFILE = `query($id: ID!) { member(id: $id) { displayName email pseudonym } }`;
const GRANT = `mutation($m: ID!, $p: ID!) { grantConsent(memberId: $m, partnerId: $p) { consents { id } } }`;
const REVOKE = `mutation($m: ID!, $p: ID!) { revokeConsent(memberId: $m, partnerId: $p) { consents { id } } }`;

describe("a member's personal data", () => {
  it('shows to the enrolling partner and to partners the member consented to, a pseudonym to the others', async () => {
    const dan = DEMO_MEMBERS[3]; // enrolled through Harbor Hotels
    const harbor = partner(5);
    const cinema = partner(3);
    const trattoria = partner(0);
    expect(dataOf(await gql(PROFILE, { id: dan.id }, harbor.credential)).member).toMatchObject({
      displayName: dan.displayName,
      email: dan.email,
    });

    const hidden = dataOf(await gql(PROFILE, { id: dan.id }, cinema.credential)).member;
    expect(hidden.email).toBeNull();
    expect(hidden.displayName).toBe(hidden.pseudonym);
    expect(hidden.pseudonym).toMatch(/^m_[A-Za-z0-9_-]{22}$/);
    // Stable for one partner, different for another: partners cannot match their customers.
    expect(dataOf(await gql(PROFILE, { id: dan.id }, cinema.credential)).member.pseudonym).toBe(hidden.pseudonym);
    expect(dataOf(await gql(PROFILE, { id: dan.id }, trattoria.credential)).member.pseudonym).not.toBe(hidden.pseudonym);

    const danCredential = `demo-member-${dan.handle}`;
    expect(errorCode(await gql(GRANT, { m: dan.id, p: cinema.id }, cinema.credential))).toBe('FORBIDDEN');
    expect(dataOf(await gql(GRANT, { m: dan.id, p: cinema.id }, danCredential)).grantConsent.consents).toEqual([{ id: cinema.id }]);
    expect(dataOf(await gql(PROFILE, { id: dan.id }, cinema.credential)).member).toMatchObject({
      displayName: dan.displayName,
      email: dan.email,
    });

    // Withdrawn: hidden again on the very next request.
    dataOf(await gql(REVOKE, { m: dan.id, p: cinema.id }, danCredential));
    expect(dataOf(await gql(PROFILE, { id: dan.id }, cinema.credential)).member.email).toBeNull();
    expect(dataOf(await gql(PROFILE, { id: dan.id }, OPERATOR)).member.email).toBe(dan.email);
    expect(errorCode(await gql(`query($id: ID!) { member(id: $id) { consents { id } } }`, { id: dan.id }, cinema.credential))).toBe(
      'FORBIDDEN',
    );
  });
});
