import { rootSamplingFromEnvironment } from '../../shared/tracing';

/**
 * The gateway's root sampling from the standard OTEL_TRACES_SAMPLER variables (shared/tracing.ts):
 * every request by default, a ratio when asked, and an unknown setting reported with the default.
 */
describe('rootSamplingFromEnvironment', () => {
  it('samples every request by default and with always_on', () => {
    expect(rootSamplingFromEnvironment({})).toEqual({ sampling: { kind: 'always_on' } });
    expect(rootSamplingFromEnvironment({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' })).toEqual({ sampling: { kind: 'always_on' } });
  });

  it('takes a ratio from OTEL_TRACES_SAMPLER_ARG, 1 when none is given', () => {
    expect(rootSamplingFromEnvironment({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toEqual({
      sampling: { kind: 'ratio', ratio: 0.25 },
    });
    expect(rootSamplingFromEnvironment({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' })).toEqual({
      sampling: { kind: 'ratio', ratio: 1 },
    });
    expect(rootSamplingFromEnvironment({ OTEL_TRACES_SAMPLER: 'ALWAYS_OFF' })).toEqual({ sampling: { kind: 'always_off' } });
  });

  it('reports a setting it does not know, and samples every request', () => {
    const badRatio = rootSamplingFromEnvironment({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '5%' });
    expect(badRatio.sampling).toEqual({ kind: 'ratio', ratio: 1 });
    expect(badRatio.problem).toContain('"5%"');
    const unknown = rootSamplingFromEnvironment({ OTEL_TRACES_SAMPLER: 'jaeger_remote' });
    expect(unknown.sampling).toEqual({ kind: 'always_on' });
    expect(unknown.problem).toContain('jaeger_remote');
  });
});
