import { describe, expect, it } from 'vitest';
import { ParamStore, UsageError } from '@collab-ts/core';
import { adam, adamW } from './adam.js';
import { denseGrad, denseStore, sparseGrad } from './test-helpers.js';

const close = (a: ArrayLike<number>, b: number[], digits = 6): void => {
  expect(a.length).toBe(b.length);
  b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, digits));
};

// Worked by hand with fastai's defaults beta1 0.9, beta2 0.99, eps 1e-5, lr 0.1, p0 = 1, g = 0.5 then -1.
// step 1: m = 0.1 * 0.5 = 0.05, v = 0.01 * 0.25 = 0.0025; debias1 = 1 - 0.9 = 0.1, debias2 = 1 - 0.99 = 0.01
//         m^ = 0.5, sqrt(v^) = 0.5, step = 0.1 * 0.5 / (0.5 + 1e-5) = 0.09999800004; p = 0.90000199996
// step 2: m = 0.045 - 0.1 = -0.055, v = 0.002475 + 0.01 = 0.012475; debias1 = 0.19, debias2 = 0.0199
//         m^ = -0.28947368, sqrt(v^) = sqrt(0.62688442) = 0.79175, step = 0.1 * -0.28947368 / 0.79176 = -0.0365603
//         p = 0.90000200 + 0.0365603 = 0.93656231
describe('adam, dense, hand-computed', () => {
  it('bias-corrected steps (no weight decay)', () => {
    const store = denseStore([1]);
    const opt = adam(store, { lr: 0.1, wd: 0 });
    opt.step(denseGrad([0.5]));
    close(store.get('w').data, [0.900002]);
    opt.step(denseGrad([-1]));
    close(store.get('w').data, [0.936562]);
    const st = opt.state();
    close(st.arrays['w.m'], [-0.055]);
    close(st.arrays['w.v'], [0.012475]);
    expect(st.scalars['w.count']).toBe(2);
  });

  it('decoupled weight decay (AdamW): p = p (1 - lr wd) - step, moments see only g', () => {
    const store = denseStore([1]);
    const opt = adamW(store, { lr: 0.1, wd: 0.1 });
    opt.step(denseGrad([0.5])); // 1 * 0.99 - 0.09999800 = 0.89000200
    close(store.get('w').data, [0.890002]);
    opt.step(denseGrad([-1])); // 0.89000200 * 0.99 + 0.0365603 = 0.91766228
    close(store.get('w').data, [0.917662]);
  });

  it('L2 weight decay: g + wd p goes into the moments', () => {
    const store = denseStore([1]);
    const opt = adam(store, { lr: 0.1, wd: 0.1, decoupledWd: false });
    // step 1: g' = 0.5 + 0.1 = 0.6: m^ = 0.6, sqrt(v^) = 0.6, step = 0.1 * 0.6 / 0.60001 = 0.09999833; p = 0.90000167
    opt.step(denseGrad([0.5]));
    close(store.get('w').data, [0.9000017]);
    // step 2: g' = -1 + 0.09000017 = -0.90999983; m = 0.054 - 0.090999983 = -0.03699998;
    // v = 0.003564 + 0.01 * 0.82809969 = 0.01184500; m^ = -0.19473676, sqrt(v^) = sqrt(0.59522613) = 0.77150900
    // step = 0.1 * -0.19473676 / 0.77151900 = -0.02524092; p = 0.92524259
    opt.step(denseGrad([-1]));
    close(store.get('w').data, [0.925242]);
  });

  it('beta1 is the optimizer mom and can change between steps', () => {
    const store = denseStore([1]);
    const opt = adam(store, { lr: 0.1, wd: 0, beta1: 0.5 });
    expect(opt.mom).toBe(0.5);
    opt.step(denseGrad([2])); // m = 1, m^ = 2, v^ = 4: step = 0.1 * 2 / (2 + 1e-5)
    close(store.get('w').data, [1 - 0.2 / 2.00001]);
    opt.mom = 0; // m = g, debias1 = 1
    opt.step(denseGrad([1])); // v = 0.99 * 0.04 + 0.01 = 0.0496, v^ = 0.0496 / 0.0199; step = 0.1 * 1 / (sqrt(v^) + 1e-5)
    close(store.get('w').data, [1 - 0.2 / 2.00001 - 0.1 / (Math.sqrt(0.0496 / 0.0199) + 1e-5)]);
  });

  it('rejects bad options', () => {
    expect(() => adam(denseStore([1]), { lr: 0.1, beta2: 1 })).toThrow(UsageError);
    expect(() => adam(denseStore([1]), { lr: 0.1, eps: 0 })).toThrow(UsageError);
    expect(() => adam(denseStore([1]), { lr: 0.1, beta1: -0.1 })).toThrow(UsageError);
  });
});

describe('adam, sparse rows (lazy)', () => {
  function table(): ParamStore {
    const store = new ParamStore();
    store.add('emb', [3, 1], Float32Array.from([1, 1, 1]), { kind: 'embedding' });
    return store;
  }

  it('keeps m, v and a step count per row; untouched rows do not move', () => {
    const store = table();
    const opt = adam(store, { lr: 0.1, wd: 0 });
    opt.step(sparseGrad('emb', [[0, [0.5]]])); // row 0 at its step 1
    close(store.get('emb').data, [0.900002, 1, 1]);
    opt.step(sparseGrad('emb', [[2, [0.5]]])); // row 2 at ITS step 1: the same update as row 0's first one
    close(store.get('emb').data, [0.900002, 1, 0.900002]);
    opt.step(sparseGrad('emb', [[0, [-1]]])); // row 0 at its step 2
    close(store.get('emb').data, [0.936562, 1, 0.900002]);
    const st = opt.state();
    expect([...st.arrays['emb.count']]).toEqual([2, 0, 1]);
  });

  it('lazy decoupled decay: row 1 untouched for 3 steps is multiplied by 0.99^3 when flushed', () => {
    const store = table();
    const opt = adamW(store, { lr: 0.1, wd: 0.1 });
    for (let i = 0; i < 3; i++) opt.step(sparseGrad('emb', [[0, [0.5]]]));
    expect(store.get('emb').data[1]).toBe(1);
    opt.flush();
    close(store.get('emb').data.subarray(1), [0.99 ** 3, 0.99 ** 3]);
  });
});
