import { EntityCache, shareWrites, WRITE_ANNOUNCEMENT_INTERVAL_MS } from '../../gateway/entityCache';
import type { EventBus } from '../../shared/eventBus';

/**
 * How a gateway replica tells the others of its writes (gateway/entityCache.ts, shareWrites): a
 * write after a quiet spell at once, writes answered meanwhile in one message per subgraph per
 * WRITE_ANNOUNCEMENT_INTERVAL_MS, each write followed by a message sent after it. On a bus of the
 * test's own whose publishes are answered when the test says.
 */
class HeldBus implements EventBus {
  /** The subgraph of each message published, with when it was sent. */
  readonly sent: { subgraph: string; atMs: number }[] = [];
  private readonly unanswered: (() => void)[] = [];
  private readonly awaited: { count: number; resolve: () => void }[] = [];

  publish(_channel: string, message: string): Promise<void> {
    this.sent.push({ subgraph: (JSON.parse(message) as { subgraph: string }).subgraph, atMs: Date.now() });
    for (const waiter of this.awaited.filter(({ count }) => count <= this.sent.length)) waiter.resolve();
    return new Promise((resolve) => this.unanswered.push(resolve));
  }

  /** Resolves once `count` messages have been published in all. */
  published(count: number): Promise<void> {
    if (this.sent.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.awaited.push({ count, resolve }));
  }

  /** The bus answers every publish sent so far. */
  answer(): void {
    for (const resolve of this.unanswered.splice(0)) resolve();
  }

  async subscribe(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async close(): Promise<void> {}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const subgraphsOf = (bus: HeldBus) => bus.sent.map(({ subgraph }) => subgraph);

describe("a replica's write announcements", () => {
  it('announces a write after a quiet spell at once, and the writes answered meanwhile in one message after the interval', async () => {
    const cache = new EntityCache();
    const bus = new HeldBus();
    const stop = shareWrites(cache, bus, ['members', 'rewards']);
    try {
      cache.wrote('rewards');
      expect(subgraphsOf(bus)).toEqual(['rewards']);
      // While the first message is on its way: nothing more for rewards, members not held up by it.
      cache.wrote('rewards');
      cache.wrote('rewards');
      cache.wrote('members');
      expect(subgraphsOf(bus)).toEqual(['rewards', 'members']);
      bus.answer();
      await bus.published(3);
      // One message for the two waiting writes to rewards, no sooner than the interval after the first.
      expect(subgraphsOf(bus)).toEqual(['rewards', 'members', 'rewards']);
      expect(bus.sent[2]!.atMs - bus.sent[0]!.atMs).toBeGreaterThanOrEqual(WRITE_ANNOUNCEMENT_INTERVAL_MS - 1);
      bus.answer();
      await sleep(WRITE_ANNOUNCEMENT_INTERVAL_MS * 3);
      // No write since: nothing more; the next write after the interval leaves at once.
      expect(bus.sent).toHaveLength(3);
      cache.wrote('rewards');
      expect(subgraphsOf(bus)).toEqual(['rewards', 'members', 'rewards', 'rewards']);
      bus.answer();
    } finally {
      await stop();
    }
  });

  it('announces the writes still waiting for their interval when it stops', async () => {
    const cache = new EntityCache();
    const bus = new HeldBus();
    const stop = shareWrites(cache, bus, ['rewards']);
    cache.wrote('rewards');
    cache.wrote('rewards');
    bus.answer();
    // The first message answered: the second write waits for the interval, which stopping cuts short.
    await sleep(0);
    const stopped = stop();
    expect(subgraphsOf(bus)).toEqual(['rewards', 'rewards']);
    bus.answer();
    await stopped;
  });
});
