import { fork, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { SHUTDOWN_TIMEOUT_MS, type ServiceReadyMessage } from '../shared/process';

const ROOT = join(__dirname, '..');
const START_TIMEOUT_MS = 60_000;
/** A service gets this long to stop gracefully before it is killed: more than its own bound (SHUTDOWN_TIMEOUT_MS). */
const STOP_TIMEOUT_MS = SHUTDOWN_TIMEOUT_MS + 5_000;

/**
 * When a service exits without being asked to, the launcher starts it again on the same port after
 * a wait: `initialBackoffMs`, doubled after each crash in a row up to `maxBackoffMs`, so a service
 * that cannot start (its database down, a bad setting) is retried without spinning. A service that
 * had stayed up for `stableAfterMs` before crashing is waited for `initialBackoffMs` again.
 */
export interface SupervisionOptions {
  initialBackoffMs: number;
  maxBackoffMs: number;
  stableAfterMs: number;
}

export const DEFAULT_SUPERVISION: SupervisionOptions = { initialBackoffMs: 500, maxBackoffMs: 30_000, stableAfterMs: 60_000 };

/** How a process ended: its exit code, or the signal that ended it. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The wait before restarting a service that crashed `crashesInARow` times in a row (1 for the first). */
export function restartBackoffMs(crashesInARow: number, supervision: SupervisionOptions = DEFAULT_SUPERVISION): number {
  return Math.min(supervision.initialBackoffMs * 2 ** Math.max(0, crashesInARow - 1), supervision.maxBackoffMs);
}

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
  /** Restart timing for crashed services (DEFAULT_SUPERVISION for what is not given). */
  supervision?: Partial<SupervisionOptions>;
  /**
   * Serve each service's /metrics on a free port of its own (Stack.metricsUrls). Off by default:
   * a METRICS_PORT in the launcher's environment would give all four processes the same port.
   */
  metrics?: boolean;
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
  /** SIGTERM, then how the process ended (SIGKILL after STOP_TIMEOUT_MS). */
  stop(): Promise<ServiceExit>;
}

/**
 * The stack's four services, supervised: a service that exits while the stack wants it running (a
 * crash, a kill from outside) is logged and started again on its port with backoff
 * (SupervisionOptions). What the stack's own methods stop (stopService, restart, stop) is not a
 * crash and is not restarted behind the caller's back. Gateways added with addGateway are their
 * caller's to run and are not restarted.
 */
export interface Stack {
  gatewayUrl: string;
  /** Each service's URL: subgraphs' /graphql endpoints and the gateway's. */
  urls: Record<ServiceName, string>;
  /** Where service output and the launcher's supervision messages go, when a log file was given. */
  logFile: string | null;
  /** Each running service's /metrics URL, when the stack was started with `metrics`. */
  metricsUrls: Partial<Record<ServiceName, string>>;
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
  /**
   * Stops one service (SIGKILL when `crash`), leaving the others running; it stays down until
   * startService or restart. Resolves with how its process ended (null when it was not running).
   */
  stopService(service: ServiceName, options?: { crash?: boolean }): Promise<ServiceExit | null>;
  /** Starts a stopped service again on its port. */
  startService(service: ServiceName): Promise<void>;
  /** Stops the gateway, then the subgraphs that call the ledger (rewards, settlement), then members. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now (see freePorts). */
export async function freePort(host: string): Promise<number> {
  const [port] = await freePorts(host, 1);
  return port!;
}

/** Where picked ports start: above the well-known services a development machine runs (PostgreSQL, Redis, NATS...). */
const LOWEST_PICKED_PORT = 20_000;
/** Candidates tried per port before giving up (a taken candidate is only skipped). */
const PORT_ATTEMPTS = 50;

/**
 * The first port of the kernel's ephemeral range, which it hands out to outgoing connections and to
 * `listen(0)`; null where that is not readable (not Linux).
 */
function ephemeralRangeStart(): number | null {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const start = Number(low);
    return Number.isInteger(start) && start > LOWEST_PICKED_PORT + 1_000 ? start : null;
  } catch {
    return null;
  }
}

/** Listens on `port` (0: the OS picks); resolves the server, or null when the port is taken. */
function holdPort(host: string, port: number): Promise<Server | null> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(null) : reject(error)));
    server.listen(port, host, () => resolve(server));
  });
}

/**
 * `count` distinct ports nobody listens on right now, for services started next. They are picked
 * at random below the kernel's ephemeral range: a port the OS handed out (to `listen(0)` or, far more
 * often, to one of the machine's many outgoing connections) could be taken again in the second or so
 * between this pick and the service's listen, and the service would fail with EADDRINUSE; below the
 * range only another picker can take it, one chance in thousands. All are held until all are picked
 * (two services of one stack must not get the same port).
 */
export async function freePorts(host: string, count: number): Promise<number[]> {
  const rangeStart = ephemeralRangeStart();
  const held: Server[] = [];
  try {
    while (held.length < count) {
      let server: Server | null = null;
      for (let attempt = 0; attempt < PORT_ATTEMPTS && !server; attempt++) {
        const candidate = rangeStart === null ? 0 : LOWEST_PICKED_PORT + randomInt(rangeStart - LOWEST_PICKED_PORT);
        server = await holdPort(host, candidate);
      }
      if (!server) throw new Error(`no free port found on ${host} in ${PORT_ATTEMPTS} attempts`);
      held.push(server);
    }
    return held.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(held.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** Waits for `child` to exit, killing it after `timeoutMs`, and tells how it ended. */
function waitForExit(child: ChildProcess, timeoutMs: number): Promise<ServiceExit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

function describeExit({ code, signal }: ServiceExit): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** One of the stack's four services, as the supervisor sees it. */
interface SupervisedService {
  /** The current process, from its start (before it is ready) until it exits. */
  child: ChildProcess | null;
  /** Whether the stack wants it running: false after stopService, and for good once the stack stops. */
  wanted: boolean;
  crashesInARow: number;
  /** A restart waiting out its backoff. */
  restartTimer: NodeJS.Timeout | null;
}

/**
 * Starts the three subgraphs and the gateway, each as its own process (as in production, and so a
 * test can kill one), and resolves once every one reports that it listens; from then on it
 * supervises them (see Stack). Used by `npm start` and by the tests' global set-up.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const host = options.host ?? '127.0.0.1';
  const supervision: SupervisionOptions = { ...DEFAULT_SUPERVISION, ...options.supervision };
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
  const metricsUrls: Partial<Record<ServiceName, string>> = {};
  const log: WriteStream | null = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : null;
  // Every process's stdout and stderr pipe into the one log: more than Node's default 10 listeners
  // once gateways are added (a benchmark's competitors), without any leak.
  log?.setMaxListeners(0);
  const services = Object.fromEntries(
    (Object.keys(ENTRY_POINTS) as ServiceName[]).map((name) => [
      name,
      { child: null, wanted: false, crashesInARow: 0, restartTimer: null } satisfies SupervisedService,
    ]),
  ) as Record<ServiceName, SupervisedService>;
  // Restarts end for good when the stack stops; a service failing its first start fails startStack,
  // which stops the stack.
  let stopping = false;

  /** The launcher's own messages: beside the services' output in the log file, else on stderr. */
  const say = (message: string) => {
    const line = `[stack] ${new Date().toISOString()} ${message}\n`;
    if (log) {
      if (!log.writableEnded) log.write(line);
    } else process.stderr.write(line);
  };

  /** Forks one service process; `ready` settles when it reports that it listens, or fails to. */
  const spawn = (
    service: ServiceName,
    port: number,
    entryPoint: string,
    extraEnv: Record<string, string>,
    nodeOptions: string[],
  ): { child: ChildProcess; ready: Promise<ServiceReadyMessage> } => {
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
        METRICS_PORT: options.metrics ? '0' : '',
        ...extraEnv,
      },
    });
    if (log) {
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
    }
    const ready = new Promise<ServiceReadyMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Hung before listening: killed, so that it cannot hold the port (a supervised service is
        // then restarted like any crashed one).
        child.kill('SIGKILL');
        reject(new Error(`${service} did not start within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        reject(
          new Error(
            `${service} exited (${describeExit({ code, signal })}) before it was ready${options.logFile ? `; see ${options.logFile}` : ''}`,
          ),
        );
      };
      child.once('exit', onExit);
      child.on('message', (message: ServiceReadyMessage) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(message);
      });
    });
    return { child, ready };
  };

  /** Starts one of the four services on its port, watched: an exit the stack did not ask for is a crash. */
  const launch = async (service: ServiceName): Promise<void> => {
    const state = services[service];
    state.wanted = true;
    // Started by hand (startService, restart) while a crash restart waited: that restart is this one.
    if (state.restartTimer) {
      clearTimeout(state.restartTimer);
      state.restartTimer = null;
    }
    const { child, ready } = spawn(service, ports[service], ENTRY_POINTS[service], {}, options.nodeOptions?.[service] ?? []);
    state.child = child;
    let readyAtMs: number | null = null;
    child.once('exit', (code, signal) => {
      if (state.child === child) state.child = null;
      if (stopping || !state.wanted || state.child !== null) return;
      const upMs = readyAtMs === null ? 0 : Date.now() - readyAtMs;
      if (upMs >= supervision.stableAfterMs) state.crashesInARow = 0;
      state.crashesInARow += 1;
      const delayMs = restartBackoffMs(state.crashesInARow, supervision);
      say(
        `${service} (pid ${child.pid}) exited unexpectedly (${describeExit({ code, signal })}) after ${upMs} ms ` +
          `${readyAtMs === null ? 'starting' : 'up'}; restarting it on port ${ports[service]} in ${delayMs} ms ` +
          `(crash ${state.crashesInARow} in a row)`,
      );
      state.restartTimer = setTimeout(() => {
        state.restartTimer = null;
        if (stopping || !state.wanted || state.child) return;
        launch(service).then(
          () => say(`${service} restarted (pid ${services[service].child?.pid}), ready on ${urls[service]}`),
          // Its exit has already scheduled the next attempt (unless a stop asked for it).
          (error: Error) => say(`${service} restart failed: ${error.message}`),
        );
      }, delayMs);
    });
    const { metricsUrl } = await ready;
    readyAtMs = Date.now();
    if (metricsUrl) metricsUrls[service] = metricsUrl;
  };

  const stopService = async (service: ServiceName, signal: NodeJS.Signals): Promise<ServiceExit | null> => {
    const state = services[service];
    state.wanted = false;
    if (state.restartTimer) {
      clearTimeout(state.restartTimer);
      state.restartTimer = null;
    }
    const child = state.child;
    if (!child) return null;
    child.kill(signal);
    const exit = await waitForExit(child, STOP_TIMEOUT_MS);
    if (state.child === child) state.child = null;
    return exit;
  };

  const stop = async () => {
    stopping = true;
    // Callers before callees: the gateway drains its requests while the subgraphs still answer
    // them; rewards' recovery and settlement's ledger feed finish their runs while the ledger
    // (members) still answers them.
    await stopService('gateway', 'SIGTERM');
    await Promise.all((['rewards', 'settlement'] as const).map((s) => stopService(s, 'SIGTERM')));
    await stopService('members', 'SIGTERM');
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
    logFile: options.logFile ?? null,
    metricsUrls,
    async addGateway(gatewayOptions = {}) {
      const port = await freePort(host);
      const { child, ready } = spawn(
        'gateway',
        port,
        gatewayOptions.entryPoint ?? ENTRY_POINTS.gateway,
        gatewayOptions.env ?? {},
        gatewayOptions.nodeOptions ?? options.nodeOptions?.gateway ?? [],
      );
      await ready;
      if (child.pid === undefined) throw new Error('the added gateway process has no pid');
      return {
        url: `http://${host}:${port}/graphql`,
        pid: child.pid,
        async stop() {
          child.kill('SIGTERM');
          return waitForExit(child, STOP_TIMEOUT_MS);
        },
      };
    },
    pidOf(service) {
      const pid = services[service].child?.pid;
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
