import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { graphql } from '../../scripts/gatewayClient';
import { startStack, type Stack } from '../../scripts/stack';
import { createTestDatabase } from './testDatabase';

/**
 * A whole stack of its own, on its own database of the test server, for tests that stop
 * processes or close settlement periods: nothing they do can disturb the other test files.
 */
export interface IsolatedStack {
  stack: Stack;
  /** Read-only checks of the books. */
  pool: Pool;
  gql(query: string, variables: Record<string, unknown>, credential?: string): ReturnType<typeof graphql<any>>;
  stop(): Promise<void>;
}

export async function startIsolatedStack(
  name: string,
  env: Record<string, string> = {},
  options: { metrics?: boolean } = {},
): Promise<IsolatedStack> {
  const database = await createTestDatabase(name);
  const pool = new Pool({ connectionString: database.url, max: 2 });
  // Dropping the database at the end terminates any idle connection still open: not a test failure.
  pool.on('error', () => undefined);
  const stack = await startStack({
    databaseUrl: database.url,
    seedDemo: true,
    logFile: join(tmpdir(), `${database.name}.log`),
    env,
    metrics: options.metrics,
  });
  return {
    stack,
    pool,
    gql: (query, variables, credential) => graphql<any>(stack.gatewayUrl, query, variables, credential),
    async stop() {
      await stack.stop();
      await pool.end();
      await database.drop();
    },
  };
}
