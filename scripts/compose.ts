// Writes schema/supergraph.graphql from the three subgraph SDL files. The gateway serves the
// committed file; test/schema/schema.test.ts checks it matches a fresh composition.
import { writeFileSync } from 'node:fs';
import { SUPERGRAPH_PATH } from '../shared/supergraph';
import { composeSupergraph } from './composition';

writeFileSync(SUPERGRAPH_PATH, composeSupergraph());
console.log(`wrote ${SUPERGRAPH_PATH}`);
