import { DRAIN_TIMEOUT_MS, type RunningServer } from './subgraphServer';
import { stopTracing } from './tracing';
import { startMetricsServer, type MetricsServer } from './metrics';
import { intEnv, mode } from './config';
import { createLogger, nameLogService } from './logger';

export interface ServiceReadyMessage {
  type: 'ready';
  service: string;
  url: string;
  /** Where its /metrics is served, when METRICS_PORT asked for it. */
  metricsUrl?: string;
}

/**
 * The longest a graceful stop may take: the drain of in-flight requests (DRAIN_TIMEOUT_MS), then
 * the workers' runs in progress, the bus and the pools. Past it the process exits with 1 rather than
 * hang; a launcher or orchestrator should allow a little more before it kills (scripts/stack.ts
 * waits 25 s; README, "Deploying", sets Kubernetes' grace period to 30 s).
 */
export const SHUTDOWN_TIMEOUT_MS = DRAIN_TIMEOUT_MS + 10_000;

/**
 * Runs one service as its own process: starts it, tells a parent launcher (over IPC, when there
 * is one) the URL it listens on, and stops it gracefully on SIGINT or SIGTERM: no new connections,
 * requests in flight finished (at most DRAIN_TIMEOUT_MS), subscriptions closed with 1001 (the
 * gateway), background workers stopped after their run in progress, bus and pools closed; then
 * exit code 0 (1 when stopping failed or took longer than SHUTDOWN_TIMEOUT_MS).
 */
export function runService(service: string, start: () => Promise<RunningServer>): void {
  nameLogService(service);
  const log = createLogger('process');
  let running: RunningServer | null = null;
  let metrics: MetricsServer | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const startedMs = Date.now();
    log.info({ signal, drainTimeoutMs: DRAIN_TIMEOUT_MS }, 'stopping: no new connections; requests in flight may finish');
    const deadline = setTimeout(() => {
      log.error({ shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS }, 'did not stop in time; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    try {
      await running?.stop();
      await metrics?.stop();
      // The last spans (this stop's requests included) are sent before the process goes.
      await stopTracing();
      log.info({ durationMs: Date.now() - startedMs }, 'stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'failed to stop cleanly');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A launcher that dies must not leave orphans behind.
  process.on('disconnect', () => void stop('launcher gone'));

  const started = async () => {
    running = await start();
    // Metrics on a listener of their own, only when asked for (shared/metrics.ts); 0 picks a free port.
    const metricsPort = process.env.METRICS_PORT ? intEnv('METRICS_PORT', 0) : null;
    if (metricsPort !== null) {
      metrics = await startMetricsServer(process.env.METRICS_HOST || process.env.HOST || '127.0.0.1', metricsPort);
    }
    return running;
  };
  started().then(
    (server) => {
      log.info({ url: server.url, metricsUrl: metrics?.url }, 'listening');
      // A line for the person running `npm start` (and the start-up test reading the stack's log).
      if (mode() === 'development') process.stdout.write(`[${service}] listening on ${server.url}\n`);
      process.send?.({ type: 'ready', service, url: server.url, metricsUrl: metrics?.url } satisfies ServiceReadyMessage);
    },
    (error) => {
      log.fatal({ err: error }, 'failed to start');
      // In words too, for the person who ran `npm start` or the process by hand.
      if (mode() === 'development') process.stderr.write(`[${service}] failed to start: ${(error as Error)?.message ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
