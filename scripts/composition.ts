import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, subgraphSdl } from '../shared/supergraph';

// Composition is a build step (`npm run compose`, the schema check and its tests), so it lives with
// the scripts: @apollo/composition is a development dependency, and no running service loads it.

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
