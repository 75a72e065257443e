import { randomUUID } from 'node:crypto';
import { signToken } from '../../gateway/credentials';
import { DEMO_MEMBERS } from '../../shared/demo';
import { dataOf, errorCode, gql, OPERATOR, partner } from '../support/helpers';

/**
 * The audit log through the gateway: operator writes in all three subgraphs, recorded with the write
 * and only when it happened, partner API key creation, revocation and use, merged newest first,
 * paginated and filtered by actor, action and time, readable by the operator only.
 */
const AUDIT = `query($first: Int, $after: String, $actor: String, $action: String, $from: DateTime, $to: DateTime) {
  auditLog(first: $first, after: $after, actor: $actor, action: $action, from: $from, to: $to) {
    edges { cursor node { id at actor action target details service } }
    pageInfo { hasNextPage endCursor }
  }
}`;
interface Entry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: string;
  service: string;
}

async function audit(variables: Record<string, unknown>, credential = OPERATOR) {
  const { auditLog } = dataOf(
    await gql<{ auditLog: { edges: { node: Entry }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      AUDIT,
      variables,
      credential,
    ),
  );
  return { entries: auditLog.edges.map((e) => e.node), pageInfo: auditLog.pageInfo };
}

describe('the audit log', () => {
  it("records an operator's writes in every subgraph, only when they happen, and pages through them newest first", async () => {
    const name = `auditor-${randomUUID().slice(0, 8)}`;
    const operator = await signToken('operator', name, 300);
    const actor = `operator:${name}`;
    const startedAt = new Date(Date.now() - 1000).toISOString();

    const registerKey = randomUUID();
    const code = `audit-${randomUUID().slice(0, 8)}`;
    const register = {
      input: { code, name: 'Audit Café', programName: 'City Bonus', category: 'RESTAURANT', idempotencyKey: registerKey },
    };
    const REGISTER = `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`;
    const partnerId = dataOf(await gql(REGISTER, register, operator)).registerPartner.id;
    // A retry under the same key is answered from the key's record: no second entry.
    expect(dataOf(await gql(REGISTER, register, operator)).registerPartner.id).toBe(partnerId);
    // A refused write (the code is taken) changes nothing and records nothing.
    expect(errorCode(await gql(REGISTER, { input: { ...register.input, idempotencyKey: randomUUID() } }, operator))).toBe('BAD_USER_INPUT');

    const ava = DEMO_MEMBERS[0];
    const adjusted = dataOf(
      await gql(
        `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`,
        { input: { memberId: ava.id, points: 5, reason: 'goodwill', idempotencyKey: randomUUID() } },
        operator,
      ),
    ).adjustPoints.id;
    const freshmart = partner(1);
    const reward = dataOf(
      await gql(
        `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`,
        {
          input: {
            partnerId: freshmart.id,
            title: 'Audit basket',
            description: 'A basket',
            kind: 'FREE_ITEM',
            category: 'groceries',
            pointsCost: 50,
            idempotencyKey: randomUUID(),
          },
        },
        operator,
      ),
    ).createReward.id;
    // A partner's own writes are not operator actions.
    await gql(
      `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`,
      { input: { memberId: ava.id, points: 5, reason: 'not allowed', idempotencyKey: randomUUID() } },
      freshmart.credential,
    );

    const all = await audit({ actor, first: 100 });
    expect(all.entries.map((e) => [e.action, e.target, e.service])).toEqual([
      ['createReward', reward, 'rewards'],
      ['adjustPoints', adjusted, 'members'],
      ['registerPartner', partnerId, 'settlement'],
    ]);
    expect(JSON.parse(all.entries[1]!.details)).toEqual({ memberId: ava.id, points: 5, reason: 'goodwill' });
    expect(all.entries.every((e) => e.actor === actor && new Date(e.at) >= new Date(startedAt))).toBe(true);

    // Pages of one, merged across the three subgraphs, continue exactly where the last stopped.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof audit>> = await audit({ actor, first: 1, after });
      seen.push(...page.entries.map((e) => e.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.entries.map((e) => e.id));

    // Filters: by action, and by time.
    expect((await audit({ actor, action: 'adjustPoints' })).entries.map((e) => e.target)).toEqual([adjusted]);
    const registeredAt = all.entries[2]!.at;
    expect((await audit({ actor, to: registeredAt })).entries).toEqual([]);
    expect((await audit({ actor, from: new Date(Date.now() + 60_000).toISOString() })).entries).toEqual([]);
  });

  it('records API keys created, used (per key per minute, with a count) and revoked', async () => {
    const harbor = partner(5);
    const created = dataOf(
      await gql(
        `mutation($p: ID!) { createPartnerApiKey(partnerId: $p, label: "audit", scopes: [SETTLEMENT_READ]) { secret key { id } } }`,
        { p: harbor.id },
        harbor.credential,
      ),
    ).createPartnerApiKey;
    const keyId: string = created.key.id;
    expect((await gql('{ partners { id } }', {}, created.secret)).errors).toBeUndefined();
    dataOf(await gql(`mutation($id: ID!) { revokePartnerApiKey(keyId: $id) { id } }`, { id: keyId }, OPERATOR));

    const byPartner = (await audit({ actor: `partner:${harbor.id}`, first: 100 })).entries.filter((e) => e.target === keyId);
    expect(byPartner.map((e) => e.action).sort()).toEqual(['createPartnerApiKey', 'partnerApiKeyUsed']);
    const use = byPartner.find((e) => e.action === 'partnerApiKeyUsed')!;
    expect(JSON.parse(use.details).checks).toBeGreaterThanOrEqual(1);
    expect(new Date(use.at).getUTCSeconds()).toBe(0); // the minute it was used in
    const revoked = (await audit({ actor: 'operator:demo-operator', action: 'revokePartnerApiKey', first: 100 })).entries;
    expect(revoked.find((e) => e.target === keyId)).toMatchObject({ service: 'settlement' });
  });

  it('is readable by the operator only, and refuses bad filters', async () => {
    expect(errorCode(await gql(AUDIT, {}))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(AUDIT, {}, 'demo-member-ava'))).toBe('FORBIDDEN');
    expect(errorCode(await gql(AUDIT, {}, partner(1).credential))).toBe('FORBIDDEN');
    expect(errorCode(await gql(AUDIT, { first: 101 }, OPERATOR))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(AUDIT, { after: 'not-a-cursor' }, OPERATOR))).toBe('BAD_USER_INPUT');
  });
});
