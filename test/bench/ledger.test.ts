import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The ledger benchmark's smoke mode, run as a person would run it (`npm run bench:ledger -- --smoke`),
 * on a database of its own on the test server. It checks correctness only: every earn answered is
 * one EARN transfer, a replay under its key answers the same one, balances and the ledger's sums
 * are right, settlement counted every point, and the table came out. No figure is judged: timing
 * belongs to the benchmark itself.
 */
const ROOT = join(__dirname, '..', '..');
/** Start-up, enrolment, warm-up, two scenarios, the checks and pgbench, on a machine that may be busy. */
const SMOKE_TIMEOUT_MS = 300_000;

test(
  'the ledger benchmark smoke run posts every earn exactly once, keeps the sums and prints its table',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coalition-bench-ledger-'));
    try {
      const jsonPath = join(dir, 'smoke.json');
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ledger/main.ts', '--smoke', '--json', jsonPath], {
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
      if (code !== 0) throw new Error(`npm run bench:ledger -- --smoke exited with ${code}:\n${output}`);
      expect(output).toMatch(/^spread over 7 partners\s+\d+/m);
      expect(output).toMatch(/^all at one partner\s+\d+/m);
      expect(output).toMatch(/^pgbench -N simple-update TPS/m);

      const figures = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
        results: { scenario: string; earns: number; failures: number }[];
        earnsChecked: number;
        pointsEarned: number;
        settlementPointsIssuedCounted: number;
        problems: string[];
        pgbenchSimpleUpdateTps: number;
      };
      expect(figures.problems).toEqual([]);
      expect(figures.results.map((r) => [r.scenario, r.failures])).toEqual([
        ['spread over 7 partners', 0],
        ['all at one partner', 0],
      ]);
      for (const result of figures.results) expect(result.earns).toBeGreaterThan(0);
      expect(figures.earnsChecked).toBeGreaterThanOrEqual(figures.results[0]!.earns + figures.results[1]!.earns);
      expect(figures.settlementPointsIssuedCounted).toBe(figures.pointsEarned);
      expect(figures.pgbenchSimpleUpdateTps).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  SMOKE_TIMEOUT_MS,
);
