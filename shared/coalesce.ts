import type { EventBus } from './eventBus';
/**
 * Single flight with one rerun: `trigger()` starts a pass of `work` unless one is running; a trigger
 * during a pass asks for exactly one more pass after it (however many triggers came meanwhile), so
 * nothing signalled during a pass is missed and passes never overlap. The promise a trigger returns
 * settles when the passes that cover it are done, with the error of the last pass, or null. Errors
 * go to `onError` as well; a failed pass does not stop the next one.
 */
export interface Coalesced {
  trigger(): Promise<unknown>;
  /** Waits for the pass in progress, if any, without asking for another. */
  settled(): Promise<void>;
}

export function coalesced(work: () => Promise<void>, onError: (error: unknown) => void): Coalesced {
  let running: Promise<unknown> | null = null;
  let again = false;
  return {
    trigger() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        let failure: unknown = null;
        do {
          again = false;
          try {
            await work();
            failure = null;
          } catch (error) {
            failure = error;
            onError(error);
          }
        } while (again);
        return failure;
      })().finally(() => {
        running = null;
      });
      return running;
    },
    async settled() {
      await running;
    },
  };
}

export interface Passes {
  /** Asks for a pass (coalesced as above); resolves with the failure of the passes that cover it, or null. */
  trigger(): Promise<unknown>;
  /** No more passes: the timer and the bus subscription end, and the pass in progress is awaited. */
  stop(): Promise<void>;
}

/**
 * Background work in coalesced passes: one at once, then every `intervalMs`, and whenever `channel`
 * is signalled on `bus` (or the bus reports a gap), since a consumer must not depend on the signal
 * alone. A failed pass goes to `onError`, except once stopping; the next trigger tries again.
 */
export function startPasses(options: {
  work: () => Promise<void>;
  onError: (error: unknown) => void;
  intervalMs: number;
  bus?: { subscribe: EventBus['subscribe'] };
  channel?: string;
}): Passes {
  let stopped = false;
  const passes = coalesced(
    async () => {
      if (!stopped) await options.work();
    },
    (error) => {
      if (!stopped) options.onError(error);
    },
  );
  const run = () => void passes.trigger();
  const unsubscribe = options.bus && options.channel ? options.bus.subscribe(options.channel, run, run) : null;
  const timer = setInterval(run, options.intervalMs);
  // The timer alone must not keep a process alive that has nothing else to do.
  timer.unref();
  run();
  return {
    trigger: () => passes.trigger(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (unsubscribe) await (await unsubscribe)();
      await passes.settled();
    },
  };
}
