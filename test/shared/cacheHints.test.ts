import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';
import { withDeclaredEntityHints } from '../../shared/cacheHints';

/**
 * One `_entities` call may resolve entities of several types. Its cache policy, which the gateway's
 * caches go by, must be the shortest of theirs, whatever order they come in: a public entity must
 * not make an unhinted one (here with a caller's secret) look cacheable.
 */
const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  directive @cacheControl(maxAge: Int) on OBJECT | FIELD_DEFINITION
  type Catalog @key(fields: "id") @cacheControl(maxAge: 10) { id: ID! title: String! }
  type Shorter @key(fields: "id") @cacheControl(maxAge: 3) { id: ID! }
  type Account @key(fields: "id") { id: ID! secret: String! }
  type Query { ping: Boolean }
`;

const resolvers = {
  Catalog: { __resolveReference: (reference: { id: string }) => ({ ...reference, title: `title ${reference.id}` }) },
  Shorter: { __resolveReference: (reference: { id: string }) => reference },
  Account: { __resolveReference: (reference: { id: string }) => ({ ...reference, secret: `secret ${reference.id}` }) },
};

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Catalog { id title } ... on Shorter { id } ... on Account { id secret } }
}`;

let server: ApolloServer;
beforeAll(async () => {
  server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(SDL), resolvers: withDeclaredEntityHints(resolvers) as GraphQLResolverMap<unknown> }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
});
afterAll(() => server.stop());

async function cacheControlOf(...typeNames: string[]): Promise<string | undefined> {
  const response = await server.executeOperation({
    query: ENTITIES,
    variables: { representations: typeNames.map((__typename, index) => ({ __typename, id: String(index) })) },
  });
  if (response.body.kind !== 'single' || response.body.singleResult.errors) throw new Error('the entities did not resolve');
  return response.http.headers.get('cache-control');
}

describe('cache hints of entities fetched by reference', () => {
  it('gives a batch of public entities their declared hint, the shortest when types differ', async () => {
    expect(await cacheControlOf('Catalog', 'Catalog')).toBe('max-age=10, public');
    expect(await cacheControlOf('Catalog', 'Shorter')).toBe('max-age=3, public');
    expect(await cacheControlOf('Shorter', 'Catalog')).toBe('max-age=3, public');
  });

  it('makes a batch uncacheable when any entity type has no hint, in either order', async () => {
    expect(await cacheControlOf('Account')).toBe('no-store');
    expect(await cacheControlOf('Catalog', 'Account')).toBe('no-store');
    expect(await cacheControlOf('Account', 'Catalog')).toBe('no-store');
  });
});
