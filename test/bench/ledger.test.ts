import { runBenchSmoke } from '../support/benchSmoke';

/**
 * The ledger benchmark's smoke mode, run as a person would run it (`npm run bench:ledger -- --smoke`),
 * on a database of its own on the test server. It checks correctness only: every earn answered is
 * one EARN transfer, a replay under its key answers the same one, balances and the ledger's sums
 * are right, settlement counted every point, and the table came out. No figure is judged: timing
 * belongs to the benchmark itself.
 */

/** Start-up, enrolment, warm-up, two scenarios, the checks and pgbench, on a machine that may be busy. */
const SMOKE_TIMEOUT_MS = 300_000;

test(
  'the ledger benchmark smoke run posts every earn exactly once, keeps the sums and prints its table',
  async () => {
    const { output, figures } = await runBenchSmoke<{
      results: { scenario: string; earns: number; failures: number }[];
      earnsChecked: number;
      pointsEarned: number;
      settlementPointsIssuedCounted: number;
      problems: string[];
      pgbenchSimpleUpdateTps: number;
    }>('ledger');
    expect(output).toMatch(/^spread over 7 partners\s+\d+/m);
    expect(output).toMatch(/^all at one partner\s+\d+/m);
    expect(output).toMatch(/^pgbench -N simple-update TPS/m);
    expect(figures.problems).toEqual([]);
    expect(figures.results.map((r) => [r.scenario, r.failures])).toEqual([
      ['spread over 7 partners', 0],
      ['all at one partner', 0],
    ]);
    for (const result of figures.results) expect(result.earns).toBeGreaterThan(0);
    expect(figures.earnsChecked).toBeGreaterThanOrEqual(figures.results[0]!.earns + figures.results[1]!.earns);
    expect(figures.settlementPointsIssuedCounted).toBe(figures.pointsEarned);
    expect(figures.pgbenchSimpleUpdateTps).toBeGreaterThan(0);
  },
  SMOKE_TIMEOUT_MS,
);
