import { describe, expect, it } from 'vitest';
import { ParamStore, UsageError } from '@collab-ts/core';
import { sgd } from './sgd.js';
import { denseGrad, denseStore, sparseGrad } from './test-helpers.js';

const close = (a: ArrayLike<number>, b: number[], digits = 6): void => {
  expect(a.length).toBe(b.length);
  b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, digits));
};

describe('sgd, dense, hand-computed', () => {
  it('plain SGD: p -= lr * g', () => {
    const store = denseStore([1, -2]);
    const opt = sgd(store, { lr: 0.1 });
    opt.step(denseGrad([0.5, 1])); // [1 - 0.05, -2 - 0.1]
    close(store.get('w').data, [0.95, -2.1]);
    opt.step(denseGrad([-1, 0.5])); // [0.95 + 0.1, -2.1 - 0.05]
    close(store.get('w').data, [1.05, -2.15]);
    expect(opt.stepCount).toBe(2);
  });

  it('momentum 0.9: buf = 0.9 buf + g, p -= lr buf', () => {
    const store = denseStore([1]);
    const opt = sgd(store, { lr: 0.1, momentum: 0.9 });
    opt.step(denseGrad([1])); // buf 1, p = 1 - 0.1 = 0.9
    close(store.get('w').data, [0.9]);
    opt.step(denseGrad([1])); // buf 0.9 + 1 = 1.9, p = 0.9 - 0.19 = 0.71
    close(store.get('w').data, [0.71]);
    opt.step(denseGrad([-0.5])); // buf 1.71 - 0.5 = 1.21, p = 0.71 - 0.121 = 0.589
    close(store.get('w').data, [0.589]);
  });

  it('Nesterov: p -= lr (g + mom buf)', () => {
    const store = denseStore([1]);
    const opt = sgd(store, { lr: 0.1, momentum: 0.9, nesterov: true });
    opt.step(denseGrad([1])); // buf 1, d = 1 + 0.9 = 1.9, p = 1 - 0.19 = 0.81
    close(store.get('w').data, [0.81]);
    opt.step(denseGrad([1])); // buf 1.9, d = 1 + 1.71 = 2.71, p = 0.81 - 0.271 = 0.539
    close(store.get('w').data, [0.539]);
  });

  it('L2 weight decay adds wd p to the gradient (before momentum)', () => {
    const store = denseStore([1]);
    const opt = sgd(store, { lr: 0.1, momentum: 0.9, wd: 0.1, decoupledWd: false });
    opt.step(denseGrad([0.5])); // g' = 0.5 + 0.1 = 0.6, buf 0.6, p = 1 - 0.06 = 0.94
    close(store.get('w').data, [0.94]);
    opt.step(denseGrad([0.5])); // g' = 0.5 + 0.094 = 0.594, buf 0.54 + 0.594 = 1.134, p = 0.94 - 0.1134 = 0.8266
    close(store.get('w').data, [0.8266]);
  });

  it('decoupled weight decay multiplies p by 1 - lr wd, outside momentum', () => {
    const store = denseStore([1]);
    const opt = sgd(store, { lr: 0.1, momentum: 0.9, wd: 0.1 });
    opt.step(denseGrad([0.5])); // buf 0.5, p = 1 * 0.99 - 0.05 = 0.94
    close(store.get('w').data, [0.94]);
    opt.step(denseGrad([0.5])); // buf 0.45 + 0.5 = 0.95, p = 0.94 * 0.99 - 0.095 = 0.8356
    close(store.get('w').data, [0.8356]);
  });

  it('no decay on parameters with decay: false', () => {
    const store = denseStore([1], false);
    const opt = sgd(store, { lr: 0.1, wd: 0.5 });
    opt.step(denseGrad([0]));
    close(store.get('w').data, [1]);
  });

  it('momentum 0 keeps no buffer, so setting mom later changes nothing (as fastai)', () => {
    const a = denseStore([1]);
    const b = denseStore([1]);
    const oa = sgd(a, { lr: 0.1 });
    const ob = sgd(b, { lr: 0.1 });
    ob.mom = 0.9;
    for (let i = 0; i < 3; i++) {
      oa.step(denseGrad([1]));
      ob.step(denseGrad([1]));
    }
    expect(ob.hasMomentum).toBe(false);
    expect(b.get('w').data).toEqual(a.get('w').data);
  });
});

describe('sgd, sparse rows', () => {
  function table(): ParamStore {
    const store = new ParamStore();
    store.add('emb', [4, 2], Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), { kind: 'embedding' });
    return store;
  }

  it('updates only the rows in the batch, with per-row momentum', () => {
    const store = table();
    const opt = sgd(store, { lr: 0.1, momentum: 0.9 });
    opt.step(sparseGrad('emb', [[2, [1, -1]], [0, [0.5, 0.5]]]));
    // row 2: buf [1, -1], p = [5 - 0.1, 6 + 0.1]; row 0: buf [0.5, 0.5], p = [1 - 0.05, 2 - 0.05]
    close(store.get('emb').data, [0.95, 1.95, 3, 4, 4.9, 6.1, 7, 8]);
    opt.step(sparseGrad('emb', [[2, [1, 1]]]));
    // row 2: buf [0.9 + 1, -0.9 + 1] = [1.9, 0.1], p = [4.9 - 0.19, 6.1 - 0.01]; row 0 untouched (lazy)
    close(store.get('emb').data, [0.95, 1.95, 3, 4, 4.71, 6.09, 7, 8]);
  });

  it('lazy decoupled decay: untouched rows catch up when touched or flushed', () => {
    const store = table();
    const opt = sgd(store, { lr: 0.1, wd: 0.5 }); // factor 1 - 0.05 = 0.95 per step
    opt.step(sparseGrad('emb', [[1, [0, 0]]])); // row 1: [3, 4] * 0.95
    close(store.get('emb').data, [1, 2, 2.85, 3.8, 5, 6, 7, 8]);
    opt.step(sparseGrad('emb', [[0, [1, 0]]])); // row 0: [1, 2] * 0.95^2 - [0.1, 0]
    close(store.get('emb').data, [0.9025 - 0.1, 1.805, 2.85, 3.8, 5, 6, 7, 8]);
    opt.flush(); // every row now carries both steps' decay
    const f2 = 0.95 * 0.95;
    close(store.get('emb').data, [0.8025, 1.805, 2.85 * 0.95, 3.8 * 0.95, 5 * f2, 6 * f2, 7 * f2, 8 * f2], 5);
    opt.flush(); // idempotent
    close(store.get('emb').data, [0.8025, 1.805, 2.85 * 0.95, 3.8 * 0.95, 5 * f2, 6 * f2, 7 * f2, 8 * f2], 5);
  });

  it('L2 decay with sparse gradients reaches only the rows in the batch', () => {
    const store = table();
    const opt = sgd(store, { lr: 0.1, wd: 0.5, decoupledWd: false });
    opt.step(sparseGrad('emb', [[3, [0, 0]]])); // row 3: g' = 0.5 * [7, 8], p = [7, 8] - 0.05 * [7, 8]
    opt.flush();
    close(store.get('emb').data, [1, 2, 3, 4, 5, 6, 6.65, 7.6], 5);
  });

  it('rejects bad gradients before changing anything', () => {
    const store = table();
    store.add('b', [2]);
    const opt = sgd(store, { lr: 0.1 });
    const before = store.get('emb').data.slice();
    const good = sparseGrad('emb', [[0, [1, 1]]]);
    const withBad = (name: string, g: unknown) => new Map([...good, [name, g]]) as never;
    expect(() => opt.step(withBad('nope', { kind: 'dense', values: new Float32Array(2) }))).toThrow(UsageError);
    expect(() => opt.step(withBad('b', { kind: 'dense', values: new Float32Array(3) }))).toThrow(/2/);
    expect(() => opt.step(sparseGrad('emb', [[0, [1, 1]], [0, [1, 1]]]))).toThrow(/twice/);
    expect(() => opt.step(sparseGrad('emb', [[4, [1, 1]]]))).toThrow(/out of range/);
    expect(() => opt.step(withBad('b', { kind: 'sparse', rows: new Int32Array(1), values: new Float32Array(1), count: 1 }))).toThrow(/not an embedding/);
    expect(store.get('emb').data).toEqual(before);
    expect(opt.stepCount).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => sgd(table(), { lr: -1 })).toThrow(UsageError);
    expect(() => sgd(table(), { lr: 0.1, momentum: 1.5 })).toThrow(UsageError);
    expect(() => sgd(table(), { lr: 0.1, nesterov: true })).toThrow(/momentum/);
    expect(() => sgd(table(), { lr: 0.1, wd: Number.NaN })).toThrow(UsageError);
    expect(() => sgd(table(), { lr: 0.1, sparseMode: 'eager' as never })).toThrow(UsageError);
  });
});
