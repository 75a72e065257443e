import { readFileSync } from 'node:fs';

describe('start-up of the test stack', () => {
  it('prints no ledger-feed error while settlement waits for members, which starts after it', () => {
    const logFile = process.env.TEST_STACK_LOG;
    if (!logFile) throw new Error('TEST_STACK_LOG is not set: run the tests through jest (global set-up starts the stack)');
    const lines = readFileSync(logFile, 'utf8').split('\n');
    // Up to the gateway's start: the stack starts settlement, then members and rewards, then the gateway.
    const startUp = lines.slice(0, lines.findIndex((line) => line.startsWith('[gateway] listening on')) + 1);
    const listening = (service: string) => startUp.findIndex((line) => line.startsWith(`[${service}] listening on`));
    expect(listening('settlement')).toBeGreaterThanOrEqual(0);
    expect(listening('members')).toBeGreaterThan(listening('settlement'));
    expect(listening('gateway')).toBeGreaterThan(listening('members'));
    expect(startUp.filter((line) => line.includes('ledger feed'))).toEqual([]);
  });
});
