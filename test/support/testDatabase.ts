import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** A database of its own on the test server, and how to drop it. */
export interface TestDatabase {
  /** coalition_<name>_<time>_<pid>_<random>: unique even when made twice in one millisecond. */
  name: string;
  url: string;
  /** Drops the database, terminating any connection still open to it. */
  drop(): Promise<void>;
}

async function asAdmin(serverUrl: string, statement: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * Creates a fresh database on the server at `serverUrl` (by default the test database's, which
 * global set-up hands the test files in TEST_DATABASE_URL). `name` must be lowercase letters,
 * digits and underscores.
 */
export async function createTestDatabase(name: string, serverUrl = process.env.TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global set-up creates the database)');
  const database = `coalition_${name}_${Date.now()}_${process.pid}_${randomUUID().slice(0, 8)}`;
  await asAdmin(serverUrl, `CREATE DATABASE ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return {
    name: database,
    url: url.toString(),
    drop: () => asAdmin(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  };
}
