import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../../scripts/stack';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** How much of the process's output is kept for an error message. */
const LOG_KEPT_CHARACTERS = 10_000;

export interface GatewayProcess {
  /** The GraphQL endpoint, `http://127.0.0.1:<port>/graphql`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * One more gateway process (gateway/main.ts) on the shared stack's subgraphs, with a configuration
 * of its own (e.g. production mode), for tests of the gateway's own HTTP behaviour. No database and
 * no event bus: no subscriptions. A production gateway signs with a secret of its own, which the
 * shared (development) subgraphs refuse: it answers what it answers itself (`__typename`,
 * introspection, refusals), not subgraph data.
 */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const port = await freePort('127.0.0.1');
  const { DATABASE_URL: _database, EVENT_BUS: _bus, ...inherited } = process.env;
  const subgraphs = JSON.parse(process.env.TEST_SUBGRAPH_URLS ?? '{}') as Record<string, string>;
  const secrets =
    env.NODE_ENV === 'production'
      ? { COALITION_GATEWAY_SECRET: randomBytes(32).toString('base64url'), COALITION_JWT_SECRET: randomBytes(32).toString('base64url') }
      : {};
  const child = fork(join(__dirname, '..', '..', 'gateway', 'main.ts'), [], {
    execArgv: ['--import', 'tsx'],
    // Its log is kept, not printed: tests send it malformed requests on purpose.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...inherited,
      HOST: '127.0.0.1',
      PORT: String(port),
      MEMBERS_URL: subgraphs.members ?? '',
      REWARDS_URL: subgraphs.rewards ?? '',
      SETTLEMENT_URL: subgraphs.settlement ?? '',
      ...secrets,
      ...env,
    },
  });
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-LOG_KEPT_CHARACTERS));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the gateway ${reason}; its log:\n${log}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once('exit', (code) => fail(`exited with code ${code} before it was ready`));
    child.on('message', (message: { type?: string }) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
  };
}
