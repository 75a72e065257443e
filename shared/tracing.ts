import {
  context,
  propagation,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { createLogger } from './logger';

/**
 * Distributed tracing (OpenTelemetry). Off unless an operator configures an exporter with the
 * standard variables: OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (OTLP over
 * HTTP, JSON), or OTEL_TRACES_EXPORTER=otlp (its default endpoint, http://localhost:4318).
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none keeps it off whatever else is set.
 *
 * Off, nothing is registered: @opentelemetry/api hands out non-recording spans, no context is
 * kept per async call, nothing is patched, no header is added. That is the cost of the spans the
 * gateway and the outbox create themselves: a call that returns a shared no-op object.
 *
 * On, each process traces its HTTP server and client calls (node:http) and its SQL (pg, statement
 * text only: parameters may hold personal data and are never recorded), and the W3C `traceparent`
 * header carries the trace from the gateway to the subgraphs and on to internal calls. The SDK
 * must be set up before `pg` and the HTTP servers load, which is why every process imports its
 * `tracing.ts` first (gateway/tracing.ts, subgraphs/NAME/tracing.ts).
 */

/** The name spans of this project's own code are recorded under (the instrumentation scope). */
const TRACER_NAME = 'coalition-graph';

/** Whether the environment asks for traces to be exported (see the module comment). */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (exporters.includes('none')) return false;
  return exporters.includes('otlp') || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** How the gateway decides for a request that arrives without a trace of its caller's. */
export type RootSampling = { kind: 'always_on' } | { kind: 'always_off' } | { kind: 'ratio'; ratio: number };

/**
 * The gateway's root sampling from the standard OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG:
 * always_on (the default), always_off, traceidratio with a ratio from 0 to 1 (default 1), and their
 * parentbased_ forms, which mean the same here (a caller's sampled `traceparent` is always
 * continued). A value it does not know is reported in `problem` and the default applies, as the
 * OpenTelemetry specification asks of an SDK.
 */
export function rootSamplingFromEnvironment(env: NodeJS.ProcessEnv = process.env): { sampling: RootSampling; problem?: string } {
  const name = (env.OTEL_TRACES_SAMPLER ?? '')
    .trim()
    .toLowerCase()
    .replace(/^parentbased_/, '');
  switch (name) {
    case '':
    case 'always_on':
      return { sampling: { kind: 'always_on' } };
    case 'always_off':
      return { sampling: { kind: 'always_off' } };
    case 'traceidratio': {
      const text = (env.OTEL_TRACES_SAMPLER_ARG ?? '').trim();
      const ratio = text === '' ? 1 : Number(text);
      if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
        return {
          sampling: { kind: 'ratio', ratio: 1 },
          problem: `OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, not "${text}"; sampling every trace`,
        };
      }
      return { sampling: { kind: 'ratio', ratio } };
    }
    default:
      return {
        sampling: { kind: 'always_on' },
        problem: `OTEL_TRACES_SAMPLER "${env.OTEL_TRACES_SAMPLER}" is not one of always_on, always_off, traceidratio (or parentbased_ of one); sampling every trace`,
      };
  }
}

let shutdown: (() => Promise<void>) | null = null;

/**
 * Sets up tracing for one process when configured; call it before anything imports `pg` or starts
 * an HTTP server. The SDK is loaded only then, so a process without tracing never loads it.
 * `startsTraces`: whether a request that arrives without a `traceparent` starts a trace (the
 * gateway: its callers are clients). A subgraph traces only calls that carry one, so the polling
 * of its peers' background loops (settlement's feed every 2 s) does not fill the traces.
 */
export function startTracing(service: string, { startsTraces }: { startsTraces: boolean }): void {
  if (shutdown || !tracingConfigured()) return;
  // Loaded here rather than imported: without tracing configured the SDK stays out of the process.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const {
    NodeTracerProvider,
    BatchSpanProcessor,
    ParentBasedSampler,
    AlwaysOnSampler,
    AlwaysOffSampler,
    TraceIdRatioBasedSampler,
    SamplingDecision,
  } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // A subgraph records only what belongs to a recorded trace; with no parent, nothing. (The
  // gateway samples requests as OTEL_TRACES_SAMPLER says: every one by default.) Either way a span
  // linked to a recorded trace is recorded: the outbox relay's, which starts no trace of its own
  // but reports on the writes it links to.
  const { sampling, problem } = startsTraces ? rootSamplingFromEnvironment() : { sampling: { kind: 'always_off' } as RootSampling };
  if (problem) createLogger('tracing').warn(problem);
  const root =
    sampling.kind === 'ratio'
      ? new TraceIdRatioBasedSampler(sampling.ratio)
      : sampling.kind === 'always_on'
        ? new AlwaysOnSampler()
        : new AlwaysOffSampler();
  const parentBased = new ParentBasedSampler({ root });
  const sampler: import('@opentelemetry/sdk-trace-node').Sampler = {
    shouldSample: (parent, traceId, name, kind, attributes, links) =>
      links.some((link) => (link.context.traceFlags & TraceFlags.SAMPLED) !== 0)
        ? { decision: SamplingDecision.RECORD_AND_SAMPLED }
        : parentBased.shouldSample(parent, traceId, name, kind, attributes, links),
    toString: () => `LinkedOrParentBased{root=${root.toString()}}`,
  };
  const provider = new NodeTracerProvider({
    sampler,
    // OTEL_SERVICE_NAME, when set, names the process instead (a replica, a region).
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || `coalition-${service}` }),
    // Batched, in the background; OTEL_BSP_SCHEDULE_DELAY and the other OTEL_BSP_* tune it.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The async-hooks context manager and the W3C trace-context propagator.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Outgoing node:http calls outside a trace (the OTLP exporter's own) are not traced.
        requireParentforOutgoingSpans: true,
        // Health probes and scrapes every few seconds would drown the traces that matter.
        ignoreIncomingRequestHook: (request) => /^\/(health|ready|metrics)\b/.test(request.url ?? ''),
      }),
      // SQL only inside a traced request or a traced background step (settlement's feed counting a
      // batch linked to traced writes): idle polling loops would otherwise each trace every second.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  shutdown = () => provider.shutdown();
}

/** Sends the spans still buffered (on a graceful stop); a no-op when tracing is off. */
export async function stopTracing(): Promise<void> {
  await shutdown?.().catch(() => undefined);
}

export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Runs `work` in a new active span named `name`, ending it when `work` settles and marking it
 * failed when `work` throws.
 */
export function inSpan<T>(
  name: string,
  attributes: Record<string, string | number>,
  work: (span: Span) => Promise<T>,
  links: Link[] = [],
): Promise<T> {
  return tracer().startActiveSpan(name, { attributes, links }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      // The error's kind, not its message: messages may quote input, and spans leave the process.
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as { code?: string }).code ?? (error as Error).name });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active trace as a W3C `traceparent` value, or null when no span is recording. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** Adds the active trace's headers (`traceparent`, `tracestate`) to `headers`; nothing when tracing is off. */
export function injectTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

/** The span context a stored `traceparent` names, as a link (null when there is none or it is malformed). */
export function linkTo(traceparent: string | null | undefined): Link | null {
  if (!traceparent) return null;
  const extracted: Context = propagation.extract(context.active(), { traceparent });
  const spanContext = trace.getSpanContext(extracted);
  return spanContext && trace.isSpanContextValid(spanContext) ? { context: spanContext } : null;
}
