import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mergeOperations, mergeVariables, splitResult } from '../../gateway/fetchBatcher';
import { DEEP_QUERY } from '../../bench/gateway/workloads';
import { graphql } from '../../scripts/gatewayClient';
import { startGatewayProcess, type GatewayProcess } from '../support/gatewayProcess';
import { dataOf, gql, OPERATOR } from '../support/helpers';

/**
 * Fetches of one plan to one subgraph issued at the same time travel as one subgraph request
 * (gateway/fetchBatcher.ts). A gateway process of its own sends its subgraph calls through counting
 * proxies in front of the shared stack's subgraphs, so the test sees every request it makes.
 */

interface CountingProxy {
  url: string;
  /** The operation text of every request forwarded since the last reset. */
  operations: string[];
  close(): Promise<void>;
}

async function countingProxy(target: string): Promise<CountingProxy> {
  const operations: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      try {
        operations.push((JSON.parse(body.toString()) as { query: string }).query);
      } catch {
        operations.push('');
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length' && name !== 'connection') headers[name] = value;
      }
      const answer = await fetch(new URL(req.url ?? '/', target), {
        method: req.method,
        headers,
        body: req.method === 'POST' ? body : undefined,
      });
      const forwarded: Record<string, string> = {};
      for (const name of ['content-type', 'cache-control']) {
        const value = answer.headers.get(name);
        if (value) forwarded[name] = value;
      }
      res.writeHead(answer.status, forwarded).end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const path = new URL(target).pathname;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    operations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('merging and splitting subgraph operations', () => {
  const entities = (type: string, field: string) =>
    `query Q__rewards__${type}($representations:[_Any!]!$first:Int){_entities(representations:$representations){...on ${type}{${field}}}}`;

  it('renames each part’s root fields, variables and fragments under its own prefix', () => {
    const merged = mergeOperations([
      { operation: entities('Member', 'redemptions(first:$first){totalCount}'), operationName: 'Q__rewards__Member' },
      {
        operation:
          'query Q__rewards__P($representations:[_Any!]!){_entities(representations:$representations){...F}} fragment F on Partner{name}',
        operationName: 'Q__rewards__P',
      },
    ]);
    expect(merged).not.toBeNull();
    expect(merged!.operation).toBe(
      'query Q__rewards__Member__batch2($_0_representations:[_Any!]!$_0_first:Int$_1_representations:[_Any!]!)' +
        '{_0__entities:_entities(representations:$_0_representations){...on Member{redemptions(first:$_0_first){totalCount}}}' +
        '_1__entities:_entities(representations:$_1_representations){..._1_F}}' +
        'fragment _1_F on Partner{name}',
    );
    expect(mergeVariables([{ representations: [1], first: 2 }, { representations: [3] }])).toEqual({
      _0_representations: [1],
      _0_first: 2,
      _1_representations: [3],
    });
  });

  it('merges no mutation and no root fragment', () => {
    expect(mergeOperations([{ operation: 'mutation { a }' }, { operation: '{ b }' }])).toBeNull();
    expect(mergeOperations([{ operation: '{ ... on Query { a } }' }, { operation: '{ b }' }])).toBeNull();
  });

  it('gives each part its data and the errors under its fields; an error of the whole request to every part', () => {
    const parts = splitResult(
      {
        data: { _0__entities: [{ a: 1 }], _1__entities: [null, { b: 2 }] },
        errors: [
          { message: 'second entity of part 1', path: ['_1__entities', 0, 'b'] },
          { message: 'whole request', extensions: { code: 'X' } },
        ],
        extensions: { sqlStatements: 3 },
        cacheHint: { maxAge: 5, scope: 'PUBLIC' },
      },
      2,
    );
    expect(parts[0]).toEqual({
      data: { _entities: [{ a: 1 }] },
      errors: [{ message: 'whole request', extensions: { code: 'X' } }],
      extensions: { sqlStatements: 3 },
      cacheHint: { maxAge: 5, scope: 'PUBLIC' },
    });
    expect(parts[1]).toEqual({
      data: { _entities: [null, { b: 2 }] },
      errors: [
        { message: 'second entity of part 1', path: ['_entities', 0, 'b'] },
        { message: 'whole request', extensions: { code: 'X' } },
      ],
      cacheHint: { maxAge: 5, scope: 'PUBLIC' },
    });
    expect(splitResult({ data: null, errors: [{ message: 'down' }], cacheHint: { maxAge: 0 } }, 2).map((p) => p.data)).toEqual([
      null,
      null,
    ]);
  });
});

describe('a plan’s fetches to one subgraph at the same time, as one request', () => {
  let proxies: Record<string, CountingProxy>;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    const subgraphs = JSON.parse(process.env.TEST_SUBGRAPH_URLS ?? '{}') as Record<string, string>;
    proxies = Object.fromEntries(
      await Promise.all(['members', 'rewards', 'settlement'].map(async (name) => [name, await countingProxy(subgraphs[name]!)] as const)),
    );
    gateway = await startGatewayProcess({
      // On the shared stack's bus, as a replica: a public entity another test changes through the
      // shared gateway (a reward renamed) is dropped from this one's entity cache too, so the two
      // answers can agree before its max-age passes.
      DATABASE_URL: process.env.TEST_DATABASE_URL!,
      MEMBERS_URL: proxies.members!.url,
      REWARDS_URL: proxies.rewards!.url,
      SETTLEMENT_URL: proxies.settlement!.url,
    });
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(Object.values(proxies ?? {}).map((proxy) => proxy.close()));
  });

  const requests = () => Object.fromEntries(Object.entries(proxies).map(([name, proxy]) => [name, proxy.operations.length]));
  const reset = () => Object.values(proxies).forEach((proxy) => proxy.operations.splice(0));

  it('answers the deep query as the shared gateway does, in fewer subgraph requests than the plan has fetches', async () => {
    const variables = { members: 8 };
    let counts: Record<string, number> = {};
    let operations: Record<string, string[]> = {};
    // The deep query's plan: 9 fetches (1 members, 3 rewards, 5 settlement) at three depths. The
    // first answer of each fetch is alone (its cacheability learned); then fetches of one depth to
    // one subgraph travel together.
    for (let run = 0; run < 3; run++) {
      // Other test files enrol members and redeem meanwhile (the page is the newest members): each
      // answer is compared with the shared gateway's, asked at the same moment, until no write fell
      // between the two. The requests counted are the run's first attempt's: a retry right after it
      // finds the public entities in the entity cache that attempt filled, and asks for less.
      reset();
      let attempt: { batched: unknown; shared: unknown };
      let attempts = 0;
      do {
        const [batched, shared] = await Promise.all([
          graphql<any>(gateway.url, DEEP_QUERY.replace('query Deep', `query Deep${run}`), variables, OPERATOR),
          gql(DEEP_QUERY, variables, OPERATOR),
        ]);
        if (attempts === 0) {
          counts = requests();
          operations = Object.fromEntries(Object.entries(proxies).map(([name, proxy]) => [name, [...proxy.operations]]));
        }
        attempt = { batched: dataOf(batched), shared: dataOf(shared) };
        attempts += 1;
      } while (JSON.stringify(attempt.batched) !== JSON.stringify(attempt.shared) && attempts < 5);
      expect(attempt.batched).toEqual(attempt.shared);
    }
    console.log(
      JSON.stringify(Object.fromEntries(Object.entries(operations).map(([n, ops]) => [n, ops.map((o) => o.slice(0, 300))])), null, 1),
    );
    // Members once. Rewards: its three fetches of the first depth in two requests, one per kind of
    // answer: the two partners' catalogs (public, cached by the gateway) together, the members'
    // redemptions (private) alone. Settlement: at most one request per depth, fewer when its public
    // entities came from the gateway's entity cache.
    expect(counts).toEqual({ members: 1, rewards: 2, settlement: expect.any(Number) });
    expect(counts.settlement).toBeLessThanOrEqual(2);
    expect(operations.rewards!.filter((operation) => operation.includes('__batch2'))).toHaveLength(1);
  });
});
