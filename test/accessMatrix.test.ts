import { randomUUID } from 'node:crypto';
import { DEMO_MEMBERS, DEMO_PARTNERS } from '../shared/demo';
import { errorCode, gql } from './helpers';

/**
 * The access matrix (DESIGN.md, "Callers"): each caller kind against each sensitive read and write,
 * through the gateway, with the expected allow or deny. "allow" means the field resolved without an
 * access error (a domain refusal such as INSUFFICIENT_POINTS still counts as allowed through).
 */
const ava = DEMO_MEMBERS[0]; // enrolled through FreshMart
const freshmart = DEMO_PARTNERS[1];
const cinema = DEMO_PARTNERS[3];

const callers = {
  anonymous: undefined,
  member: `demo-member-${ava.handle}`,
  ownPartner: `demo-partner-${freshmart.code}`,
  otherPartner: `demo-partner-${cinema.code}`,
  operator: 'demo-operator',
} as const;
type CallerName = keyof typeof callers;
type Expectation = 'allow' | 'UNAUTHENTICATED' | 'FORBIDDEN';

interface Case {
  name: string;
  query: string;
  variables?: () => Record<string, unknown>;
  expect: Record<CallerName, Expectation>;
}

const key = () => randomUUID();
const cases: Case[] = [
  {
    name: "read a member's balance",
    query: `query($id: ID!) { member(id: $id) { balance { availablePoints } } }`,
    variables: () => ({ id: ava.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: 'list members',
    query: `{ members(first: 1) { edges { node { id } } } }`,
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: "read a member's consents",
    query: `query($id: ID!) { member(id: $id) { consents { id } } }`,
    variables: () => ({ id: ava.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "read a partner's contract",
    query: `query($id: ID!) { partner(id: $id) { contract { currency } } }`,
    variables: () => ({ id: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "read a partner's position",
    query: `query($id: ID!) { partner(id: $id) { position { pointsIssued } } }`,
    variables: () => ({ id: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "list a partner's members",
    query: `query($id: ID!) { partner(id: $id) { members(first: 1) { edges { node { id } } } } }`,
    variables: () => ({ id: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'read the public catalog',
    query: `{ rewards(first: 1) { edges { node { id } } } partners { id } }`,
    expect: { anonymous: 'allow', member: 'allow', ownPartner: 'allow', otherPartner: 'allow', operator: 'allow' },
  },
  {
    name: 'earn points as FreshMart',
    query: `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { id } }`,
    variables: () => ({
      input: {
        memberId: ava.id,
        partnerId: freshmart.id,
        purchaseAmountMinor: 100,
        currency: 'EUR',
        reference: 'm',
        idempotencyKey: key(),
      },
    }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "adjust a member's points",
    query: `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`,
    variables: () => ({ input: { memberId: ava.id, points: 1, reason: 'matrix', idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: "give the member's points away",
    query: `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id } }`,
    variables: () => ({ input: { fromMemberId: ava.id, toMemberId: DEMO_MEMBERS[1].id, points: 1, idempotencyKey: key() } }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'allow', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'register a partner',
    query: `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`,
    variables: () => ({
      input: { code: `matrix-${key().slice(0, 8)}`, name: 'M', programName: 'M', category: 'GROCER', idempotencyKey: key() },
    }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'run ledger maintenance',
    query: `mutation { runLedgerMaintenance { lotsExpired } }`,
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'FORBIDDEN', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
  {
    name: 'create an API key for FreshMart',
    query: `mutation($p: ID!) { createPartnerApiKey(partnerId: $p, label: "matrix", scopes: [SETTLEMENT_READ]) { key { id } } }`,
    variables: () => ({ p: freshmart.id }),
    expect: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', ownPartner: 'allow', otherPartner: 'FORBIDDEN', operator: 'allow' },
  },
];

describe('the access matrix', () => {
  it.each(cases.flatMap((c) => (Object.keys(callers) as CallerName[]).map((caller) => [c.name, caller, c] as const)))(
    '%s as %s',
    async (_name, caller, c) => {
      const response = await gql(c.query, c.variables?.() ?? {}, callers[caller]);
      const code = errorCode(response);
      const outcome = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? code : 'allow';
      expect(outcome).toBe(c.expect[caller]);
    },
  );
});
