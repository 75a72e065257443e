import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { differences } from '../../bench/gateway/equality';
import type { Summary } from '../../bench/gateway/report';

/**
 * The gateway benchmark's smoke mode, run as a person would run it (`npm run bench -- --smoke`), on
 * a database of its own on the test server. It checks correctness only: every competitor answers
 * every workload with the same data and no errors, and the table comes out with no failed request.
 * No timing is asserted: figures belong to the benchmark itself (STYLE.md, "Tests").
 */
const ROOT = join(__dirname, '..', '..');
/** Start-up, seeding, equality check and 9 short rounds, on a machine that may be busy. */
const SMOKE_TIMEOUT_MS = 600_000;

function runSmoke(jsonPath: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/gateway/main.ts', '--smoke', '--json', jsonPath], {
      cwd: ROOT,
      // The benchmark creates (and drops) its own database on the test server.
      env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

test(
  'the benchmark smoke run finds the same data from every competitor and prints the table with no failed request',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coalition-bench-test-'));
    try {
      const jsonPath = join(dir, 'smoke.json');
      const { code, output } = await runSmoke(jsonPath);
      if (code !== 0) throw new Error(`npm run bench -- --smoke exited with ${code}:\n${output}`);

      expect(output).toMatch(/same data from every competitor for \d+ requests over 4 workloads, no errors/);
      expect(output).toMatch(
        /^workload\s+competitor\s+RPS\s+p50 ms\s+p99 ms\s+CPU ms\/req\s+subgraphs CPU ms\/req\s+peak RSS MB\s+RPS x stock/m,
      );
      const { summaries } = JSON.parse(readFileSync(jsonPath, 'utf8')) as { summaries: Summary[] };
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
    } finally {
      rmSync(dir, { recursive: true, force: true });
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
