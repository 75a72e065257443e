import { composeServices } from '@apollo/composition';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { computeResponse } from '@apollo/gateway/dist/resultShaping';
import { parse } from 'graphql';
import { ResultShaper } from '../../gateway/resultShaper';

/**
 * The gateway's compiled result shaper gives exactly what @apollo/gateway's computeResponse gives
 * (data and value errors), on inputs chosen to take every rule: aliases, __typename (aliased too),
 * fragments on interfaces and unions, named fragments, @skip/@include by constant and variable,
 * null bubbling to the nearest nullable field and to the root, unknown __typename, invalid enum
 * values, lists with nulls, and leaf values of every built-in scalar, an enum and a custom scalar,
 * valid or not (integers at the edge of their text form among them).
 */

const SUBGRAPH = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  interface Node { id: ID! }
  enum Genre { DRAMA COMEDY }
  type Book implements Node @key(fields: "id") { id: ID! title: String! genre: Genre pages: Int }
  type Film implements Node @key(fields: "id") { id: ID! title: String! minutes: Int! genre: Genre! }
  union Media = Book | Film
  type Shelf { name: String! items: [Media!]! best: Media }
  scalar Json
  type Stats { count: Int size: Float label: String flag: Boolean ref: ID genre: Genre extra: Json }
  type Query { media: [Media]! node(id: ID!): Node shelves: [Shelf!] top: Shelf! stats: [Stats] }`;

const composed = composeServices([{ name: 'library', url: 'http://library.invalid/graphql', typeDefs: parse(SUBGRAPH) }]);
if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
const apiSchema = Supergraph.build(composed.supergraphSdl!).apiSchema();

const book = { __typename: 'Book', id: 'b1', title: 'Emma', genre: 'DRAMA', pages: 320 };
const film = { __typename: 'Film', id: 'f1', title: 'Heat', minutes: 170, genre: 'DRAMA' };

const CASES: { name: string; query: string; variables?: Record<string, unknown>; input: Record<string, any> | null }[] = [
  {
    name: "a caller's alias __proto__ is a field like any other",
    query: `{ top { __proto__: name best { __proto__: __typename } } }`,
    // Parsed from JSON: an object literal would set the prototype instead.
    input: JSON.parse('{ "top": { "__proto__": "Shelf A", "best": { "__typename": "Book", "__proto__": "Book" } } }'),
  },
  {
    name: 'fragments on a union, aliases and __typename',
    query: `{ media { __typename kind: __typename ... on Book { id name: title pages } ... on Film { id title minutes } } }`,
    input: { media: [book, film, null] },
  },
  {
    name: 'an interface with inline and named fragments',
    query: `query { node(id: "b1") { id ...B ... on Film { minutes } ... { __typename } } } fragment B on Book { title genre }`,
    input: { node: book },
  },
  {
    name: '@skip and @include by variable and constant',
    query: `query($yes: Boolean!, $no: Boolean = false) { top { name @include(if: $yes) items @skip(if: $no) { ... on Book { title @skip(if: true) id } ... on Film @include(if: $no) { title } } } }`,
    variables: { yes: true },
    input: { top: { name: 'Front', items: [book, film] } },
  },
  {
    name: 'null in a non-null field bubbles to the nearest nullable one',
    query: `{ shelves { name best { ... on Film { title minutes } } items { ... on Book { title } } } }`,
    input: {
      shelves: [
        { name: 'A', best: { __typename: 'Film', title: 'Heat', minutes: null }, items: [book] },
        { name: 'B', best: null, items: [{ __typename: 'Book', title: null }] },
      ],
    },
  },
  {
    name: 'null bubbling to the root',
    query: `{ top { name } }`,
    input: { top: { name: null } },
  },
  {
    name: 'an unknown __typename and an invalid enum value',
    query: `{ media { ... on Book { genre } ... on Film { genre } } node(id: "x") { id } }`,
    input: {
      media: [
        { __typename: 'Book', genre: 'ROMANCE' },
        { __typename: 'Film', genre: 'COMEDY' },
      ],
      node: { __typename: 'Magazine', id: 'm' },
    },
  },
  {
    name: 'leaf values of every kind, valid and not',
    query: `{ stats { count size label flag ref genre extra } }`,
    input: {
      stats: [
        1,
        -0,
        2.5,
        1e20,
        1e21,
        -1e21,
        123456789012345680000,
        Number.MAX_SAFE_INTEGER,
        '7',
        'DRAMA',
        'NOPE',
        true,
        false,
        null,
        {},
        [],
      ].map((value) => ({ count: value, size: value, label: value, flag: value, ref: value, genre: value, extra: value })),
    },
  },
  { name: 'no data', query: `{ top { name } }`, input: null },
];

describe('the compiled result shaper', () => {
  it.each(CASES)('shapes as Apollo does: $name', ({ query, variables = {}, input }) => {
    const operation = operationFromDocument(apiSchema, parse(query), { validate: false });
    const introspect = () => ({ introspected: true });
    const ours = new ResultShaper(operation).shape(structuredClone(input), variables, introspect);
    const apollo = computeResponse({ operation, variables, input: structuredClone(input), introspectionHandling: introspect });
    expect(JSON.parse(JSON.stringify(ours.data ?? null))).toEqual(JSON.parse(JSON.stringify(apollo.data ?? null)));
    expect(ours.errors.map((e) => ({ message: e.message, path: e.path }))).toEqual(
      apollo.errors.map((e) => ({ message: e.message, path: e.path })),
    );
  });

  it('is reused across requests: the same shaper gives each request its own answer', () => {
    const operation = operationFromDocument(apiSchema, parse(`query($on: Boolean!) { top { name @include(if: $on) } }`), {
      validate: false,
    });
    const shaper = new ResultShaper(operation);
    expect(shaper.shape({ top: { name: 'A' } }, { on: true }, () => null).data).toEqual({ top: { name: 'A' } });
    expect(JSON.parse(JSON.stringify(shaper.shape({ top: { name: 'B' } }, { on: false }, () => null).data))).toEqual({ top: {} });
  });
});
