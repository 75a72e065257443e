import { createLogger } from './logger';

const log = createLogger('periodic');

export interface PeriodicTask {
  /** No more runs; resolves once the run in progress (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Background work run every `intervalMs` (the ledger's maintenance, the redemption recovery). A
 * tick that finds the previous run still going is skipped, so runs never pile up behind a slow
 * database or an unreachable subgraph; and stop() waits for the run in progress, so a graceful
 * shutdown never closes the pool under a transaction. A failed run is logged under `label`; the
 * next tick tries again.
 */
export function startPeriodic(label: string, intervalMs: number, work: () => Promise<unknown>): PeriodicTask {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = work()
      .then(
        () => undefined,
        (error: unknown) => log.error({ err: error, task: label }, 'background run failed'),
      )
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  // The timer alone must not keep a process alive that has nothing else to do.
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
