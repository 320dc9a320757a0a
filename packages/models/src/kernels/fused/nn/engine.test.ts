import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../config.js';
import { createModel, initParams } from '../../../create.js';
import { Model } from '../../../model.js';
import { f64DenseOps } from '../../../testing/f64-dense-ops.js';
import { denseGrads, finiteDifferenceCheck, maxRelDiff, randomBatch } from '../../../testing/helpers.js';
import type { ModelOptions } from '../../../types.js';
import { FusedNNEngine } from './engine.js';

const base = { nUsers: 9, nItems: 8, userEmbSize: 4, itemEmbSize: 3, initStd: 0.8 };
const cases: { name: string; opts: Partial<ModelOptions>; training: boolean; loss: 'mse' | 'bce' }[] = [
  { name: 'batch norm, training mode', opts: { layers: [7, 5] }, training: true, loss: 'mse' },
  { name: 'batch norm, eval mode', opts: { layers: [7, 5] }, training: false, loss: 'mse' },
  { name: 'no batch norm (Linear bias), no y-range, BCE', opts: { layers: [6], batchNorm: false, yRange: null }, training: true, loss: 'bce' },
];

/** The fused engine's layer code on a float64 backend (the production one stores float32). */
function f64Model(opts: Partial<ModelOptions>, params = initParams(resolveConfig('embedding-nn', { ...base, ...opts }))): Model {
  const config = resolveConfig('embedding-nn', { ...base, ...opts });
  return new Model(config, params, new FusedNNEngine(config, params, f64DenseOps()));
}

describe('fused embedding-nn', () => {
  for (const c of cases) {
    it(`${c.name}: gradients match finite differences (float64 backend)`, () => {
      const model = f64Model(c.opts);
      const batch = randomBatch(4, 9, 8, 24, c.loss === 'bce');
      // ReLU kinks make a few entries non-differentiable at the probe; a small eps keeps us off them
      const r = finiteDifferenceCheck(model, batch, { eps: 1e-3, count: 8, loss: c.loss, training: c.training });
      expect(r.checked).toBeGreaterThan(20);
      expect(r.worst, r.where).toBeLessThan(1e-3);
    });

    it(`${c.name}: the float32 SIMD-GEMM engine agrees with the float64 one`, async () => {
      const config = resolveConfig('embedding-nn', { ...base, ...c.opts });
      const params = initParams(config);
      const f64 = f64Model(c.opts, params.clone());
      const f32 = await createModel('embedding-nn', { ...base, ...c.opts, backend: 'fused' });
      for (const p of params.list()) f32.params.get(p.name).data.set(p.data);
      for (let step = 0; step < 3; step++) {
        const batch = randomBatch(10 + step, 9, 8, 37, c.loss === 'bce');
        const a = f64.lossAndGrads(batch, { loss: c.loss, training: c.training });
        const ga = denseGrads(f64, a.grads);
        const b = f32.lossAndGrads(batch, { loss: c.loss, training: c.training });
        const gb = denseGrads(f32, b.grads);
        expect(Math.abs(a.loss - b.loss) / Math.max(1, a.loss)).toBeLessThan(1e-5);
        for (const [name, g] of ga) expect(maxRelDiff(g, gb.get(name)!), name).toBeLessThan(1e-5);
        expect(maxRelDiff(f64.predict(batch.users, batch.items), f32.predict(batch.users, batch.items))).toBeLessThan(1e-5);
      }
    });
  }

  it('one seed, one thread: the same batches give the same bits (dropout included)', async () => {
    const opts = { ...base, layers: [12, 6], dropout: [0.3, 0.1], embDropout: 0.2, backend: 'fused' as const, seed: 5 };
    const run = async () => {
      const model = await createModel('embedding-nn', opts);
      const out: number[] = [];
      for (let step = 0; step < 4; step++) {
        // batches of 50 and then 2000 rows: the activations are reallocated in between
        const { loss, grads } = model.lossAndGrads(randomBatch(step, 9, 8, step < 2 ? 50 : 2000));
        out.push(loss, ...Array.from(denseGrads(model, grads).get('layers.0.0.weight')!));
      }
      return out;
    };
    expect(await run()).toEqual(await run());
  });

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
