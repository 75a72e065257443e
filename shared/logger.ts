import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured logs: one JSON object per line on stdout (pino), for a log pipeline to parse. Each
 * line names its process (`service`) and part (`component`), and, when written inside a traced
 * request, carries `trace_id` and `span_id`, so a log line leads to its trace and back.
 *
 * No personal data: log call sites pass ids, never names, emails or credentials, and the fields
 * below are redacted wherever a logged object carries them anyway. Errors from the database are
 * the likely carriers: TypeORM's QueryFailedError holds the statement's `parameters`, and
 * PostgreSQL's `detail` quotes the values of a violated key ("Key (email)=(…) already exists").
 */
export const REDACTED_PATHS = [
  'email',
  '*.email',
  'displayName',
  '*.displayName',
  'phone',
  '*.phone',
  'authorization',
  '*.authorization',
  'headers.cookie',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'password',
  '*.password',
  'pin',
  '*.pin',
  'secret',
  '*.secret',
  'variables',
  '*.variables',
  'err.parameters',
  'err.detail',
  'err.driverError.parameters',
  'err.driverError.detail',
];

/** The process's name in every line; runService sets it (shared/process.ts). */
let serviceName = 'coalition';

export function nameLogService(service: string): void {
  serviceName = service;
}

/**
 * Where lines go: errors and worse on stderr, the rest on stdout, as the services' console lines
 * went before; each line to one of them. Written synchronously: the services log little (start,
 * stop, failures), and a process exiting on a fatal error must not lose its last line.
 */
function standardStreams(): DestinationStream {
  return pino.multistream(
    [
      { level: 'trace', stream: pino.destination({ dest: 1, sync: true }) },
      { level: 'error', stream: pino.destination({ dest: 2, sync: true }) },
    ],
    { dedupe: true },
  );
}

/** The process's root logger (standardStreams); `destination` is for tests that read what it writes. */
export function buildLogger(destination: DestinationStream = standardStreams()): Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL || 'info',
      base: { pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin() {
        const fields: Record<string, string> = { service: serviceName };
        const span = trace.getActiveSpan()?.spanContext();
        if (span && trace.isSpanContextValid(span)) {
          fields.trace_id = span.traceId;
          fields.span_id = span.spanId;
        }
        return fields;
      },
    },
    destination,
  );
}

const root = buildLogger();

/** The logger of one part of a process (`component`: "outbox relay", "ledger feed", …). */
export function createLogger(component: string): Logger {
  return root.child({ component });
}
