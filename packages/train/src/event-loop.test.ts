import { afterEach, describe, expect, it, vi } from 'vitest';
import { Learner } from './learner.js';
import { YIELD_EVERY_MS } from './event-loop.js';
import { fixture, modelFor } from './fixture.test-helpers.js';

const { ds, split } = fixture();

describe('a long fit shares the event loop', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('lets timers run between batches once it has computed for a while', async () => {
    const learn = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, valid: split.valid, seed: 42 });
    // every clock reading is a yield interval later: the fit yields after every batch
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (now += YIELD_EVERY_MS));
    let fitting = true;
    let ticksDuringFit = 0;
    const timer = setInterval(() => {
      if (fitting) ticksDuringFit++;
    }, 0);
    await learn.fit(1, 1e-3);
    fitting = false;
    clearInterval(timer);
    // without yielding, no timer could fire before the fit's promise settled
    expect(ticksDuringFit).toBeGreaterThan(10);
  });

  it('gives the same losses whether it yields after every batch or never', async () => {
    const run = async (clock: () => number): Promise<number[]> => {
      vi.spyOn(performance, 'now').mockImplementation(clock);
      const learn = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, valid: split.valid, seed: 42 });
      await learn.fitOneCycle(2, 5e-3, { wd: 0.1 });
      vi.restoreAllMocks();
      return learn.recorder.losses;
    };
    let t = 0;
    const yielding = await run(() => (t += YIELD_EVERY_MS));
    const never = await run(() => 0);
    expect(yielding).toEqual(never);
  });
});
