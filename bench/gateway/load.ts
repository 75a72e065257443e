import autocannon from 'autocannon';
import { cpuTimeMs, watchPeakRss } from './processStats';
import type { Workload } from './workloads';

/** One timed stretch of load against one competitor, and what it cost that competitor's process. */
export interface RoundResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Responses received in the round. */
  requestsCompleted: number;
  /** Responses with a status other than 2xx. */
  non2xx: number;
  /** 2xx responses whose body carries GraphQL `errors`. */
  graphqlErrors: number;
  /** Connection errors and timeouts. */
  connectionErrors: number;
  /** The competitor's user + system CPU time over the round, per completed request. */
  cpuMsPerRequest: number;
  /**
   * The three subgraphs' CPU time over the round, per completed request: what the competitor's plan
   * costs downstream (the same subgraphs serve every competitor).
   */
  subgraphCpuMsPerRequest: number;
  /** The competitor's peak resident set during the round. */
  peakRssBytes: number;
}

export interface RoundOptions {
  url: string;
  /** The competitor process, whose CPU and memory the round measures. */
  pid: number;
  /** The subgraph processes, whose CPU the round adds up. */
  subgraphPids: readonly number[];
  workload: Workload;
  connections: number;
  durationSeconds: number;
}

/** Longest a request may take before autocannon counts it as a timeout (an error). */
const REQUEST_TIMEOUT_SECONDS = 30;

export async function runRound(options: RoundOptions): Promise<RoundResult> {
  const { workload } = options;
  // Shared by every connection: each request takes the next body, so consecutive requests (on
  // any connection) ask for different members, and no body repeats before all were sent.
  let nextBody = 0;
  const cpuBeforeMs = cpuTimeMs(options.pid);
  const subgraphCpu = () => options.subgraphPids.reduce((sum, pid) => sum + cpuTimeMs(pid), 0);
  const subgraphCpuBeforeMs = subgraphCpu();
  const peakRss = watchPeakRss(options.pid);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: REQUEST_TIMEOUT_SECONDS,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(workload.authorization ? { authorization: workload.authorization } : {}) },
    requests:
      workload.bodies.length === 1
        ? [{ body: workload.bodies[0] }]
        : [
            {
              setupRequest: (request) => ({ ...request, body: workload.bodies[nextBody++ % workload.bodies.length] }),
            },
          ],
    // A 200 can still carry GraphQL errors: autocannon counts the bodies that fail this as mismatches.
    verifyBody: (body) => body === undefined || !body.includes('"errors"'),
  });
  const cpuMs = cpuTimeMs(options.pid) - cpuBeforeMs;
  const subgraphCpuMs = subgraphCpu() - subgraphCpuBeforeMs;
  const peakRssBytes = peakRss.stop();
  const requestsCompleted = result.requests.total;
  return {
    requestsPerSecond: requestsCompleted / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requestsCompleted,
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
    connectionErrors: result.errors,
    cpuMsPerRequest: requestsCompleted > 0 ? cpuMs / requestsCompleted : Number.NaN,
    subgraphCpuMsPerRequest: requestsCompleted > 0 ? subgraphCpuMs / requestsCompleted : Number.NaN,
    peakRssBytes,
  };
}
