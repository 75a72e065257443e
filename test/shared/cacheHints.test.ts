import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type GraphQLResolveInfo } from 'graphql';
import { cacheHintsPlugin, withDeclaredEntityHints } from '../../shared/cacheHints';

/**
 * One `_entities` call may resolve entities of several types. Its cache policy, which the gateway's
 * caches go by, must be the shortest of theirs, whatever order they come in: a public entity must
 * not make an unhinted one (here with a caller's secret) look cacheable. The server is set up as
 * the subgraphs' (shared/subgraphServer.ts): Apollo's cache control through cacheHintsPlugin.
 */
const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  directive @cacheControl(maxAge: Int) on OBJECT | FIELD_DEFINITION
  type Catalog @key(fields: "id") @cacheControl(maxAge: 10) { id: ID! title: String! }
  type Shorter @key(fields: "id") @cacheControl(maxAge: 3) { id: ID! }
  type Account @key(fields: "id") { id: ID! secret: String! }
  type Query { ping: Boolean catalog: Catalog }
`;

const resolvers = {
  // Whether this request runs without Apollo's per-field cache hooks.
  Query: {
    ping: (_root: unknown, _args: unknown, _context: unknown, info: GraphQLResolveInfo) => maybeCacheControlFromInfo(info) === null,
    catalog: () => ({ id: 'c', title: 'the catalog' }),
  },
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
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), cacheHintsPlugin()],
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

  it('answers an operation with an unhinted root field no-store without per-field hooks, entities included', async () => {
    const response = await server.executeOperation({
      query: `query($representations: [_Any!]!) { ping _entities(representations: $representations) { ... on Catalog { id } } }`,
      variables: { representations: [{ __typename: 'Catalog', id: '1' }] },
    });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult.errors).toBeUndefined();
    expect(response.body.singleResult.data).toEqual({ ping: true, _entities: [{ id: '1' }] });
    expect(response.http.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps the hooks, and the hint, for a root field whose type is hinted', async () => {
    const response = await server.executeOperation({ query: '{ catalog { id title } }' });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult.errors).toBeUndefined();
    expect(response.http.headers.get('cache-control')).toBe('max-age=10, public');
    const unhinted = await server.executeOperation({ query: '{ catalog { id } ping }' });
    if (unhinted.body.kind !== 'single') throw new Error('expected a single result');
    expect(unhinted.body.singleResult.data).toEqual({ catalog: { id: 'c' }, ping: true });
    expect(unhinted.http.headers.get('cache-control')).toBe('no-store');
  });
});
