import { describe, expect, it } from 'vitest';
import { Learner } from './learner.js';
import { lrFind, suggestLearningRates } from './lr-find.js';
import { fixture, modelFor } from './fixture.test-helpers.js';

describe('suggestLearningRates', () => {
  it('finds the valley, the minimum and the steepest fall of a known curve', () => {
    // loss falls from 1 to 0.2 between 1e-5 and 1e-2 (steepest near 1e-3.5), then blows up
    const lrs = Array.from({ length: 100 }, (_, i) => 1e-7 * Math.pow(1e8, i / 99));
    const losses = lrs.map((lr) => {
      const x = Math.log10(lr);
      return x < -2 ? 0.6 - 0.4 * Math.tanh((x + 3.5) * 1.5) : 0.2 + 3 * (x + 2) ** 2;
    });
    const s = suggestLearningRates(lrs, losses);
    expect(Math.log10(s.steep)).toBeCloseTo(-3.5, 0);
    expect(Math.log10(s.minimum)).toBeCloseTo(-3, 0);
    expect(s.valley).toBeGreaterThan(1e-5);
    expect(s.valley).toBeLessThan(1e-2);
  });
});

describe('lrFind', () => {
  it('sweeps up to divergence, suggests a rate that trains well, and restores the parameters', async () => {
    const { ds, split } = fixture();
    // without a yRange nothing bounds the loss, so the sweep must stop on divergence
    const model = await modelFor(ds, 'dot-bias', { yRange: null });
    const before = model.params.clone();
    const learn = new Learner({ model, train: split.train, valid: split.valid });
    const r = lrFind(learn, { numIter: 200 });
    expect(r.diverged).toBe(true);
    expect(r.lrs.length).toBeLessThan(200);
    for (let i = 1; i < r.lrs.length; i++) expect(r.lrs[i]).toBeGreaterThan(r.lrs[i - 1]);
    for (const p of model.params.list()) expect(p.data).toEqual(before.get(p.name).data);
    // Adam on this problem trains well between about 1e-3 and 3e-2; the suggestion must land there
    expect(r.suggested).toBeGreaterThan(5e-4);
    expect(r.suggested).toBeLessThan(5e-2);
    const res = await learn.fitOneCycle(3, r.suggested, { wd: 0.1 });
    expect(res.valid!.mse).toBeLessThan(1.2);
  });
});
