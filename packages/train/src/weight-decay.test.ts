import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import { generateSynthetic } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import { adam } from '@collab-ts/optim';
import type { Optimizer } from '@collab-ts/optim';
import { Learner } from './learner.js';
import { fixture, modelFor } from './fixture.test-helpers.js';
import { WD_REFERENCE_RATINGS, resolveWd } from './weight-decay.js';

describe('resolveWd', () => {
  it("'auto' keeps fastai's per-step decay up to 100k training ratings and fixes the decay of an epoch above", () => {
    expect(resolveWd('auto', 0.1, 80_000)).toEqual({ mode: 'step', wd: 0.1, decoupled: true });
    expect(resolveWd('auto', 0.1, WD_REFERENCE_RATINGS)).toEqual({ mode: 'step', wd: 0.1, decoupled: true });
    expect(resolveWd('auto', 0.1, 4_000_000)).toEqual({ mode: 'epoch', wd: expect.closeTo(0.0025, 15), decoupled: true });
    expect(resolveWd('step', 0.1, 4_000_000)).toEqual({ mode: 'step', wd: 0.1, decoupled: true });
    expect(resolveWd('touch', 1e-3, 4_000_000)).toEqual({ mode: 'touch', wd: 1e-3, decoupled: false });
  });

  it("'epoch': the decay of an epoch (per-step coefficient times steps) is the same at every size above 100k", () => {
    const perEpoch = (n: number): number => resolveWd('epoch', 0.1, n).wd * (n / 64);
    expect(perEpoch(200_000)).toBeCloseTo(perEpoch(25_000_000), 9);
    expect(perEpoch(200_000)).toBeCloseTo(0.1 * (WD_REFERENCE_RATINGS / 64), 9);
    // and it is 'step' below: the per-step coefficient is kept
    expect(resolveWd('epoch', 0.1, 50_000).wd).toBe(0.1);
  });

  it('rejects an unknown mode or a bad coefficient', () => {
    expect(() => resolveWd('daily' as never, 0.1, 10)).toThrow(UsageError);
    expect(() => resolveWd('auto', -1, 10)).toThrow(/wd must be/);
  });
});

describe('weight decay modes in a fit', () => {
  it("on small data 'auto' trains exactly as 'step' (the fastai-faithful figures do not move)", async () => {
    const { ds, split } = fixture();
    const fit = async (wdMode: 'auto' | 'step'): Promise<number[]> => {
      const learn = new Learner({ model: await modelFor(ds, 'dot-bias', { factors: 8 }), train: split.train, valid: split.valid, bs: 64, seed: 42 });
      const r = await learn.fitOneCycle(2, 5e-3, { wd: 0.1, wdMode });
      expect(learn.weightDecay).toEqual({ mode: 'step', wd: 0.1, decoupled: true });
      return r.epochs.map((e) => e.validLoss!);
    };
    expect(await fit('auto')).toEqual(await fit('step'));
  });

  it("above 100k ratings the optimizer gets the per-epoch coefficient; 'touch' gets L2", async () => {
    const { dataset } = generateSynthetic({ users: 500, items: 400, ratings: 125_000, factors: 4, seed: 3, titles: false });
    const seen: { wd: number; decoupledWd: boolean }[] = [];
    const optimizer = (params: Parameters<typeof adam>[0], h: { lr: number; wd: number; decoupledWd: boolean }): Optimizer => {
      seen.push({ wd: h.wd, decoupledWd: h.decoupledWd });
      return adam(params, { ...h, sparseMode: 'catch-up' });
    };
    const model = await createModel('dot-bias', { nUsers: dataset.users.size, nItems: dataset.items.size, factors: 2 });
    const learn = new Learner({ model, train: dataset.ratings, bs: 4096, optimizer });
    await learn.fitOneCycle(1, 5e-3, { wd: 0.1 });
    await learn.fitOneCycle(1, 5e-3, { wd: 1e-3, wdMode: 'touch' });
    expect(seen[0].decoupledWd).toBe(true);
    expect(seen[0].wd).toBeCloseTo(0.1 * (100_000 / 125_000), 12);
    expect(seen[1]).toEqual({ wd: 1e-3, decoupledWd: false });
  });
});
