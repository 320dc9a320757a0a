import { describe, expect, it } from 'vitest';
import { IndexRangeError } from '@collab-ts/core';
import { createModel } from '../create.js';
import { denseGrads, randomBatch } from '../testing/helpers.js';
import { dotLayout } from './dot-family.js';

describe('dot-family models', () => {
  it('dot-bias-raw gives identical results to dot-bias for identical parameters', async () => {
    const a = await createModel('dot-bias', { nUsers: 30, nItems: 20, factors: 7, initStd: 0.3, seed: 1, backend: 'fused' });
    const b = await createModel('dot-bias-raw', { nUsers: 30, nItems: 20, factors: 7, seed: 99, backend: 'fused' });
    const la = dotLayout('dot-bias');
    const lb = dotLayout('dot-bias-raw');
    const pairs = [
      [la.userFactors, lb.userFactors],
      [la.itemFactors, lb.itemFactors],
      [la.userBias!, lb.userBias!],
      [la.itemBias!, lb.itemBias!],
    ] as const;
    for (const [x, y] of pairs) b.params.get(y).data.set(a.params.get(x).data);
    expect(b.params.get(lb.userBias!).shape).toEqual([30]);
    expect(a.params.get(la.userBias!).shape).toEqual([30, 1]);
    const batch = randomBatch(2, 30, 20, 64);
    const ra = a.lossAndGrads(batch);
    const ga = denseGrads(a, ra.grads);
    const rb = b.lossAndGrads(batch);
    const gb = denseGrads(b, rb.grads);
    expect(rb.loss).toBe(ra.loss);
    for (const [x, y] of pairs) expect(Array.from(gb.get(y)!)).toEqual(Array.from(ga.get(x)!));
    expect(Array.from(b.predict(batch.users, batch.items))).toEqual(Array.from(a.predict(batch.users, batch.items)));
  });

  it('the same seed gives the same init, another seed a different one', async () => {
    for (const kind of ['dot', 'dot-bias', 'embedding-dot-bias', 'embedding-nn'] as const) {
      const a = await createModel(kind, { nUsers: 10, nItems: 12, seed: 5 });
      const b = await createModel(kind, { nUsers: 10, nItems: 12, seed: 5 });
      const c = await createModel(kind, { nUsers: 10, nItems: 12, seed: 6 });
      for (const p of a.params.list()) expect(Array.from(b.params.get(p.name).data)).toEqual(Array.from(p.data));
      const first = a.params.list()[0].name;
      expect(Array.from(c.params.get(first).data)).not.toEqual(Array.from(a.params.get(first).data));
    }
  });

  it('initialises embeddings with std initStd (fastai truncated normal) and exposes factor tables', async () => {
    const m = await createModel('embedding-dot-bias', { nUsers: 400, nItems: 300, factors: 50 });
    const f = m.factors()!;
    let s = 0;
    let max = 0;
    for (const v of f.userFactors) {
      s += v * v;
      max = Math.max(max, Math.abs(v));
    }
    expect(Math.sqrt(s / f.userFactors.length)).toBeGreaterThan(0.0085);
    expect(Math.sqrt(s / f.userFactors.length)).toBeLessThan(0.0105);
    expect(max).toBeLessThanOrEqual(0.02);
    expect(f.dim).toBe(50);
    expect(f.yRange).toEqual([0, 5.5]);
    expect(f.userBias!.length).toBe(400);
  });

  it('rejects out-of-range indices and bad options with clear errors', async () => {
    const m = await createModel('dot-bias', { nUsers: 5, nItems: 4 });
    expect(() => m.predict(new Int32Array([5]), new Int32Array([0]))).toThrow(/user index 5 .*5 users, 0\.\.4/);
    expect(() => m.predict(new Int32Array([0, 1]), new Int32Array([0, -1]))).toThrow(/item index -1 \(position 1\)/);
    expect(() => m.lossAndGrads({ users: new Int32Array([0]), items: new Int32Array([9]), ratings: new Float32Array([1]) })).toThrow(IndexRangeError);
    await expect(createModel('dot', { nUsers: 0, nItems: 3 })).rejects.toThrow(/nUsers must be a positive integer/);
    await expect(createModel('nope' as never, { nUsers: 2, nItems: 3 })).rejects.toThrow(/unknown model kind/);
    await expect(createModel('dot', { nUsers: 2, nItems: 3, yRange: [5, 1] })).rejects.toThrow(/yRange/);
    await expect(createModel('dot', { nUsers: 2, nItems: 3, backend: 'gpu' as never })).rejects.toThrow(/unknown backend/);
    await expect(createModel('embedding-nn', { nUsers: 2, nItems: 3, layers: [4, 4], dropout: [0.1] })).rejects.toThrow(/dropout/);
  });

  it("backend 'tensorflow' without tfjs-node installed says what to install", async () => {
    await expect(createModel('dot', { nUsers: 2, nItems: 3, backend: 'tensorflow' })).rejects.toThrow(/npm install @tensorflow\/tfjs-node/);
  });
});
