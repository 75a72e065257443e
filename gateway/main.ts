import './privateByDefault';
import './tracing';
import { readFileSync } from 'node:fs';
import { gatewaySecret, intEnv } from '../shared/config';
import { eventBusFromEnvironment, type EventBus } from '../shared/eventBus';
import { runService } from '../shared/process';
import { SUPERGRAPH_PATH } from '../shared/supergraph';
import { startGateway } from './server';
import { sharedStateFromEnvironment } from './sharedState';

/**
 * Subgraph URLs by name: SUBGRAPH_URLS ("name=url,name=url", for any supergraph) and, for the
 * coalition's own subgraphs, MEMBERS_URL, REWARDS_URL and SETTLEMENT_URL. A subgraph named in
 * neither is reached at the routing URL the supergraph gives it.
 */
function subgraphUrlsFromEnvironment(): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const pair of (process.env.SUBGRAPH_URLS ?? '').split(',').map((p) => p.trim())) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`SUBGRAPH_URLS: expected name=url, got "${pair}"`);
    urls[pair.slice(0, at)] = pair.slice(at + 1);
  }
  for (const name of ['members', 'rewards', 'settlement']) {
    const url = process.env[`${name.toUpperCase()}_URL`];
    if (url) urls[name] = url;
  }
  return urls;
}

/** The bus subscriptions wake on: PostgreSQL's by default (needs DATABASE_URL), or EVENT_BUS. */
function busFromEnvironment(): EventBus | null {
  if (!process.env.EVENT_BUS && !process.env.DATABASE_URL) return null;
  return eventBusFromEnvironment(process.env.DATABASE_URL ?? '');
}

runService('gateway', () =>
  startGateway({
    host: process.env.HOST ?? '127.0.0.1',
    port: intEnv('PORT', 4000),
    secret: gatewaySecret(),
    // A supergraph file (the committed one by default): no introspection of subgraphs at run time.
    supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: subgraphUrlsFromEnvironment(),
    bus: busFromEnvironment(),
    sharedState: sharedStateFromEnvironment(),
  }),
);
