import { runBenchSmoke } from '../support/benchSmoke';

/**
 * The subscription benchmark's smoke mode, run as a person would run it
 * (`npm run bench:subscriptions -- --smoke`), on a database of its own on the test server. It checks
 * correctness only: every subscriber received every earn of its member exactly once, and the table
 * came out. No figure is judged: timing belongs to the benchmark itself.
 */

/** Start-up, enrolment, warm-up, two stretches of earns and the drain, on a machine that may be busy. */
const SMOKE_TIMEOUT_MS = 300_000;

test(
  'the subscription benchmark smoke run delivers every event once and prints its table',
  async () => {
    const { output, figures } = await runBenchSmoke<Record<string, number>>('subscriptions');
    expect(output).toMatch(/^gateway heap KB per idle subscription\s+\S+\s+<= 10$/m);
    expect({ lost: figures.eventsLost, duplicated: figures.eventsDuplicated, failedEarns: figures.earnFailures }).toEqual({
      lost: 0,
      duplicated: 0,
      failedEarns: 0,
    });
    // 20 subscribers, two per member, and 10 earns: each earn reaches its member's two subscribers.
    expect(figures.earnsPosted).toBe(10);
    expect(figures.eventsExpected).toBe(20);
    expect(figures.eventsDelivered).toBe(20);
    expect(figures.latencyP99Ms).toBeGreaterThan(0);
    expect(figures.heapKbPerIdleSubscription).not.toBeNaN();
  },
  SMOKE_TIMEOUT_MS,
);
