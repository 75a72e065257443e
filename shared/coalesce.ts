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
