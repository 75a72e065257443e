import { cpus, loadavg, release, totalmem } from 'node:os';
import type { RoundResult } from './load';
import type { WorkloadName } from './workloads';

export type CompetitorName = 'ours' | 'stock' | 'ceiling';
export const COMPETITOR_NAMES: readonly CompetitorName[] = ['ours', 'stock', 'ceiling'];

/** Medians over a workload's rounds for one competitor, and its ratios against stock. */
export interface Summary {
  workload: WorkloadName;
  competitor: CompetitorName;
  rounds: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  cpuMsPerRequest: number;
  subgraphCpuMsPerRequest: number;
  peakRssMb: number;
  /** Summed over the rounds: anything but 0 makes the figures meaningless. */
  failedRequests: number;
  /** RPS over stock's: higher is better. */
  rpsTimesStock: number;
  /** p99 over stock's: lower is better. */
  p99FractionOfStock: number;
  /** CPU per request over stock's: lower is better. */
  cpuFractionOfStock: number;
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  /** 1-minute load average when the benchmark started: the machine's other work, a hint of noise. */
  loadAverageAtStart: number;
}

export function describeMachine(): Machine {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    loadAverageAtStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function failedRequests(round: RoundResult): number {
  return round.non2xx + round.graphqlErrors + round.connectionErrors;
}

export function summarize(rounds: Record<WorkloadName, Record<CompetitorName, RoundResult[]>>): Summary[] {
  const summaries: Summary[] = [];
  for (const [workload, byCompetitor] of Object.entries(rounds) as [WorkloadName, Record<CompetitorName, RoundResult[]>][]) {
    const medians = (competitor: CompetitorName) => {
      const results = byCompetitor[competitor];
      return {
        rounds: results.length,
        requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
        latencyP50Ms: median(results.map((r) => r.latencyP50Ms)),
        latencyP99Ms: median(results.map((r) => r.latencyP99Ms)),
        cpuMsPerRequest: median(results.map((r) => r.cpuMsPerRequest)),
        subgraphCpuMsPerRequest: median(results.map((r) => r.subgraphCpuMsPerRequest)),
        peakRssMb: median(results.map((r) => r.peakRssBytes / 2 ** 20)),
        failedRequests: results.reduce((sum, r) => sum + failedRequests(r), 0),
      };
    };
    const stock = medians('stock');
    for (const competitor of COMPETITOR_NAMES) {
      const m = medians(competitor);
      summaries.push({
        workload,
        competitor,
        ...m,
        rpsTimesStock: m.requestsPerSecond / stock.requestsPerSecond,
        p99FractionOfStock: m.latencyP99Ms / stock.latencyP99Ms,
        cpuFractionOfStock: m.cpuMsPerRequest / stock.cpuMsPerRequest,
      });
    }
  }
  return summaries;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** The results table, one line per workload and competitor. */
export function formatTable(summaries: Summary[]): string {
  const header = [
    'workload',
    'competitor',
    'RPS',
    'p50 ms',
    'p99 ms',
    'CPU ms/req',
    'subgraphs CPU ms/req',
    'peak RSS MB',
    'RPS x stock',
    'p99 / stock',
    'CPU / stock',
    'failed',
  ];
  const rows = summaries.map((s) => [
    s.workload,
    s.competitor,
    fixed(s.requestsPerSecond, 0),
    fixed(s.latencyP50Ms, 1),
    fixed(s.latencyP99Ms, 1),
    fixed(s.cpuMsPerRequest, 2),
    fixed(s.subgraphCpuMsPerRequest, 2),
    fixed(s.peakRssMb, 0),
    fixed(s.rpsTimesStock, 2),
    fixed(s.p99FractionOfStock, 2),
    fixed(s.cpuFractionOfStock, 2),
    String(s.failedRequests),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // Names to the left, figures to the right, as in any table of numbers.
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatMachine(machine: Machine): string {
  return (
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GiB, Linux ${machine.kernel}, Node ${machine.node}; ` +
    `load average ${machine.loadAverageAtStart} at start`
  );
}
