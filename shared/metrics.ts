import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics (prom-client): one registry per process, Node's default process metrics plus
 * the coalition's own (README.md, "Operations"). They are served on a listener of their own
 * (METRICS_PORT), never on a port partners reach: figures such as operation names, error rates
 * and queue depths help an attacker as much as an operator.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Seconds: from a cache hit to a slow settlement query. */
export const LATENCY_BUCKETS_SECONDS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A metric registered once per process, however many servers the process starts (tests start
 * more than one gateway in one process): the second asks get the first's instance.
 */
function once<M>(name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

export function counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  return once(name, () => new Counter<L>({ name, help, labelNames, registers: [registry] }));
}

export function histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Histogram<L> {
  return once(name, () => new Histogram<L>({ name, help, labelNames, buckets: LATENCY_BUCKETS_SECONDS, registers: [registry] }));
}

/** What a gauge reads at scrape time: one figure, or one per value of its label. */
export type GaugeReading = number | Record<string, number>;

const gaugeSources = new Map<string, Set<() => GaugeReading | Promise<GaugeReading>>>();

/**
 * A gauge read when scraped (a queue depth, a pool's connections), added up over every source
 * that registered for it; `label` names the label a Record reading fills. Returns the function
 * that removes the source again (a server that stops).
 */
export function observeGauge(
  definition: { name: string; help: string; label?: string },
  read: () => GaugeReading | Promise<GaugeReading>,
): () => void {
  let sources = gaugeSources.get(definition.name);
  if (!sources) {
    const registered = new Set<() => GaugeReading | Promise<GaugeReading>>();
    sources = registered;
    gaugeSources.set(definition.name, registered);
    new Gauge<string>({
      name: definition.name,
      help: definition.help,
      labelNames: definition.label ? [definition.label] : [],
      registers: [registry],
      async collect() {
        this.reset();
        // A source that fails (its database unreachable) leaves its figure out of this scrape
        // rather than failing the whole scrape.
        const readings = await Promise.all([...registered].map((source) => Promise.resolve(source()).catch(() => null)));
        for (const reading of readings) {
          if (reading === null) continue;
          if (typeof reading === 'number') this.inc(reading);
          else for (const [value, figure] of Object.entries(reading)) this.inc({ [definition.label ?? 'kind']: value }, figure);
        }
      },
    });
  }
  sources.add(read);
  return () => void sources.delete(read);
}

/** Operation names kept as label values; later new names share one label (a label is a time series). */
/**
 * A queue's depth and the age of its oldest item as two gauges, read with one query per scrape
 * (both gauges' collectors ask during the same scrape and share its answer). `waitingSql` selects
 * `items` (a count) and `age` (seconds, 0 when the queue is empty). Returns what stops observing.
 */
export function observeQueue(
  query: (sql: string) => Promise<{ items: number; age: number }[]>,
  waitingSql: string,
  gauges: { depth: { name: string; help: string }; oldestAge: { name: string; help: string } },
): () => void {
  let pending: Promise<{ items: number; age: number }> | null = null;
  const read = () =>
    (pending ??= query(waitingSql)
      .then(([row]) => ({ items: row?.items ?? 0, age: row?.age ?? 0 }))
      .finally(() => setImmediate(() => (pending = null))));
  const removers = [
    observeGauge(gauges.depth, async () => (await read()).items),
    observeGauge(gauges.oldestAge, async () => (await read()).age),
  ];
  return () => removers.forEach((remove) => remove());
}

export const MAX_OPERATION_LABELS = 200;
export const ANONYMOUS_OPERATION = '(anonymous)';
export const OTHER_OPERATION = '(other)';

/**
 * Bounds the operation-name label: a client chooses the name, and each distinct value is a time
 * series the monitoring system keeps. Unnamed operations share ANONYMOUS_OPERATION; past
 * `limit` distinct names, or a name that is not a plain GraphQL name of at most 64 characters, new
 * ones share OTHER_OPERATION. First come, first kept: a flood of made-up names costs at most
 * `limit` series, and the operations a deployment runs are seen early.
 */
export class OperationLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly limit = MAX_OPERATION_LABELS) {}

  of(operationName: string | null | undefined): string {
    if (!operationName) return ANONYMOUS_OPERATION;
    if (this.seen.has(operationName)) return operationName;
    if (this.seen.size >= this.limit || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(operationName)) return OTHER_OPERATION;
    this.seen.add(operationName);
    return operationName;
  }
}

export interface MetricsServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves GET /metrics (Prometheus' text format) on its own listener, apart from the service's
 * port, so a firewall or a Kubernetes network policy can keep it to the monitoring system.
 */
export async function startMetricsServer(host: string, port: number): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.statusCode = 404;
      response.end('Not Found');
      return;
    }
    registry.metrics().then(
      (text) => {
        response.setHeader('content-type', registry.contentType);
        response.end(text);
      },
      () => {
        response.statusCode = 500;
        response.end('metrics unavailable');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
