import { createHash } from 'node:crypto';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';

/**
 * Hostile input against a gateway of its own (so its low rate limit disturbs no other test):
 * malformed, deep, wide and aliased queries, wrong variables, oversized and batched bodies, bursts.
 * Each gets a clear error or 429; the gateway stays up and its memory stays bounded.
 */
let isolated: IsolatedStack;
let base: string;
const RATE_LIMIT = 150;
const ALLOWED_ORIGIN = 'https://wallet.example.test';

beforeAll(async () => {
  isolated = await startIsolatedStack('hostile', {
    GATEWAY_RATE_LIMIT: String(RATE_LIMIT),
    GATEWAY_RATE_WINDOW_MS: '60000',
    GATEWAY_CORS_ORIGINS: ALLOWED_ORIGIN,
  });
  base = isolated.stack.gatewayUrl.replace(/\/graphql$/, '');
}, 120_000);
afterAll(() => isolated?.stop());

/** A request as the operator (its own rate-limit bucket; the burst test uses another caller's). */
async function post(body: string | object, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer demo-operator', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

const nested = (depth: number) => {
  let selection = 'id';
  for (let i = 0; i < depth; i += 1)
    selection = i % 2 === 0 ? `enrolledVia { members(first: 1) { edges { node { ${selection} } } } }` : `id ${selection}`;
  return `{ member(id: "20000000-0000-4000-8000-000000000001") { ${selection} } }`;
};

async function rss(): Promise<number> {
  return (await (await fetch(`${base}/health`)).json()).rssBytes;
}

describe('hostile input', () => {
  it('gets clear errors for malformed, deep, wide, aliased and mistyped requests, and the gateway stays up', async () => {
    const before = await rss();
    // A document that does not parse: a GraphQL error, 200 as application/json (what fetch's */*
    // gets), 400 as application/graphql-response+json (GraphQL over HTTP).
    const malformed = await post({ query: '{ member(id: ' });
    expect({ status: malformed.status, body: malformed.text }).toMatchObject({ status: 200 });
    expect(malformed.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await post({ query: '{ member(id: ' }, { accept: 'application/graphql-response+json' })).status).toBe(400);

    const deep = await post({ query: nested(8) });
    expect(deep.json.errors[0].message).toMatch(/depth/i);

    const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: partners { id }`).join(' ');
    const aliased = await post({ query: `{ ${aliases} }` });
    expect(aliased.json.errors[0].message).toMatch(/alias/i);

    const wide = await post({ query: `{ partners { ${Array.from({ length: 4000 }, () => 'id').join(' ')} } }` });
    expect(wide.json.errors[0].message).toMatch(/token/i);

    const mistyped = await post({
      query: 'query($first: Int) { rewards(first: $first) { edges { node { id } } } }',
      variables: { first: 'ten' },
    });
    expect(mistyped.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    const oversized = await post({ query: `{ partners { id } } # ${'x'.repeat(200_000)}` });
    expect(oversized.status).toBe(413);
    expect(oversized.json.errors[0].extensions.code).toBe('BAD_REQUEST');

    const batched = await post([{ query: '{ partners { id } }' }, { query: '{ partners { id } }' }]);
    expect(batched.status).toBe(400);

    // A subscription over HTTP: the client's wrong transport, named, not an internal error.
    const overHttp = await post({ query: 'subscription { balanceChanged(memberId: "m") { sequence } }' });
    expect(overHttp.status).toBe(400);
    expect(overHttp.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(overHttp.json.errors[0].message).toMatch(/WebSocket/);

    const notJson = await post('this is not json');
    expect(notJson.status).toBe(400);
    // A GraphQL error in JSON, not a framework's HTML page with a stack trace.
    expect(notJson.json.errors[0]).toEqual({ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } });
    expect(notJson.text).not.toMatch(/node_modules|<html|at [A-Za-z.]+ \(/i);

    // A hundred more hostile requests, then the gateway still answers and its memory is bounded.
    for (let i = 0; i < 25; i += 1) {
      await Promise.all([
        post({ query: nested(10) }),
        post({ query: `{ ${aliases} }` }),
        post({ query: '{ member(id: ' }),
        post({ query: `{ partners { ${'id '.repeat(3000)} } }` }),
      ]);
    }
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const growthMb = ((await rss()) - before) / 1e6;
    console.log(`gateway RSS growth over the hostile requests: ${growthMb.toFixed(1)} MB`);
    expect(growthMb).toBeLessThan(150);
  });

  it('answers a burst from one caller with 429 and Retry-After, without slowing another caller', async () => {
    const responses = [];
    for (let i = 0; i < RATE_LIMIT + 5; i += 1) {
      responses.push(
        await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer demo-partner-city-bonus-freshmart' },
          body: JSON.stringify({ query: '{ partners { id } }' }),
        }),
      );
    }
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited[0]!.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');
    const other = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-partner-city-bonus-lumiere' },
      body: JSON.stringify({ query: '{ partners { id } }' }),
    });
    expect(other.status).toBe(200);
  });

  it('allows configured origins only, and persisted queries by hash', async () => {
    const allowed = await post(
      { query: '{ partners { id } }' },
      { origin: ALLOWED_ORIGIN, authorization: 'Bearer demo-partner-travel-together-harbor' },
    );
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const other = await post(
      { query: '{ partners { id } }' },
      { origin: 'https://evil.example.test', authorization: 'Bearer demo-partner-travel-together-harbor' },
    );
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const query = '{ rewards(first: 1) { edges { node { title } } } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const credential = { authorization: 'Bearer demo-partner-travel-together-roadrunner' };
    expect((await post({ extensions }, credential)).json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post({ query, extensions }, credential)).json.data.rewards.edges).toHaveLength(1);
    expect((await post({ extensions }, credential)).json.data.rewards.edges).toHaveLength(1);
  });
});
