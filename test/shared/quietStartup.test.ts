import { DomainError } from '../../shared/errors';
import { quietUntilPeerAnswers } from '../../shared/quietStartup';

const notAnswering = () => new DomainError('UPSTREAM_UNAVAILABLE', 'the members service did not answer');

function logWithClock(graceMs = 30_000) {
  let nowMs = 1_000_000;
  const lines: string[] = [];
  const failures = quietUntilPeerAnswers({
    log: (line) => lines.push(line),
    describe: (error) => (error as Error).message,
    graceMs,
    now: () => nowMs,
  });
  return { failures, lines, advance: (ms: number) => (nowMs += ms) };
}

describe('quietUntilPeerAnswers', () => {
  it('keeps a peer that is not up yet quiet at start-up, then logs every failure once it has answered', () => {
    const { failures, lines, advance } = logWithClock();
    failures.failed(notAnswering());
    advance(2_000);
    failures.failed(notAnswering());
    expect(lines).toEqual([]);
    failures.answered();
    failures.failed(notAnswering());
    failures.failed(notAnswering());
    expect(lines).toEqual(['the members service did not answer', 'the members service did not answer']);
  });

  it('speaks up when the peer has not answered within the grace period, counting the quiet attempts', () => {
    const { failures, lines, advance } = logWithClock(30_000);
    failures.failed(notAnswering());
    advance(15_000);
    failures.failed(notAnswering());
    advance(15_000);
    failures.failed(notAnswering());
    failures.failed(notAnswering());
    expect(lines).toEqual([
      'the members service did not answer (after 2 quiet attempt(s) since start-up)',
      'the members service did not answer',
    ]);
  });

  it('logs any other failure at once, even at start-up', () => {
    const { failures, lines } = logWithClock();
    failures.failed(new DomainError('UNAUTHENTICATED', 'This subgraph accepts only calls signed by the coalition gateway'));
    failures.failed(new Error('relation "ledger_checkpoint" does not exist'));
    expect(lines).toEqual([
      'This subgraph accepts only calls signed by the coalition gateway',
      'relation "ledger_checkpoint" does not exist',
    ]);
  });
});
