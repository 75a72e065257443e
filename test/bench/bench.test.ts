import { differences } from '../../bench/gateway/equality';
import type { Summary } from '../../bench/gateway/report';
import { runBenchSmoke } from '../support/benchSmoke';

/**
 * The gateway benchmark's smoke mode, run as a person would run it (`npm run bench -- --smoke`), on
 * a database of its own on the test server. It checks correctness only: every competitor answers
 * every workload with the same data and no errors, and the table comes out with no failed request.
 * No timing is asserted: figures belong to the benchmark itself, not to a test on a shared machine.
 */

/** Start-up, seeding, equality check and 9 short rounds, on a machine that may be busy. */
const SMOKE_TIMEOUT_MS = 600_000;

test(
  'the benchmark smoke run finds the same data from every competitor and prints the table with no failed request',
  async () => {
    const { output, figures } = await runBenchSmoke<{ summaries: Summary[] }>('gateway');
    const { summaries } = figures;

    expect(output).toMatch(/same data from every competitor for \d+ requests over 4 workloads, no errors/);
    expect(output).toMatch(
      /^workload\s+competitor\s+RPS\s+p50 ms\s+p99 ms\s+CPU ms\/req\s+subgraphs CPU ms\/req\s+peak RSS MB\s+RPS x stock/m,
    );
    expect(summaries.map((s) => `${s.workload}/${s.competitor}`).sort()).toEqual(
      ['wallet', 'catalog', 'deep', 'deep-unshared'].flatMap((w) => ['ours', 'stock', 'ceiling'].map((c) => `${w}/${c}`)).sort(),
    );
    for (const summary of summaries) {
      expect({ row: `${summary.workload}/${summary.competitor}`, failed: summary.failedRequests }).toEqual({
        row: `${summary.workload}/${summary.competitor}`,
        failed: 0,
      });
      // Some load went through and was measured (no figure is judged).
      expect(summary.requestsPerSecond).toBeGreaterThan(0);
      expect(summary.cpuMsPerRequest).toBeGreaterThan(0);
      // Stock's requests always reach the subgraphs (ours may be answered from its response
      // cache, the ceiling's never reach them), so its subgraph CPU was measured.
      if (summary.competitor === 'stock') expect(summary.subgraphCpuMsPerRequest).toBeGreaterThan(0);
      expect(summary.peakRssMb).toBeGreaterThan(0);
    }
  },
  SMOKE_TIMEOUT_MS,
);

test('a difference between competitors is shown by its path and both values', () => {
  const stock = { member: { tier: { level: 'GOLD' }, transactions: [{ points: 10 }, { points: 20 }] } };
  const ours = { member: { tier: { level: 'SILVER' }, transactions: [{ points: 10 }, { points: 21 }], extra: true } };
  expect(differences(stock, ours, 'data')).toEqual([
    'data.member.tier.level: "GOLD" != "SILVER"',
    'data.member.transactions[1].points: 20 != 21',
    'data.member.extra: undefined != true',
  ]);
});
