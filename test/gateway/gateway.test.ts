import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { graphql } from '../../scripts/gatewayClient';
import { freePort } from '../../scripts/stack';
import { DEMO_PARTNERS } from '../../shared/demo';
import { CALLER_HEADER, SIGNATURE_HEADER, signCall } from '../../shared/identity';
import { MAX_SUBGRAPH_BODY_BYTES } from '../../shared/subgraphServer';
import { MAX_REQUEST_BODY_BYTES } from '../../gateway/server';
import {
  ADJUST,
  availablePoints,
  DEVELOPMENT_GATEWAY_SECRET,
  enrollMember,
  errorCode,
  gatewayUrl,
  gql,
  OPERATOR,
  partner,
} from '../support/helpers';

const subgraphUrls = (): Record<string, string> => JSON.parse(process.env.TEST_SUBGRAPH_URLS ?? '{}');

type SubgraphAnswer = { data?: any; errors?: { extensions?: { code?: string } }[] };

/** Posts `body` as it is (no re-serialisation: signatures cover the exact bytes) with `headers`. */
async function postBody(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as SubgraphAnswer };
}

const queryBody = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

describe('the gateway', () => {
  it('caches public catalog answers for anonymous callers only, as long as the subgraphs allow', async () => {
    const CATALOG = '{ rewards(first: 5) { edges { node { id title pointsCost partner { name category } } } } }';
    const ask = async (credential?: string) => {
      const response = await fetch(gatewayUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
        body: JSON.stringify({ query: CATALOG }),
      });
      return { cacheControl: response.headers.get('cache-control'), age: response.headers.get('age'), body: await response.json() };
    };
    const first = await ask();
    expect(first.cacheControl).toBe('max-age=10, public');
    const second = await ask();
    expect(second.age).not.toBeNull(); // served from the gateway's cache
    expect(second.body.data).toEqual(first.body.data);
    // The same query by an identified caller is answered afresh and marked for that caller only.
    const operator = await ask(OPERATOR);
    expect(operator.age).toBeNull();
    expect(operator.cacheControl).toBe('max-age=10, private');
    // Member data carries no hint: never cacheable, not even privately.
    const member = await fetch(gatewayUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-member-ava' },
      body: JSON.stringify({ query: '{ me { displayName balance { availablePoints } } }' }),
    });
    expect(member.headers.get('cache-control') ?? 'no-store').toBe('no-store');
    // The shortest hint in the answer wins: stock may be reused for 5 seconds only.
    const withStock = await fetch(gatewayUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ rewards(first: 5) { edges { node { id stockRemaining } } } }' }),
    });
    expect(withStock.headers.get('cache-control')).toBe('max-age=5, public');
  });

  it('answers /health and reports every subgraph ready on /ready', async () => {
    const base = gatewayUrl().replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      subgraphs: { members: 'ready', rewards: 'ready', settlement: 'ready' },
    });
  });

  it('refuses an unknown credential with UNAUTHENTICATED and a malformed header likewise', async () => {
    const unknown = await gql('{ partners { id } }', {}, 'not-a-real-key');
    expect(unknown.status).toBe(401);
    expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
    const malformed = await fetch(gatewayUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ partners { id } }' }),
    });
    expect(malformed.status).toBe(401);
  });

  it('serves the public catalog and partner list to anonymous callers', async () => {
    const response = await gql('{ partners { name programName } rewards(first: 3) { edges { node { title } } } }');
    expect(response.errors).toBeUndefined();
    // Every demo partner; other tests may register more meanwhile.
    expect(response.data.partners.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(DEMO_PARTNERS.map((p) => p.name)));
    expect(response.data.rewards.edges).toHaveLength(3);
  });

  it('does not expose internal operations through the public graph', async () => {
    const response = await gql(
      `mutation { debitPoints(input: { memberId: "x", partnerId: "y", points: 1, reference: "r", idempotencyKey: "k" }) { id } }`,
      {},
      OPERATOR,
    );
    expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    const events = await gql('{ ledgerEvents(afterPosition: 0, first: 10) { id } }', {}, OPERATOR);
    expect(errorCode(events)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('the subgraphs', () => {
  it.each(['members', 'rewards', 'settlement'])('%s refuses a call that the gateway did not sign', async (name) => {
    const url = subgraphUrls()[name]!;
    const body = queryBody('{ __typename }');
    const unsigned = await postBody(url, body);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const forged = await postBody(
      url,
      body,
      signCall({ kind: 'operator', operatorId: 'mallory' }, 'a-guessed-secret-that-is-long-enough!', name, body),
    );
    expect(forged.status).toBe(401);

    // A signed header altered after signing (the caller swapped) fails too.
    const signed = signCall({ kind: 'anonymous' }, DEVELOPMENT_GATEWAY_SECRET, name, body);
    const tampered = {
      ...signed,
      [CALLER_HEADER]: Buffer.from(JSON.stringify({ caller: { kind: 'operator', operatorId: 'x' }, issuedAtMs: Date.now() })).toString(
        'base64url',
      ),
    };
    expect((await postBody(url, body, tampered)).status).toBe(401);

    // Signed for this body but for another subgraph, or for this subgraph but another body: refused,
    // though `{ __typename }` is valid everywhere (it is the signature that fails, not the query).
    const other = name === 'members' ? 'rewards' : 'members';
    expect((await postBody(url, body, signCall({ kind: 'anonymous' }, DEVELOPMENT_GATEWAY_SECRET, other, body))).status).toBe(401);
    const otherBody = queryBody('{ __typename }', { unused: 1 });
    expect((await postBody(url, otherBody, signed)).status).toBe(401);

    // The same request, properly signed, goes through: the refusals above are about the signature.
    const accepted = await postBody(url, body, signed);
    expect(accepted.status).toBe(200);
    expect(accepted.body.data).toEqual({ __typename: 'Query' });
  });

  it('refuses a stale signature', async () => {
    const url = subgraphUrls().members!;
    const body = queryBody('{ __typename }');
    const old = signCall({ kind: 'anonymous' }, DEVELOPMENT_GATEWAY_SECRET, 'members', body, Date.now() - 60 * 60 * 1000);
    const stale = await postBody(url, body, old);
    expect(stale.status).toBe(401);
    expect(stale.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // From the future, past the allowance, likewise.
    const ahead = signCall({ kind: 'anonymous' }, DEVELOPMENT_GATEWAY_SECRET, 'members', body, Date.now() + 60 * 60 * 1000);
    expect((await postBody(url, body, ahead)).status).toBe(401);
  });

  it('refuses a GET, which has no body for a signature to cover', async () => {
    const url = new URL(subgraphUrls().members!);
    url.searchParams.set('query', '{ __typename }');
    const signed = signCall({ kind: 'operator', operatorId: 'get-test' }, DEVELOPMENT_GATEWAY_SECRET, 'members', '');
    const response = await fetch(url, { headers: { ...signed, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(401);
  });

  it('refuses a body over MAX_SUBGRAPH_BODY_BYTES with 413 without acting on it, and malformed JSON with 400', async () => {
    const memberId = await enrollMember(partner(0).credential);
    const pointsBefore = await availablePoints(memberId);
    const input = { memberId, points: 5, reason: 'body limit test', idempotencyKey: randomUUID() };
    // Unused variables are ignored by GraphQL: the padding only makes the body as large as wanted.
    const adjustment = (paddingBytes: number) => JSON.stringify({ query: ADJUST, variables: { input, padding: 'x'.repeat(paddingBytes) } });
    const largest = adjustment(MAX_SUBGRAPH_BODY_BYTES - adjustment(0).length);
    expect(Buffer.byteLength(largest)).toBe(MAX_SUBGRAPH_BODY_BYTES);
    const post = async (body: string | ReadableStream<Uint8Array>) => {
      const response = await fetch(subgraphUrls().members!, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // Signed for the body when there is one to sign: the size refusals come before the signature check.
          ...signCall(
            { kind: 'operator', operatorId: 'body-limit-test' },
            DEVELOPMENT_GATEWAY_SECRET,
            'members',
            typeof body === 'string' ? body : '',
          ),
        },
        body,
        ...{ duplex: 'half' }, // required by fetch for a streamed body; not yet in Node's RequestInit type
      });
      return {
        status: response.status,
        body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
      };
    };

    // Refused on its declared content-length, before reading...
    const declared = await post(`${largest} `);
    expect(declared.status).toBe(413);
    expect(declared.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    // ...and, sent without a content-length, as soon as the bytes read pass the limit.
    const streamed = await post(new Blob([largest, ' '.repeat(100_000)]).stream());
    expect(streamed.status).toBe(413);
    expect(await availablePoints(memberId)).toBe(pointsBefore);

    const malformed = await post('{"query": "{ __typename }"');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');

    // A body of exactly the limit is served: the refusals above were about size alone.
    const accepted = await post(largest);
    expect(accepted.status).toBe(200);
    expect(accepted.body.errors).toBeUndefined();
    expect(await availablePoints(memberId)).toBe(pointsBefore + 5);
  });
});

describe('every HTTP response', () => {
  it('names no framework: no X-Powered-By from the gateway or any subgraph, whatever the route or outcome', async () => {
    const gateway = new URL(gatewayUrl());
    const at = (base: string, path: string) => new URL(path, base).toString();
    const json = { 'content-type': 'application/json' };
    const requests: [string, RequestInit][] = [
      [gatewayUrl(), { method: 'POST', headers: json, body: JSON.stringify({ query: '{ partners { id } }' }) }],
      [
        gatewayUrl(),
        { method: 'POST', headers: { ...json, authorization: 'Bearer not-a-real-key' }, body: '{"query":"{ partners { id } }"}' },
      ],
      [gatewayUrl(), { method: 'POST', headers: json, body: '{"query": ' }],
      [
        gatewayUrl(),
        { method: 'POST', headers: json, body: JSON.stringify({ query: `{ partners { id } } #${'x'.repeat(MAX_REQUEST_BODY_BYTES)}` }) },
      ],
      [gatewayUrl(), { method: 'GET' }],
      [gatewayUrl(), { method: 'OPTIONS', headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' } }],
      [at(gateway.origin, '/health'), {}],
      [at(gateway.origin, '/ready'), {}],
      [at(gateway.origin, '/wallet/'), {}],
      [at(gateway.origin, '/exports/statements/not-a-statement.csv'), {}],
      [at(gateway.origin, '/nowhere'), {}],
    ];
    for (const url of Object.values(subgraphUrls()).filter((url) => url !== gatewayUrl())) {
      requests.push(
        [url, { method: 'POST', headers: json, body: '{"query":"{ __typename }"}' }],
        [url, { method: 'POST', headers: json, body: '{"query": ' }],
        [at(url, '/health'), {}],
        [at(url, '/ready'), {}],
        [at(url, '/nowhere'), {}],
      );
    }
    const statuses = new Set<number>();
    for (const [url, init] of requests) {
      const response = await fetch(url, init);
      await response.arrayBuffer();
      statuses.add(response.status);
      expect({ url, poweredBy: response.headers.get('x-powered-by') }).toEqual({ url, poweredBy: null });
    }
    // Successes and refusals of several kinds were all looked at.
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 401, 404, 413]));
  });
});

describe('a call captured between the gateway and a subgraph', () => {
  // A gateway process of its own, whose calls to members pass through a recorder, as an eavesdropper
  // on the internal network would see them. Its other subgraphs, and members behind the recorder,
  // are the suite's own.
  let gateway: ChildProcess | null = null;
  let recorder: Server | null = null;
  let recordingGatewayUrl = '';
  const captured: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    const members = subgraphUrls().members!;
    recorder = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const bytes = Buffer.concat(chunks);
        captured.push({ headers: request.headers, body: bytes.toString('utf8') });
        const relayed: Record<string, string> = { 'content-type': 'application/json' };
        for (const name of [CALLER_HEADER, SIGNATURE_HEADER]) {
          const value = request.headers[name];
          if (typeof value === 'string') relayed[name] = value;
        }
        fetch(members, { method: 'POST', headers: relayed, body: bytes })
          .then(async (answer) => {
            response.statusCode = answer.status;
            for (const name of ['content-type', 'cache-control']) {
              const value = answer.headers.get(name);
              if (value) response.setHeader(name, value);
            }
            response.end(await answer.text());
          })
          .catch(() => response.destroy());
      });
    });
    await new Promise<void>((resolve) => recorder!.listen(0, '127.0.0.1', resolve));
    const recorderPort = (recorder.address() as AddressInfo).port;
    const port = await freePort('127.0.0.1');
    // No DATABASE_URL and no EVENT_BUS: no event bus, hence no subscriptions, which this test needs not.
    const { DATABASE_URL: _database, EVENT_BUS: _bus, ...environment } = process.env;
    gateway = fork(join(__dirname, '..', '..', 'gateway', 'main.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: {
        ...environment,
        PORT: String(port),
        MEMBERS_URL: `http://127.0.0.1:${recorderPort}/graphql`,
        REWARDS_URL: subgraphUrls().rewards!,
        SETTLEMENT_URL: subgraphUrls().settlement!,
      },
    });
    await new Promise<void>((resolve, reject) => {
      gateway!.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
      gateway!.on('message', (message: { type?: string }) => message.type === 'ready' && resolve());
    });
    recordingGatewayUrl = `http://127.0.0.1:${port}/graphql`;
  }, 60_000);

  afterAll(async () => {
    if (gateway && gateway.exitCode === null) {
      const exited = new Promise((resolve) => gateway!.once('exit', resolve));
      gateway.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => (recorder ? recorder.close(resolve) : resolve(undefined)));
  });

  it('is served as sent, and refused with another body or at another subgraph, with nothing executed', async () => {
    const memberId = await enrollMember(partner(0).credential);
    const pointsBefore = await availablePoints(memberId);
    const through = await graphql(
      recordingGatewayUrl,
      'query CapturedBalance($id: ID!) { member(id: $id) { balance { availablePoints } } }',
      { id: memberId },
      OPERATOR,
    );
    expect(through.errors).toBeUndefined();
    const call = captured.find((c) => c.body.includes('CapturedBalance'));
    expect(call).toBeDefined();
    const headers = { [CALLER_HEADER]: String(call!.headers[CALLER_HEADER]), [SIGNATURE_HEADER]: String(call!.headers[SIGNATURE_HEADER]) };

    // The genuine request, replayed as captured (within the signature's 5 minutes): served.
    const genuine = await postBody(subgraphUrls().members!, call!.body, headers);
    expect(genuine.status).toBe(200);
    expect(genuine.body.data).toEqual({ member: { balance: { availablePoints: pointsBefore } } });

    // The operator's captured header with a body of the eavesdropper's choosing: refused, not run.
    const grant = JSON.stringify({
      query: ADJUST,
      variables: { input: { memberId, points: 1_000, reason: 'replayed header', idempotencyKey: randomUUID() } },
    });
    const rewritten = await postBody(subgraphUrls().members!, grant, headers);
    expect(rewritten.status).toBe(401);
    expect(rewritten.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await availablePoints(memberId)).toBe(pointsBefore);

    // The captured call, header and body unchanged, sent to another subgraph: refused.
    for (const other of ['rewards', 'settlement']) {
      const redirected = await postBody(subgraphUrls()[other]!, call!.body, headers);
      expect(redirected.status).toBe(401);
      expect(redirected.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('access at the gateway', () => {
  it("lets a partner read its own contract but not another partner's", async () => {
    const own = partner(0);
    const other = partner(1);
    const query = `query($id: ID!) { partner(id: $id) { name contract { currency } } }`;
    const allowed = await gql(query, { id: own.id }, own.credential);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data.partner.contract.currency).toBe('EUR');
    const refused = await gql(query, { id: other.id }, own.credential);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(errorCode(await gql(query, { id: own.id }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(query, { id: 'not-an-id' }, own.credential))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(query, { id: '99999999-0000-4000-8000-000000000000' }, own.credential))).toBe('NOT_FOUND');
  });
});
