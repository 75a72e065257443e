// Nothing reaches Apollo's servers: set before @apollo/gateway loads (docs/DESIGN.md, "Running").
import '../../gateway/privateByDefault';
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createAuthenticator } from '../../gateway/credentials';
import { gatewaySecret, intEnv, requiredEnv } from '../../shared/config';
import { bodySha256, CALLER_HEADER, callerHeaderValue, callSignature, SIGNATURE_HEADER, type Caller } from '../../shared/identity';
import { SubgraphClient } from '../../shared/internalClient';
import { runService } from '../../shared/process';
import { SUPERGRAPH_PATH } from '../../shared/supergraph';

/**
 * The benchmark's reference competitor: stock @apollo/gateway behind stock @apollo/server
 * (standalone), default settings, on the committed supergraph. It has only what any deployment on
 * these subgraphs must have: subgraph URLs, and the caller, established from the Authorization
 * header exactly as our gateway does, signed into every subgraph call (the subgraphs refuse
 * unsigned calls). It signs per subgraph call, for that subgraph and body, as the subgraphs demand
 * (shared/identity.ts).
 */
interface StockContext {
  caller: Caller;
}

const secret = gatewaySecret();
const subgraphUrls: Record<string, string> = {
  members: requiredEnv('MEMBERS_URL'),
  rewards: requiredEnv('REWARDS_URL'),
  settlement: requiredEnv('SETTLEMENT_URL'),
};

class SignedCallerDataSource extends RemoteGraphQLDataSource<StockContext> {
  constructor(subgraph: string, url: string | undefined) {
    super(url === undefined ? {} : { url });
    // RemoteGraphQLDataSource serialises the body after willSendRequest, so the signature, which
    // covers the body, is added on the way out, around its own default fetcher.
    const send = this.fetcher;
    this.fetcher = (input, init) => {
      const callerHeader = init?.headers?.[CALLER_HEADER];
      if (!init || callerHeader === undefined || init.body === undefined) return send(input, init);
      const signature = callSignature(secret, subgraph, bodySha256(init.body), callerHeader);
      return send(input, { ...init, headers: { ...init.headers, [SIGNATURE_HEADER]: signature } });
    };
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<StockContext>): void {
    const caller: Caller = 'caller' in context && context.caller ? context.caller : { kind: 'anonymous' };
    request.http?.headers.set(CALLER_HEADER, callerHeaderValue(caller));
  }
}

runService('stock-gateway', async () => {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name, url }) => new SignedCallerDataSource(name, subgraphUrls[name] ?? url),
  });
  const server = new ApolloServer<StockContext>({ gateway, plugins: [ApolloServerPluginUsageReportingDisabled()] });
  const authenticate = createAuthenticator(new SubgraphClient('settlement', subgraphUrls.settlement!, 'gateway', secret));
  const host = process.env.HOST ?? '127.0.0.1';
  const { url } = await startStandaloneServer(server, {
    listen: { host, port: intEnv('PORT', 4000) },
    context: async ({ req }) => ({ caller: await authenticate(req.headers) }),
  });
  return { url: new URL('/graphql', url).toString(), stop: () => server.stop() };
});
