import { createRng, rowSize } from '@collab-ts/core';
import type { Gradients, ParamStore, RatingBatch } from '@collab-ts/core';
import { describe, expect, it } from 'vitest';
import { createModel } from './create.js';
import type { BackendName, CollabModel, ModelKind, ModelOptions } from './types.js';

/** A tiny lazy Adam: updates only the rows (sparse) or all entries (dense) that have a gradient. */
function adam(params: ParamStore, lr: number): (grads: Gradients) => void {
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  const t = new Map<string, Float32Array>();
  const b1 = 0.9;
  const b2 = 0.999;
  for (const p of params.list()) {
    m.set(p.name, new Float32Array(p.data.length));
    v.set(p.name, new Float32Array(p.data.length));
    t.set(p.name, new Float32Array(p.data.length));
  }
  const step = (name: string, i: number, g: number): void => {
    const p = params.get(name).data;
    const mm = m.get(name)!;
    const vv = v.get(name)!;
    const tt = t.get(name)!;
    tt[i] += 1;
    mm[i] = b1 * mm[i] + (1 - b1) * g;
    vv[i] = b2 * vv[i] + (1 - b2) * g * g;
    p[i] -= (lr * (mm[i] / (1 - b1 ** tt[i]))) / (Math.sqrt(vv[i] / (1 - b2 ** tt[i])) + 1e-8);
  };
  return (grads) => {
    for (const [name, g] of grads) {
      if (g.kind === 'dense') for (let i = 0; i < g.values.length; i++) step(name, i, g.values[i]);
      else {
        const w = rowSize(params.get(name));
        for (let k = 0; k < g.count; k++) for (let j = 0; j < w; j++) step(name, g.rows[k] * w + j, g.values[k * w + j]);
      }
    }
  };
}

function slice(b: RatingBatch, from: number, to: number): RatingBatch {
  return { users: b.users.subarray(from, to), items: b.items.subarray(from, to), ratings: b.ratings.subarray(from, to) };
}

function fit(model: CollabModel, data: RatingBatch, epochs: number, bs: number, lr: number): void {
  const apply = adam(model.params, lr);
  for (let e = 0; e < epochs; e++) {
    for (let s = 0; s < data.ratings.length; s += bs) apply(model.lossAndGrads(slice(data, s, Math.min(data.ratings.length, s + bs))).grads);
  }
}

function ranks(x: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(x.length);
  idx.forEach((i, k) => (r[i] = k));
  return r;
}

function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const mean = (n - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}

describe('training', () => {
  const overfit: { kind: ModelKind; opts: Partial<ModelOptions>; backend: BackendName }[] = [
    { kind: 'dot', opts: { yRange: null }, backend: 'fused' },
    { kind: 'dot-bias', opts: {}, backend: 'fused' },
    { kind: 'dot-bias-raw', opts: {}, backend: 'fused' },
    { kind: 'embedding-dot-bias', opts: {}, backend: 'fused' },
    { kind: 'embedding-nn', opts: { layers: [32, 16] }, backend: 'fused' },
    { kind: 'dot-bias', opts: {}, backend: 'cpu' },
    { kind: 'embedding-nn', opts: { layers: [32, 16] }, backend: 'cpu' },
  ];
  for (const c of overfit) {
    it(`${c.kind} on ${c.backend} overfits a tiny dataset`, async () => {
      const model = await createModel(c.kind, { nUsers: 8, nItems: 7, factors: 6, initStd: 0.1, backend: c.backend, ...c.opts });
      // 30 distinct (user, item) pairs, so a perfect fit exists
      const rng = createRng(11);
      const pairs = rng.permutation(56).subarray(0, 30);
      const data = {
        users: Int32Array.from(pairs, (p) => p % 8),
        items: Int32Array.from(pairs, (p) => Math.floor(p / 8)),
        ratings: Float32Array.from(pairs, () => 1 + rng.int(5)),
      };
      const start = model.evaluateLoss(data);
      fit(model, data, 400, 30, 0.05);
      const end = model.lossAndGrads(data, { training: false }).loss;
      expect(start).toBeGreaterThan(0.5);
      expect(end).toBeLessThan(0.02);
    });
  }

  it('dot-bias recovers planted item biases (Spearman > 0.9)', async () => {
    const rng = createRng(2024);
    const nUsers = 300;
    const nItems = 150;
    const k = 4;
    const uf = Float64Array.from({ length: nUsers * k }, () => rng.normal(0, 0.5));
    const vf = Float64Array.from({ length: nItems * k }, () => rng.normal(0, 0.5));
    const ub = Float64Array.from({ length: nUsers }, () => rng.normal(0, 0.3));
    const ib = Float64Array.from({ length: nItems }, () => rng.normal(0, 0.8));
    const n = 30_000;
    const data = { users: new Int32Array(n), items: new Int32Array(n), ratings: new Float32Array(n) };
    for (let r = 0; r < n; r++) {
      const u = rng.int(nUsers);
      const i = rng.int(nItems);
      let x = 3 + ub[u] + ib[i] + rng.normal(0, 0.3);
      for (let j = 0; j < k; j++) x += uf[u * k + j] * vf[i * k + j];
      data.users[r] = u;
      data.items[r] = i;
      data.ratings[r] = x;
    }
    const model = await createModel('dot-bias', { nUsers, nItems, factors: 8, yRange: null, backend: 'fused' });
    fit(model, data, 8, 128, 0.01);
    const learned = model.factors()!.itemBias!;
    expect(spearman(learned, ib)).toBeGreaterThan(0.9);
  });
});
