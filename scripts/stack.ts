import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ServiceReadyMessage } from '../shared/process';

const ROOT = join(__dirname, '..');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export type ServiceName = 'members' | 'rewards' | 'settlement' | 'gateway';

const ENTRY_POINTS: Record<ServiceName, string> = {
  members: 'subgraphs/members/main.ts',
  rewards: 'subgraphs/rewards/main.ts',
  settlement: 'subgraphs/settlement/main.ts',
  gateway: 'gateway/main.ts',
};

export interface StackOptions {
  databaseUrl: string;
  seedDemo: boolean;
  host?: string;
  /** The gateway's port; a free one when omitted. */
  gatewayPort?: number;
  /** Extra environment for every service. */
  env?: Record<string, string>;
  /** Append service output to this file instead of this process's stdout. */
  logFile?: string;
  /** Extra Node options per service, e.g. `--cpu-prof` for the subgraphs. */
  nodeOptions?: Partial<Record<ServiceName, string[]>>;
}

export interface AddGatewayOptions {
  /** The process's entry point, relative to the repository root; gateway/main.ts when omitted. */
  entryPoint?: string;
  /** Extra environment for this process only. */
  env?: Record<string, string>;
  /** Extra Node options for this process only, e.g. `--cpu-prof`. */
  nodeOptions?: string[];
}

export interface AddedGateway {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface Stack {
  gatewayUrl: string;
  /** Each service's URL: subgraphs' /graphql endpoints and the gateway's. */
  urls: Record<ServiceName, string>;
  /**
   * Stops one service (SIGKILL when `crash`) and starts it again on the same port, running
   * `whileDown` in between.
   */
  restart(service: ServiceName, options?: { crash?: boolean; whileDown?: () => Promise<void> }): Promise<void>;
  /**
   * Starts one more gateway process on the same subgraphs: a second replica, or (given its entry
   * point, relative to the repository root) another gateway implementation, such as the
   * benchmark's competitors. `pid` lets a caller measure the process's CPU and memory.
   */
  addGateway(options?: AddGatewayOptions): Promise<AddedGateway>;
  /** The process id of a running service (the benchmark measures the subgraphs' CPU by it). */
  pidOf(service: ServiceName): number;
  /** Stops one service (SIGKILL when `crash`), leaving the others running. */
  stopService(service: ServiceName, options?: { crash?: boolean }): Promise<void>;
  /** Starts a stopped service again on its port. */
  startService(service: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(host: string): Promise<number> {
  const [port] = await freePorts(host, 1);
  return port!;
}

/**
 * `count` distinct ports nobody listens on right now. All are held until all are picked: one at a
 * time, the OS may hand out a port it just handed out (two services of one stack then collide).
 */
export async function freePorts(host: string, count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, host, () => {
              const address = server.address();
              if (typeof address === 'object' && address) resolve(address.port);
              else reject(new Error('no port'));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))),
    );
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Starts the three subgraphs and the gateway, each as its own process (as in production, and so a
 * test can kill one), and resolves once every one reports that it listens. Used by `npm start`
 * and by the tests' global set-up.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const host = options.host ?? '127.0.0.1';
  const picked = await freePorts(host, 4);
  const ports: Record<ServiceName, number> = {
    members: picked[0]!,
    rewards: picked[1]!,
    settlement: picked[2]!,
    gateway: options.gatewayPort ?? picked[3]!,
  };
  const urls = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, `http://${host}:${port}/graphql`])) as Record<
    ServiceName,
    string
  >;
  const log: WriteStream | null = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : null;
  // Every process's stdout and stderr pipe into the one log: more than Node's default 10 listeners
  // once gateways are added (a benchmark's competitors), without any leak.
  log?.setMaxListeners(0);
  const children = new Map<ServiceName, ChildProcess>();

  const launch = (
    service: ServiceName,
    port = ports[service],
    register: (child: ChildProcess) => void = (child) => children.set(service, child),
    entryPoint = ENTRY_POINTS[service],
    extraEnv: Record<string, string> = {},
    nodeOptions: string[] = options.nodeOptions?.[service] ?? [],
  ): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = fork(join(ROOT, entryPoint), [], {
        cwd: ROOT,
        execArgv: ['--import', 'tsx', ...nodeOptions],
        // Its own process group: a Ctrl-C in the terminal reaches the launcher only, which then
        // stops the gateway before the subgraphs and the subgraphs before the database.
        detached: true,
        stdio: ['ignore', log ? 'pipe' : 'inherit', log ? 'pipe' : 'inherit', 'ipc'],
        env: {
          ...process.env,
          ...options.env,
          DATABASE_URL: options.databaseUrl,
          HOST: host,
          PORT: String(port),
          SEED_DEMO: options.seedDemo ? '1' : '0',
          MEMBERS_URL: urls.members,
          REWARDS_URL: urls.rewards,
          SETTLEMENT_URL: urls.settlement,
          ...extraEnv,
        },
      });
      if (log) {
        child.stdout?.pipe(log, { end: false });
        child.stderr?.pipe(log, { end: false });
      }
      register(child);
      const timer = setTimeout(() => reject(new Error(`${service} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${service} exited with code ${code} before it was ready${options.logFile ? `; see ${options.logFile}` : ''}`));
      };
      child.once('exit', onExit);
      child.on('message', (message: ServiceReadyMessage) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      });
    });

  const stopService = async (service: ServiceName, signal: NodeJS.Signals) => {
    const child = children.get(service);
    if (!child) return;
    child.kill(signal);
    await waitForExit(child, STOP_TIMEOUT_MS);
    children.delete(service);
  };

  const stop = async () => {
    await stopService('gateway', 'SIGTERM');
    await Promise.all((['members', 'rewards', 'settlement'] as const).map((s) => stopService(s, 'SIGTERM')));
    await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
  };

  try {
    // Settlement first: it owns the partners, which the others' demo seeds refer to.
    await launch('settlement');
    await Promise.all([launch('members'), launch('rewards')]);
    await launch('gateway');
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    gatewayUrl: urls.gateway,
    urls,
    async addGateway(gatewayOptions = {}) {
      const port = await freePort(host);
      let child: ChildProcess | null = null;
      await launch(
        'gateway',
        port,
        (c) => {
          child = c;
        },
        gatewayOptions.entryPoint,
        gatewayOptions.env,
        gatewayOptions.nodeOptions,
      );
      const pid = (child as ChildProcess | null)?.pid;
      if (pid === undefined) throw new Error('the added gateway process has no pid');
      return {
        url: `http://${host}:${port}/graphql`,
        pid,
        async stop() {
          if (!child) return;
          child.kill('SIGTERM');
          await waitForExit(child, STOP_TIMEOUT_MS);
        },
      };
    },
    pidOf(service) {
      const pid = children.get(service)?.pid;
      if (pid === undefined) throw new Error(`${service} is not running`);
      return pid;
    },
    stopService: (service, stopOptions) => stopService(service, stopOptions?.crash ? 'SIGKILL' : 'SIGTERM'),
    startService: (service) => launch(service),
    async restart(service, restartOptions) {
      await stopService(service, restartOptions?.crash ? 'SIGKILL' : 'SIGTERM');
      await restartOptions?.whileDown?.();
      await launch(service);
    },
    stop,
  };
}
