import { describe, expect, it } from 'vitest';
import { createModel } from '../../create.js';
import { finiteDifferenceCheck, randomBatch } from '../../testing/helpers.js';
import type { ModelOptions } from '../../types.js';

const cases: { name: string; opts: Partial<ModelOptions>; training: boolean; loss: 'mse' | 'bce' }[] = [
  { name: 'batch norm, training mode', opts: { layers: [7, 5] }, training: true, loss: 'mse' },
  { name: 'batch norm, eval mode', opts: { layers: [7, 5] }, training: false, loss: 'mse' },
  { name: 'no batch norm (Linear bias), no y-range, BCE', opts: { layers: [6], batchNorm: false, yRange: null }, training: true, loss: 'bce' },
];

describe('fused embedding-nn', () => {
  for (const c of cases) {
    it(`${c.name}: gradients match finite differences`, async () => {
      const model = await createModel('embedding-nn', {
        nUsers: 9,
        nItems: 8,
        userEmbSize: 4,
        itemEmbSize: 3,
        initStd: 0.8,
        backend: 'fused',
        ...c.opts,
      });
      const batch = randomBatch(4, 9, 8, 24, c.loss === 'bce');
      // ReLU kinks make a few entries non-differentiable at the probe; a small eps keeps us off them
      const r = finiteDifferenceCheck(model, batch, { eps: 1e-3, count: 8, loss: c.loss, training: c.training });
      expect(r.checked).toBeGreaterThan(20);
      expect(r.worst, r.where).toBeLessThan(1e-3);
    });
  }

  it('never returns gradients for batch-norm running statistics, and updates them in training', async () => {
    const model = await createModel('embedding-nn', { nUsers: 9, nItems: 8, layers: [5], backend: 'fused' });
    const rm = model.params.get('layers.0.2.running_mean').data;
    const before = rm.slice();
    const { grads } = model.lossAndGrads(randomBatch(1, 9, 8, 16));
    expect(grads.has('layers.0.2.running_mean')).toBe(false);
    expect(grads.has('layers.0.2.running_var')).toBe(false);
    expect(grads.has('layers.0.2.weight')).toBe(true);
    expect(Array.from(rm)).not.toEqual(Array.from(before));
    const after = rm.slice();
    model.lossAndGrads(randomBatch(1, 9, 8, 16), { training: false });
    expect(Array.from(rm)).toEqual(Array.from(after));
  });
});
