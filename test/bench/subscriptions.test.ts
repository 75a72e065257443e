import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The subscription benchmark's smoke mode, run as a person would run it
 * (`npm run bench:subscriptions -- --smoke`), on a database of its own on the test server. It checks
 * correctness only: every subscriber received every earn of its member exactly once, and the table
 * came out. No figure is judged: timing belongs to the benchmark itself.
 */
const ROOT = join(__dirname, '..', '..');
/** Start-up, enrolment, warm-up, two stretches of earns and the drain, on a machine that may be busy. */
const SMOKE_TIMEOUT_MS = 300_000;

test(
  'the subscription benchmark smoke run delivers every event once and prints its table',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coalition-bench-subscriptions-'));
    try {
      const jsonPath = join(dir, 'smoke.json');
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'bench/subscriptions/main.ts', '--smoke', '--json', jsonPath], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.once('error', reject);
        child.once('exit', (exitCode) => resolve({ code: exitCode, output: text }));
      });
      if (code !== 0) throw new Error(`npm run bench:subscriptions -- --smoke exited with ${code}:\n${output}`);
      expect(output).toMatch(/^gateway heap KB per idle subscription\s+\S+\s+<= 10$/m);

      const figures = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, number>;
      expect({ lost: figures.eventsLost, duplicated: figures.eventsDuplicated, failedEarns: figures.earnFailures }).toEqual({
        lost: 0,
        duplicated: 0,
        failedEarns: 0,
      });
      // 20 subscribers, two per member, and 10 earns: each earn reaches its member's two subscribers.
      expect(figures.earnsPosted).toBe(10);
      expect(figures.eventsExpected).toBe(20);
      expect(figures.eventsDelivered).toBe(20);
      expect(figures.latencyP99Ms).toBeGreaterThan(0);
      expect(figures.heapKbPerIdleSubscription).not.toBeNaN();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  SMOKE_TIMEOUT_MS,
);
