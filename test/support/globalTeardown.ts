import type { TestEnvironment } from './environment';

export default async function globalTeardown(): Promise<void> {
  const environment = (globalThis as { __coalitionTest?: TestEnvironment }).__coalitionTest;
  for (const step of environment?.teardown ?? []) await step();
}
