import type { Stack } from '../../scripts/stack';

/** What global set-up started, for global teardown (both run in Jest's parent process). */
export interface TestEnvironment {
  workDir: string;
  stack?: Stack;
  /** Run in order: the stack first, then the database. */
  teardown: (() => Promise<void>)[];
}
