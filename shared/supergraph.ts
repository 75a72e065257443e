import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { printSchema, type GraphQLSchema } from 'graphql';

export const SCHEMA_DIR = join(__dirname, '..', 'schema');
export const SUPERGRAPH_PATH = join(SCHEMA_DIR, 'supergraph.graphql');
/** The public API schema of the last release: what `npm run schema:check` compares against. */
export const RELEASED_SCHEMA_PATH = join(SCHEMA_DIR, 'released.graphql');

/** The subgraphs of the coalition graph, with the URL each listens on by default. */
export const SUBGRAPHS = [
  { name: 'members', defaultUrl: 'http://127.0.0.1:4001/graphql' },
  { name: 'rewards', defaultUrl: 'http://127.0.0.1:4002/graphql' },
  { name: 'settlement', defaultUrl: 'http://127.0.0.1:4003/graphql' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export function subgraphSdl(name: SubgraphName): string {
  return readFileSync(join(SCHEMA_DIR, `${name}.graphql`), 'utf8');
}

/** The supergraph as committed: what the gateway serves (`npm run compose` writes it). */
export function committedSupergraphSdl(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}

/**
 * The public API schema of a supergraph: what clients can query through the gateway. It is the API
 * schema Apollo derives from the supergraph, which is also the schema the gateway validates and
 * executes against (gateway/fastGateway.ts): `@inaccessible` elements (the internal operations
 * subgraphs call on each other) are gone, and so are the join and link machinery and federation's
 * own directives. Descriptions and deprecations stay.
 */
export function publicApiSchema(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/**
 * The public API schema as SDL, types sorted by name (Apollo's API schema keeps them sorted),
 * so the same schema always prints the same text: schema/released.graphql, `npm run schema:check`
 * and a schema download all use this.
 */
export function publicApiSchemaSdl(supergraphSdl: string = committedSupergraphSdl()): string {
  return `${printSchema(publicApiSchema(supergraphSdl))}\n`;
}
