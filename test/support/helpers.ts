import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { DEMO_PARTNERS } from '../../shared/demo';
import { dataOf, graphql, type GraphQLResponse } from '../../scripts/gatewayClient';
import { signCall } from '../../shared/identity';
import { signToken } from '../../gateway/credentials';

export { dataOf };

export function gatewayUrl(): string {
  const url = process.env.GATEWAY_URL;
  if (!url) throw new Error('GATEWAY_URL is not set: run the tests through jest (global set-up starts the stack)');
  return url;
}

/** A GraphQL operation through the gateway, as a partner app or frontend sends it. */
export function gql<T = any>(query: string, variables: Record<string, unknown> = {}, credential?: string): Promise<GraphQLResponse<T>> {
  return graphql<T>(gatewayUrl(), query, variables, credential);
}

/** The extensions.code of a failed response's first error. */
export function errorCode(response: GraphQLResponse<unknown>): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

export const partner = (index: number) => {
  const row = DEMO_PARTNERS[index];
  if (!row) throw new Error(`no demo partner ${index}`);
  return { ...row, credential: `demo-partner-${row.code}` };
};
export const OPERATOR = 'demo-operator';

/** Creates a reward of `partnerId` (400 points, 20 in stock) through the gateway at `url`; returns its id. */
export async function createRewardThrough(url: string, partnerId: string, title: string, credential = OPERATOR): Promise<string> {
  const created = await graphql<{ createReward: { id: string } }>(
    url,
    `
      mutation ($input: CreateRewardInput!) {
        createReward(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        partnerId,
        title,
        description: 'A basket of seasonal fruit',
        kind: 'FREE_ITEM',
        category: 'grocery',
        pointsCost: 400,
        stock: 20,
        idempotencyKey: randomUUID(),
      },
    },
    credential,
  );
  return dataOf(created).createReward.id;
}

let pool: Pool | null = null;

/**
 * Read-only access to the test database, for checking ledger invariants that no API exposes in
 * full (the sum of all accounts). Writes go through the gateway.
 */
export function database(): Pool {
  pool ??= new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 });
  return pool;
}

export async function closeDatabase(): Promise<void> {
  await pool?.end();
  pool = null;
}

/**
 * Waits for an asynchronous consequence (an event counted by settlement) by re-checking a
 * condition, up to a bound. Returns the last value; the caller asserts on it.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const ENROLL = `mutation Enroll($input: EnrollMemberInput!) { enrollMember(input: $input) { id displayName email enrolledVia { id } } }`;
export const EARN = `mutation Earn($input: EarnPointsInput!) {
  earnPoints(input: $input) { id kind points reference member { id balance { availablePoints lifetimeEarnedPoints } } partner { id } }
}`;
export const BALANCE = `query Balance($id: ID!) { member(id: $id) { balance { availablePoints lifetimeEarnedPoints } tier { level } } }`;

/** Enrolls a fresh member through a partner and returns its id. */
export async function enrollMember(partnerCredential: string): Promise<string> {
  const unique = randomUUID();
  const { enrollMember: member } = dataOf(
    await gql<{ enrollMember: { id: string } }>(
      ENROLL,
      { input: { displayName: 'Test Member', email: `member-${unique}@example.test`, idempotencyKey: `enroll-${unique}` } },
      partnerCredential,
    ),
  );
  return member.id;
}

/** Posts a purchase through a partner and returns the points it earned. */
export async function earn(partnerCredential: string, memberId: string, purchaseAmountMinor: number, key = randomUUID()): Promise<number> {
  const { earnPoints } = dataOf(
    await gql<{ earnPoints: { points: number } }>(
      EARN,
      { input: { memberId, purchaseAmountMinor, currency: 'EUR', reference: `receipt-${key}`, idempotencyKey: key } },
      partnerCredential,
    ),
  );
  return earnPoints.points;
}

export async function availablePoints(memberId: string): Promise<number> {
  const { member } = dataOf(await gql<{ member: { balance: { availablePoints: number } } }>(BALANCE, { id: memberId }, OPERATOR));
  return member.balance.availablePoints;
}

/** The secret the test stack's gateway and subgraphs share (development mode's fixed one). */
export const DEVELOPMENT_GATEWAY_SECRET = 'coalition-development-secret-do-not-use-in-production';

/**
 * Calls a subgraph's internal operation directly, signed as a coalition service for that subgraph
 * and that body, the way the rewards subgraph calls the ledger. Only for internal (@inaccessible)
 * operations.
 */
export async function internalCall<T = any>(
  subgraph: 'members' | 'rewards' | 'settlement',
  query: string,
  variables: Record<string, unknown> = {},
) {
  const urls = JSON.parse(process.env.TEST_SUBGRAPH_URLS ?? '{}') as Record<string, string>;
  const body = JSON.stringify({ query, variables });
  const response = await fetch(urls[subgraph]!, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signCall({ kind: 'service', service: 'rewards' }, DEVELOPMENT_GATEWAY_SECRET, subgraph, body),
    },
    body,
  });
  return {
    status: response.status,
    ...((await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] }),
  };
}

/** Waits until the clock has passed `instant` (for expiry dates and holds: time, not an event). */
export async function waitUntilPast(instant: Date): Promise<void> {
  const wait = instant.getTime() - Date.now() + 20;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

export const ADJUST = `mutation Adjust($input: AdjustPointsInput!) { adjustPoints(input: $input) { id kind points reason } }`;
export const TRANSFER = `mutation Give($input: TransferPointsInput!) { transferPoints(input: $input) { id kind points counterpartyMember { id } } }`;
export const MAINTENANCE = `mutation { runLedgerMaintenance { lotsExpired pointsExpired pendingEarnsPosted reservationsReleased } }`;
export const WALLET_BALANCE = `query($id: ID!) { member(id: $id) {
  balance { availablePoints pendingPoints reservedPoints lifetimeEarnedPoints nextExpiry { expiresAt points } }
  tier { level qualifyingPoints }
} }`;

export async function wallet(memberId: string): Promise<any> {
  return dataOf(await gql(WALLET_BALANCE, { id: memberId }, OPERATOR)).member;
}

export async function adjust(memberId: string, points: number, expiresAt?: Date): Promise<string> {
  return dataOf(
    await gql(
      ADJUST,
      { input: { memberId, points, reason: 'test set-up', expiresAt: expiresAt?.toISOString(), idempotencyKey: randomUUID() } },
      OPERATOR,
    ),
  ).adjustPoints.id;
}

export const CREATE_CHECKOUT_TOKEN = `mutation($input: CreateCheckoutTokenInput!) {
  createCheckoutToken(input: $input) { token expiresAt maxPoints qrCodeSvg member { id } partner { id } }
}`;

/**
 * A checkout token as the member's app gets it (with the member's own token): what a partner must
 * present to spend the member's points. `bind` limits it to one partner and a most points.
 */
export async function checkoutToken(
  memberId: string,
  bind: { partnerId?: string; maxPoints?: number } = {},
): Promise<{
  token: string;
  expiresAt: string;
  maxPoints: number | null;
  qrCodeSvg: string;
  member: { id: string };
  partner: { id: string } | null;
}> {
  const memberCredential = await signToken('member', memberId, 600);
  return dataOf(await gql(CREATE_CHECKOUT_TOKEN, { input: { memberId, ...bind } }, memberCredential)).createCheckoutToken;
}
