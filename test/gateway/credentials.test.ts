import { randomUUID } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { setTimeout as sleep } from 'node:timers/promises';
import { signToken } from '../../gateway/credentials';
import { DEMO_MEMBERS } from '../../shared/demo';
import { dataOf, enrollMember, errorCode, eventually, gql, OPERATOR, partner } from '../support/helpers';

const CREATE_KEY = `mutation($p: ID!, $label: String!, $scopes: [ApiKeyScope!]!) {
  createPartnerApiKey(partnerId: $p, label: $label, scopes: $scopes) { secret key { id scopes revokedAt } } }`;
const REVOKE_KEY = `mutation($id: ID!) { revokePartnerApiKey(keyId: $id) { id revokedAt } }`;
const EARN = `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { points partner { id } } }`;

describe('partner API keys', () => {
  it('are created once, act as their partner, and stop working when revoked', async () => {
    const pulsefit = partner(2);
    const created = dataOf(
      await gql(CREATE_KEY, { p: pulsefit.id, label: 'front desk', scopes: ['LEDGER_WRITE', 'MEMBERS_WRITE'] }, OPERATOR),
    ).createPartnerApiKey;
    expect(created.secret).toMatch(/^ck_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.scopes).toEqual(['LEDGER_WRITE', 'MEMBERS_WRITE']);

    const memberId = await enrollMember(created.secret);
    const earned = dataOf(
      await gql(
        EARN,
        { input: { memberId, purchaseAmountMinor: 2_000, currency: 'EUR', reference: 'r', idempotencyKey: randomUUID() } },
        created.secret,
      ),
    );
    expect(earned.earnPoints).toEqual({ points: 30, partner: { id: pulsefit.id } });
    const keys = dataOf(await gql(`query($p: ID!) { partner(id: $p) { apiKeys { id lastUsedAt } } }`, { p: pulsefit.id }, created.secret))
      .partner.apiKeys;
    expect(keys.find((k: { id: string }) => k.id === created.key.id).lastUsedAt).not.toBeNull();

    // Another partner can neither make nor revoke this partner's keys.
    expect(errorCode(await gql(CREATE_KEY, { p: pulsefit.id, label: 'x', scopes: ['LEDGER_WRITE'] }, partner(0).credential))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await gql(REVOKE_KEY, { id: created.key.id }, partner(0).credential))).toBe('FORBIDDEN');

    // Revoked by the partner itself (a rotation's last step): refused within the gateway's short check cache.
    expect(dataOf(await gql(REVOKE_KEY, { id: created.key.id }, pulsefit.credential)).revokePartnerApiKey.revokedAt).not.toBeNull();
    const refused = await eventually(
      async () => (await gql('{ partners { id } }', {}, created.secret)).status,
      (status) => status === 401,
      10_000,
    );
    expect(refused).toBe(401);
  });

  it('refuses a key that was never issued, and a well-formed key with a wrong secret', async () => {
    expect((await gql('{ partners { id } }', {}, `ck_${randomUUID()}_${'A'.repeat(43)}`)).status).toBe(401);
    const created = dataOf(
      await gql(CREATE_KEY, { p: partner(5).id, label: 'pms', scopes: ['SETTLEMENT_READ'] }, OPERATOR),
    ).createPartnerApiKey;
    const tampered = created.secret.slice(0, -4) + 'AAAA';
    expect((await gql('{ partners { id } }', {}, tampered)).status).toBe(401);
  });
});

describe('API key scopes, declared with @scopes in the SDL', () => {
  it('let a key do what its scopes allow and refuse the rest, naming the field and the scope', async () => {
    const harbor = partner(5);
    const readOnly = dataOf(await gql(CREATE_KEY, { p: harbor.id, label: 'finance', scopes: ['SETTLEMENT_READ'] }, OPERATOR))
      .createPartnerApiKey.secret;
    const tills = dataOf(await gql(CREATE_KEY, { p: harbor.id, label: 'tills', scopes: ['LEDGER_WRITE'] }, OPERATOR)).createPartnerApiKey
      .secret;
    const position = `query($p: ID!) { partner(id: $p) { position { pointsIssued } } }`;
    expect((await gql(position, { p: harbor.id }, readOnly)).errors).toBeUndefined();
    const refusedRead = await gql(position, { p: harbor.id }, tills);
    expect(errorCode(refusedRead)).toBe('FORBIDDEN');
    expect(refusedRead.errors?.[0]?.message).toContain('Partner.position needs SETTLEMENT_READ');

    const memberId = DEMO_MEMBERS[3].id;
    const input = { memberId, purchaseAmountMinor: 1_000, currency: 'EUR', reference: 'r', idempotencyKey: randomUUID() };
    const refusedWrite = await gql(EARN, { input }, readOnly);
    expect(errorCode(refusedWrite)).toBe('FORBIDDEN');
    expect(refusedWrite.errors?.[0]?.message).toContain('Mutation.earnPoints needs LEDGER_WRITE');
    expect(dataOf(await gql(EARN, { input }, tills)).earnPoints.partner).toEqual({ id: harbor.id });
  });
});

describe('member and operator tokens', () => {
  it('are accepted when signed with the configured key and not expired', async () => {
    const ava = DEMO_MEMBERS[0];
    const token = await signToken('member', ava.id, 60);
    expect(dataOf(await gql('{ me { id } }', {}, token)).me).toEqual({ id: ava.id });
    const operator = await signToken('operator', 'alice', 60);
    expect((await gql(`{ members(first: 1) { edges { node { id } } } }`, {}, operator)).errors).toBeUndefined();
  });

  it('are refused when expired, forged, or of an unknown role', async () => {
    const ava = DEMO_MEMBERS[0];
    const expired = await signToken('member', ava.id, -10);
    expect((await gql('{ me { id } }', {}, expired)).status).toBe(401);
    const forged = await new SignJWT({ role: 'operator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-coalition-key-not-the-coalition-key'));
    expect((await gql('{ me { id } }', {}, forged)).status).toBe(401);
    const noExpiry = await new SignJWT({ role: 'member' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(ava.id)
      .sign(new TextEncoder().encode('coalition-development-jwt-secret-do-not-use-in-production'));
    expect((await gql('{ me { id } }', {}, noExpiry)).status).toBe(401);
    const strange = await signToken('member', ava.id, 60);
    expect(errorCode(await gql('{ me { id } }', {}, strange.replace(/\.[^.]+$/, '.x')))).toBe('UNAUTHENTICATED');
  });

  it('are refused from their expiry on, even after the gateway verified them (it remembers them only until then)', async () => {
    const ava = DEMO_MEMBERS[0];
    const token = await signToken('member', ava.id, 2);
    // Twice: the second request is answered from the verified-token cache.
    for (let i = 0; i < 2; i++) expect(dataOf(await gql('{ me { id } }', {}, token)).me).toEqual({ id: ava.id });
    // Expiry is a moment in time, not an event: wait until it has passed.
    await sleep(decodeJwt(token).exp! * 1000 - Date.now() + 50);
    expect(errorCode(await gql('{ me { id } }', {}, token))).toBe('UNAUTHENTICATED');
  });
});
