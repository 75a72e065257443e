import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { graphql } from '../../scripts/gatewayClient';
import { startStack, type Stack } from '../../scripts/stack';

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

export async function startIsolatedStack(name: string, env: Record<string, string> = {}): Promise<IsolatedStack> {
  const databaseName = `coalition_${name}_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${databaseName}`;
  const pool = new Pool({ connectionString: url.toString(), max: 2 });
  // Dropping the database at the end terminates any idle connection still open: not a test failure.
  pool.on('error', () => undefined);
  const stack = await startStack({ databaseUrl: url.toString(), seedDemo: true, logFile: join(tmpdir(), `${databaseName}.log`), env });
  return {
    stack,
    pool,
    gql: (query, variables, credential) => graphql<any>(stack.gatewayUrl, query, variables, credential),
    async stop() {
      await stack.stop();
      await pool.end();
      const cleanup = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
