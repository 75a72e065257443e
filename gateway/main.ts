import './privateByDefault';
import { readFileSync } from 'node:fs';
import { gatewaySecret, intEnv, requiredEnv } from '../shared/config';
import { eventBusFromEnvironment } from '../shared/eventBus';
import { runService } from '../shared/process';
import { SUPERGRAPH_PATH } from '../shared/supergraph';
import { startGateway } from './server';

runService('gateway', () =>
  startGateway({
    host: process.env.HOST ?? '127.0.0.1',
    port: intEnv('PORT', 4000),
    secret: gatewaySecret(),
    // The committed supergraph: no introspection of subgraphs at run time.
    supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: {
      members: requiredEnv('MEMBERS_URL'),
      rewards: requiredEnv('REWARDS_URL'),
      settlement: requiredEnv('SETTLEMENT_URL'),
    },
    bus: eventBusFromEnvironment(requiredEnv('DATABASE_URL')),
  }),
);
