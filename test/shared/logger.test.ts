import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { buildLogger } from '../../shared/logger';

/** A logger writing into an array of parsed lines. */
function capture() {
  const lines: Record<string, any>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: buildLogger(destination), lines };
}

describe('structured logs', () => {
  beforeAll(() => {
    // The async-hooks context manager, so the span below is the active one.
    new NodeTracerProvider().register();
  });

  it('writes one JSON object per line, with the trace and span of the active span', () => {
    const { logger, lines } = capture();
    logger.info('outside any span');
    const span = trace.getTracer('test').startSpan('request');
    context.with(trace.setSpan(context.active(), span), () => logger.child({ component: 'test' }).info({ memberId: 'm-1' }, 'inside'));
    span.end();
    expect(lines[0]).toMatchObject({ msg: 'outside any span', level: 30 });
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({
      msg: 'inside',
      component: 'test',
      memberId: 'm-1',
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
  });

  it('redacts personal data and credentials, including what database errors carry', () => {
    const { logger, lines } = capture();
    const failed = Object.assign(new Error('duplicate key value violates unique constraint "members_email_key"'), {
      parameters: ['ada@example.test', 'Ada Lovelace'],
      detail: 'Key (email)=(ada@example.test) already exists.',
      driverError: { detail: 'Key (email)=(ada@example.test) already exists.', parameters: ['ada@example.test'] },
    });
    logger.error(
      { err: failed, input: { email: 'ada@example.test', displayName: 'Ada Lovelace' }, authorization: 'Bearer ck_1_secret' },
      'enrol failed',
    );
    const written = JSON.stringify(lines);
    expect(written).not.toContain('ada@example.test');
    expect(written).not.toContain('Ada Lovelace');
    expect(written).not.toContain('ck_1_secret');
    expect(lines[0]!.err.message).toContain('members_email_key');
    expect(lines[0]!.input).toEqual({ email: '[redacted]', displayName: '[redacted]' });
  });
});
