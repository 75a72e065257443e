import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

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
