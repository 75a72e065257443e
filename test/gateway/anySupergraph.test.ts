import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { graphql } from '../../scripts/gatewayClient';
import { freePort } from '../../scripts/stack';

/**
 * The gateway is not tied to the coalition's graph: given another supergraph file and its subgraphs'
 * URLs (SUPERGRAPH_PATH, SUBGRAPH_URLS) it plans and serves that graph, so it can be measured on
 * other workloads. Two small subgraphs of a bookshop, an entity shared between them.
 */

const BOOKS = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { books: [Book!]! }
  type Book @key(fields: "isbn") { isbn: ID! title: String! }`;
const REVIEWS = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Book @key(fields: "isbn") { isbn: ID! reviews: [Review!]! }
  type Review { stars: Int! }`;

const servers: ApolloServer[] = [];
let gateway: ChildProcess | null = null;
const workDir = mkdtempSync(join(tmpdir(), 'any-supergraph-'));

afterAll(async () => {
  gateway?.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.stop()));
  rmSync(workDir, { recursive: true, force: true });
});

async function subgraph(sdl: string, resolvers: object): Promise<string> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as any }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  servers.push(server);
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return url;
}

it('serves a supergraph given by configuration, planning across its subgraphs', async () => {
  const books = await subgraph(BOOKS, {
    Query: {
      books: () => [
        { isbn: '1', title: 'Dune' },
        { isbn: '2', title: 'Emma' },
      ],
    },
  });
  const reviews = await subgraph(REVIEWS, {
    Book: { __resolveReference: ({ isbn }: { isbn: string }) => ({ isbn, reviews: isbn === '1' ? [{ stars: 5 }, { stars: 4 }] : [] }) },
  });
  const composed = composeServices([
    { name: 'books', url: books, typeDefs: parse(BOOKS) },
    { name: 'reviews', url: reviews, typeDefs: parse(REVIEWS) },
  ]);
  expect(composed.errors).toBeUndefined();
  const supergraphPath = join(workDir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl!);

  const port = await freePort('127.0.0.1');
  const { DATABASE_URL: _unused, ...environment } = process.env;
  gateway = fork(join(__dirname, '..', '..', 'gateway', 'main.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...environment, PORT: String(port), SUPERGRAPH_PATH: supergraphPath, SUBGRAPH_URLS: `books=${books},reviews=${reviews}` },
  });
  await new Promise<void>((resolve, reject) => {
    gateway!.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
    gateway!.on('message', (message: { type?: string }) => message.type === 'ready' && resolve());
  });

  const response = await graphql(`http://127.0.0.1:${port}/graphql`, '{ books { title reviews { stars } } }', {});
  expect(response.errors).toBeUndefined();
  expect(response.data).toEqual({
    books: [
      { title: 'Dune', reviews: [{ stars: 5 }, { stars: 4 }] },
      { title: 'Emma', reviews: [] },
    ],
  });
}, 60_000);
