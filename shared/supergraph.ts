import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse, printSchema } from 'graphql';

export const SCHEMA_DIR = join(__dirname, '..', 'schema');
export const SUPERGRAPH_PATH = join(SCHEMA_DIR, 'supergraph.graphql');

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

/**
 * Composes the subgraph SDL files into supergraph SDL. Throws with every composition error listed,
 * so a broken contract never reaches the gateway.
 */
export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map(({ name, defaultUrl }) => ({
      name,
      url: defaultUrl,
      typeDefs: parse(subgraphSdl(name)),
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

/**
 * The public API schema of a supergraph, as SDL: what clients may query and nothing else. Elements
 * marked @inaccessible (the internal operations one subgraph calls on another) and federation's
 * machinery (join__/link__ types, _entities, _service, directive definitions) are left out, as the
 * gateway leaves them out of what it serves. This is the third-party contract, published at
 * GET /schema.graphql; by default the committed supergraph's.
 */
export function publicApiSchemaSdl(supergraphSdl: string = readFileSync(SUPERGRAPH_PATH, 'utf8')): string {
  return printSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema());
}
