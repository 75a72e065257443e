import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { FastGateway } from '../../gateway/fastGateway';

/**
 * Identical queries of one caller that are in flight at once are answered once; different callers
 * never share; and a query sent after the caller's write never gets an answer begun before it.
 * One counter subgraph whose reads wait until the test lets them finish, and the gateway in this
 * process (its executor is what shares).
 */
const COUNTER = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { counter: Int! }
  type Mutation { bump: Int! }`;

let value = 0;
let reads = 0;
/** Told whenever the subgraph starts a read. */
let onRead: () => void = () => undefined;
/** Reads in progress wait for this. */
let gate: Promise<void> = Promise.resolve();
let openGate: () => void = () => undefined;
const closeGate = () => {
  gate = new Promise((resolve) => (openGate = resolve));
};

const servers: ApolloServer<any>[] = [];
let gateway: ApolloServer<{ caller: string }>;

beforeAll(async () => {
  const subgraph = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(COUNTER),
      resolvers: {
        Query: {
          counter: async () => {
            reads += 1;
            onRead();
            const seen = value;
            await gate;
            return seen;
          },
        },
        Mutation: { bump: () => (value += 1) },
      },
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  servers.push(subgraph);
  const { url } = await startStandaloneServer(subgraph, { listen: { host: '127.0.0.1', port: 0 } });
  const composed = composeServices([{ name: 'counter', url, typeDefs: parse(COUNTER) }]);
  if (composed.errors) throw composed.errors[0];
  gateway = new ApolloServer<{ caller: string }>({
    gateway: new FastGateway<{ caller: string }>({
      supergraphSdl: composed.supergraphSdl,
      subgraphUrls: { counter: url },
      identify: ({ caller }) => ({ sign: () => ({ 'x-caller': caller }), shareKey: caller, cachePartition: null }),
    }),
  });
  servers.push(gateway);
  await gateway.start();
});
afterAll(async () => {
  openGate();
  await Promise.all(servers.map((server) => server.stop()));
});

const ask = async (caller: string, query = '{ counter }') => {
  const response = await gateway.executeOperation({ query }, { contextValue: { caller } });
  if (response.body.kind !== 'single' || response.body.singleResult.errors) throw new Error('the operation failed');
  return response.body.singleResult.data as Record<string, number>;
};

/** Until the subgraph has started `count` reads in all; fails when it does not within 5 s. */
async function readsStarted(count: number) {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the subgraph started ${reads} reads, not ${count}`)), 5_000);
  });
  try {
    while (reads < count) await Promise.race([new Promise<void>((resolve) => (onRead = resolve)), timedOut]);
  } finally {
    clearTimeout(timer);
    onRead = () => undefined;
  }
}

beforeEach(() => {
  openGate(); // reads a failed test left waiting
  reads = 0;
  closeGate();
});

it('answers identical queries of one caller in flight at once with one subgraph read', async () => {
  const first = ask('ava');
  await readsStarted(1);
  const others = [ask('ava'), ask('ava')];
  openGate();
  const answers = await Promise.all([first, ...others]);
  expect(answers).toEqual([{ counter: value }, { counter: value }, { counter: value }]);
  expect(reads).toBe(1);
});

it('never shares between callers', async () => {
  const ava = ask('ava');
  await readsStarted(1);
  const ben = ask('ben');
  await readsStarted(2);
  openGate();
  await Promise.all([ava, ben]);
  expect(reads).toBe(2);
});

it("does not give a query sent after the caller's write an answer begun before it", async () => {
  const before = ask('ava');
  await readsStarted(1);
  const bumped = (await gateway.executeOperation({ query: 'mutation { bump }' }, { contextValue: { caller: 'ava' } })).body;
  expect(bumped.kind === 'single' && bumped.singleResult.data).toEqual({ bump: value });
  const after = ask('ava');
  await readsStarted(2);
  openGate();
  expect(await before).toEqual({ counter: value - 1 });
  expect(await after).toEqual({ counter: value });
  expect(reads).toBe(2);
});
