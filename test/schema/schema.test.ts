import { readFileSync } from 'node:fs';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, parse, type DocumentNode } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeSupergraph } from '../../scripts/composition';
import { SUBGRAPHS, SUPERGRAPH_PATH, subgraphSdl } from '../../shared/supergraph';

describe('the schema contract', () => {
  it('composes without errors, and the committed supergraph is the fresh composition', () => {
    const fresh = composeSupergraph();
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(fresh);
  });

  it.each(SUBGRAPHS.map((s) => s.name))('describes every type, field, argument and enum value in schema/%s.graphql', (name) => {
    const document: DocumentNode = parse(subgraphSdl(name));
    const schema = buildSubgraphSchema({ typeDefs: document });
    const ownTypes = new Set(document.definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : [])));
    const missing: string[] = [];
    for (const typeName of ownTypes) {
      const type = schema.getType(typeName);
      if (!type) continue;
      if (!type.description) missing.push(typeName);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (field.name.startsWith('_')) continue; // federation's own fields
          if (!field.description) missing.push(`${typeName}.${field.name}`);
          for (const arg of field.args) if (!arg.description) missing.push(`${typeName}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${typeName}.${field.name}`);
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${typeName}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
