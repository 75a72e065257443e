import type { RunningServer } from './subgraphServer';

export interface ServiceReadyMessage {
  type: 'ready';
  service: string;
  url: string;
}

/**
 * Runs one service as its own process: starts it, tells a parent launcher (over IPC, when there
 * is one) the URL it listens on, and stops it cleanly on SIGINT or SIGTERM.
 */
export function runService(service: string, start: () => Promise<RunningServer>): void {
  let running: RunningServer | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[${service}] ${signal}: stopping`);
    try {
      await running?.stop();
      process.exit(0);
    } catch (error) {
      console.error(`[${service}] failed to stop cleanly`, error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A launcher that dies must not leave orphans behind.
  process.on('disconnect', () => void stop('launcher gone'));

  start().then(
    (server) => {
      running = server;
      console.log(`[${service}] listening on ${server.url}`);
      process.send?.({ type: 'ready', service, url: server.url } satisfies ServiceReadyMessage);
    },
    (error) => {
      console.error(`[${service}] failed to start`, error);
      process.exit(1);
    },
  );
}
