import { describe, expect, it } from 'vitest';
import { ParamStore, createRng } from '@collab-ts/core';
import type { Gradients, ParamKind } from '@collab-ts/core';
import { adam } from './adam.js';
import { sgd } from './sgd.js';
import type { Optimizer, SparseMode } from './types.js';
import { randomRows } from './test-helpers.js';

const ROWS = 12;
const DIM = 4;

function store(kind: ParamKind): ParamStore {
  const rng = createRng(3);
  const s = new ParamStore();
  s.add('emb', [ROWS, DIM], Float32Array.from({ length: ROWS * DIM }, () => rng.normal()), { kind });
  return s;
}

type Build = (s: ParamStore, mode: SparseMode) => Optimizer;

const builders: [string, Build][] = [
  ['adamW', (s, sparseMode) => adam(s, { lr: 0.01, wd: 0.1, sparseMode })],
  ['adam + L2', (s, sparseMode) => adam(s, { lr: 0.01, wd: 0.1, decoupledWd: false, sparseMode })],
  ['sgd nesterov', (s, sparseMode) => sgd(s, { lr: 0.05, momentum: 0.9, nesterov: true, wd: 0.01, sparseMode })],
];

/** The same random batches as sparse row gradients and as dense gradients with zero rows elsewhere. */
function batches(n: number): { sparse: Gradients; dense: Gradients }[] {
  const rng = createRng(4);
  const out = [];
  for (let t = 0; t < n; t++) {
    const rows = randomRows(rng, ROWS, 1 + rng.int(4));
    const values = Float32Array.from({ length: rows.length * DIM }, () => rng.normal());
    const full = new Float32Array(ROWS * DIM);
    rows.forEach((r, k) => full.set(values.subarray(k * DIM, (k + 1) * DIM), r * DIM));
    out.push({
      sparse: new Map([['emb', { kind: 'sparse' as const, rows: Int32Array.from(rows), values, count: rows.length }]]),
      dense: new Map([['emb', { kind: 'dense' as const, values: full }]]),
    });
  }
  return out;
}

describe("sparseMode 'dense'", () => {
  for (const [name, build] of builders) {
    it(`${name}: sparse rows in dense mode equal the dense optimizer on the scattered gradient`, () => {
      const a = store('embedding');
      const b = store('dense');
      const oa = build(a, 'dense');
      const ob = build(b, 'lazy');
      for (const g of batches(50)) {
        oa.step(g.sparse);
        ob.step(g.dense);
      }
      oa.flush();
      expect(a.get('emb').data).toEqual(b.get('emb').data);
    });
  }

  it('differs from lazy mode: momentum keeps moving rows that are not in the batch', () => {
    const a = store('embedding');
    const b = store('embedding');
    const oa = adam(a, { lr: 0.01, wd: 0, sparseMode: 'dense' });
    const ob = adam(b, { lr: 0.01, wd: 0 });
    const g = (row: number): Gradients =>
      new Map([['emb', { kind: 'sparse', rows: Int32Array.of(row), values: new Float32Array(DIM).fill(1), count: 1 }]]);
    oa.step(g(0));
    ob.step(g(0));
    expect(a.get('emb').data).toEqual(b.get('emb').data);
    const before = b.get('emb').data.slice();
    oa.step(g(1));
    ob.step(g(1));
    expect(b.get('emb').data.subarray(0, DIM)).toEqual(before.subarray(0, DIM)); // lazy: row 0 stays
    expect(a.get('emb').data.subarray(0, DIM)).not.toEqual(before.subarray(0, DIM)); // dense: row 0 moves on momentum
  });

  it('a dense gradient for an embedding table in lazy mode first flushes its pending decay', () => {
    const a = store('embedding');
    const b = store('embedding');
    const oa = sgd(a, { lr: 0.1, wd: 0.5 });
    const ob = sgd(b, { lr: 0.1, wd: 0.5, sparseMode: 'dense' });
    const [first, second] = batches(2);
    oa.step(first.sparse);
    ob.step(first.sparse);
    oa.step(second.dense);
    ob.step(second.dense);
    oa.flush();
    const da = a.get('emb').data;
    const db = b.get('emb').data;
    for (let i = 0; i < da.length; i++) expect(da[i]).toBeCloseTo(db[i], 6);
  });
});
