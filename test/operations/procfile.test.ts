import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { graphql } from '../../scripts/gatewayClient';
import { freePorts, type ServiceExit } from '../../scripts/stack';
import { eventually, OPERATOR } from '../support/helpers';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * The top-level Procfile, as a process manager would run it: every line through `sh -c`, with the
 * environment README.md ("Deploying") asks for. The lines run as written, NODE_ENV=production
 * included, so the test gives them what production requires (generated secrets, 32+ characters)
 * rather than falling back to development mode; plus a database of its own on the test server and
 * free ports on 127.0.0.1. Every process must answer /ready with 200, then stop on SIGTERM with
 * exit code 0.
 */

const ROOT = join(__dirname, '..', '..');
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 90_000;
const EXIT_TIMEOUT_MS = 30_000;

interface ProcfileEntry {
  name: string;
  command: string;
}

/** `name: command` lines; blank lines and comments are not processes (as foreman and honcho read it). */
function parseProcfile(text: string): ProcfileEntry[] {
  return text.split('\n').flatMap((line) => {
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line.trim());
    return match ? [{ name: match[1]!, command: match[2]! }] : [];
  });
}

const entries = parseProcfile(readFileSync(join(ROOT, 'Procfile'), 'utf8'));
let database: TestDatabase;
let log: WriteStream;
let logFile: string;
const running = new Map<string, ChildProcess>();

afterAll(async () => {
  // A failed test must not leave services behind (they have no launcher to notice it is gone).
  for (const child of running.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
  await database?.drop();
});

function exitOf(child: ChildProcess): Promise<ServiceExit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pid ${child.pid} did not exit within ${EXIT_TIMEOUT_MS} ms`)), EXIT_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

const readyStatus = (port: number): Promise<number> =>
  fetch(`http://${HOST}:${port}/ready`, { signal: AbortSignal.timeout(3_000) }).then(
    (response) => response.status,
    () => 0,
  );

describe('the Procfile', () => {
  it('names one process per service', () => {
    expect(entries.map((entry) => entry.name).sort()).toEqual(['gateway', 'members', 'rewards', 'settlement']);
  });

  it('starts every process ready in production mode, and each stops on SIGTERM with exit code 0', async () => {
    database = await createTestDatabase('procfile');
    logFile = join(tmpdir(), `${database.name}.log`);
    log = createWriteStream(logFile, { flags: 'a' });
    log.setMaxListeners(0);
    const [membersPort, rewardsPort, settlementPort, gatewayPort] = (await freePorts(HOST, 4)) as [number, number, number, number];
    const ports: Record<string, number> = { members: membersPort, rewards: rewardsPort, settlement: settlementPort, gateway: gatewayPort };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // The lines run `node`: the one running these tests, whatever PATH says.
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
      DATABASE_URL: database.url,
      HOST,
      MEMBERS_PORT: String(membersPort),
      REWARDS_PORT: String(rewardsPort),
      SETTLEMENT_PORT: String(settlementPort),
      GATEWAY_PORT: String(gatewayPort),
      MEMBERS_URL: `http://${HOST}:${membersPort}/graphql`,
      REWARDS_URL: `http://${HOST}:${rewardsPort}/graphql`,
      SETTLEMENT_URL: `http://${HOST}:${settlementPort}/graphql`,
      COALITION_GATEWAY_SECRET: randomBytes(32).toString('hex'),
      COALITION_JWT_SECRET: randomBytes(32).toString('hex'),
      // The Procfile's own settings, not the test run's.
      NODE_ENV: undefined,
      SEED_DEMO: undefined,
      EVENT_BUS: undefined,
    };

    // All at once, as a process manager starts them: none may depend on another being up first.
    for (const { name, command } of entries) {
      const child = spawn('sh', ['-c', command], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      running.set(name, child);
    }
    for (const { name } of entries) {
      const status = await eventually(
        () => readyStatus(ports[name]!),
        (s) => s === 200,
        READY_TIMEOUT_MS,
      );
      if (status !== 200) throw new Error(`${name} did not answer /ready with 200 (last ${status}); see ${logFile}`);
    }

    // Production mode: the demo credentials are refused; the (empty) graph answers anonymous reads.
    const gatewayUrl = `http://${HOST}:${gatewayPort}/graphql`;
    expect((await graphql(gatewayUrl, '{ partners { id } }', {}, OPERATOR)).status).toBe(401);
    const anonymous = await graphql(gatewayUrl, '{ partners { id } }', {});
    expect(anonymous).toMatchObject({ status: 200, data: { partners: [] } });

    // Callers first, the ledger last (as the launcher stops them); each one gracefully.
    for (const name of ['gateway', 'rewards', 'settlement', 'members']) {
      const child = running.get(name)!;
      child.kill('SIGTERM');
      expect({ name, ...(await exitOf(child)) }).toEqual({ name, code: 0, signal: null });
    }
  }, 180_000);
});
