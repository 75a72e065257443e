// `npm start`: the whole product on one machine. Uses DATABASE_URL when set, else an embedded
// PostgreSQL keeping its data in ./.data; migrates, seeds the demo coalition, starts the three
// subgraphs and the gateway, and prints where to reach them.
import { join } from 'node:path';
import { intEnv } from '../shared/config';
import { DEMO_MEMBERS, DEMO_PARTNERS } from '../shared/demo';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embeddedPostgres';
import { seedDemoActivity } from './seedActivity';
import { startStack, type Stack } from './stack';

async function main(): Promise<void> {
  let embedded: EmbeddedPostgres | null = null;
  let stack: Stack | null = null;
  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping the gateway, the subgraphs and the database...`);
    await stack?.stop();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: join(__dirname, '..', '.data', 'postgres'),
      port: intEnv('EMBEDDED_POSTGRES_PORT', 54329),
      database: 'coalition',
      quiet: true,
    });
    databaseUrl = embedded.url;
    console.log(`embedded PostgreSQL on ${databaseUrl.replace(/:[^:@/]+@/, ':***@')} (data in .data/postgres)`);
  }
  stack = await startStack({ databaseUrl, seedDemo: true, gatewayPort: intEnv('PORT', 4000) });
  await seedDemoActivity(stack.gatewayUrl);

  const partner = DEMO_PARTNERS[1];
  const member = DEMO_MEMBERS[0];
  console.log(`
Coalition graph ready at ${stack.gatewayUrl}   (health: ${stack.gatewayUrl.replace('/graphql', '/health')}, ready: ${stack.gatewayUrl.replace('/graphql', '/ready')})

Demo credentials (development mode only), sent as "Authorization: Bearer <credential>":
  operator: demo-operator
  partners: ${DEMO_PARTNERS.map((p) => `demo-partner-${p.code}`).join('\n            ')}
  members:  ${DEMO_MEMBERS.map((m) => `demo-member-${m.handle}  (id ${m.id})`).join('\n            ')}

Try:
  the explorer: open ${stack.gatewayUrl} in a browser (GraphiQL; pick a demo caller at the top right)
  the schema:   ${stack.gatewayUrl.replace('/graphql', '/schema.graphql')}
  curl -s ${stack.gatewayUrl} -H 'content-type: application/json' \\
    -H 'authorization: Bearer demo-partner-${partner.code}' \\
    -d '{"query":"{ member(id: \\"${member.id}\\") { displayName balance { availablePoints } tier { level } enrolledVia { name contract { earnRateMilliPointsPerUnit } position { pointsIssued issuedAmountMinor direction } } } }"}'

A service that crashes is logged and restarted. Ctrl-C stops everything.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
