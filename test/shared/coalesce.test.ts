import { coalesced } from '../../shared/coalesce';

describe('coalesced', () => {
  it('never overlaps passes, and runs once more for any number of triggers during a pass', async () => {
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    let release: (() => void) | null = null;
    const runner = coalesced(
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        passes += 1;
        if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
        active -= 1;
      },
      () => undefined,
    );
    const first = runner.trigger();
    const during = [runner.trigger(), runner.trigger(), runner.trigger()];
    release!();
    await Promise.all([first, ...during]);
    expect(passes).toBe(2);
    expect(maxActive).toBe(1);
  });

  it('reports a failed pass and gives its error to the triggers it covered; the next pass runs anyway', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const runner = coalesced(
      async () => {
        if (fail) throw new Error('boom');
      },
      (error) => errors.push(error),
    );
    expect(await runner.trigger()).toEqual(new Error('boom'));
    fail = false;
    expect(await runner.trigger()).toBeNull();
    expect(errors).toHaveLength(1);
    await runner.settled();
  });
});
