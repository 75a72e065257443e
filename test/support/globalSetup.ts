import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../scripts/embeddedPostgres';
import { seedDemoActivity } from '../../scripts/seedActivity';
import { freePort, startStack } from '../../scripts/stack';
import type { TestEnvironment } from './environment';
import { createTestDatabase } from './testDatabase';

/**
 * Starts what the tests talk to: a real PostgreSQL (the server at DATABASE_URL, in a fresh
 * database of its own, or else an embedded one in a temporary directory) and the whole stack,
 * each service its own process, with the demo coalition seeded.
 */
export default async function globalSetup(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'coalition-test-'));
  // As root, the embedded server runs as the "postgres" user, which must reach its data directory.
  chmodSync(workDir, 0o755);
  const environment: TestEnvironment = { workDir, teardown: [] };
  let databaseUrl: string;
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase('test', process.env.DATABASE_URL);
    databaseUrl = database.url;
    environment.teardown.push(database.drop);
  } else {
    const embedded = await startEmbeddedPostgres({
      dataDir: join(workDir, 'postgres'),
      port: await freePort('127.0.0.1'),
      database: 'coalition_test',
      quiet: true,
    });
    databaseUrl = embedded.url;
    environment.teardown.push(async () => {
      await embedded.stop();
      rmSync(join(workDir, 'postgres'), { recursive: true, force: true });
    });
  }
  const logFile = join(workDir, 'stack.log');
  const stack = await startStack({ databaseUrl, seedDemo: true, logFile });
  environment.teardown.unshift(() => stack.stop());
  environment.stack = stack;
  // The same demo history `npm start` posts, through the gateway: tests read it as seeded data.
  await seedDemoActivity(stack.gatewayUrl);
  console.log(`\nstack up: gateway ${stack.gatewayUrl}; service logs in ${logFile}`);

  process.env.GATEWAY_URL = stack.gatewayUrl;
  process.env.TEST_DATABASE_URL = databaseUrl;
  process.env.TEST_SUBGRAPH_URLS = JSON.stringify(stack.urls);
  // Tests of what the services print (a quiet start-up) read it.
  process.env.TEST_STACK_LOG = logFile;
  (globalThis as { __coalitionTest?: TestEnvironment }).__coalitionTest = environment;
}
