import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ParamStore, createRng, sharedFloat32 } from '@collab-ts/core';
import type { Float32Allocator, Gradients } from '@collab-ts/core';
import { adam } from './adam.js';
import { sgd } from './sgd.js';
import type { Optimizer, SparseMode } from './types.js';
import { randomRows } from './test-helpers.js';

const ROWS = 30;
const DIM = 4;

function store(allocate?: Float32Allocator): ParamStore {
  const rng = createRng(5);
  const s = new ParamStore({ allocate });
  s.add('emb', [ROWS, DIM], undefined, { kind: 'embedding' }).data.set(Float32Array.from({ length: ROWS * DIM }, () => rng.normal()));
  s.add('bias', [ROWS, 1], undefined, { kind: 'embedding', decay: false }).data.set(Float32Array.from({ length: ROWS }, () => rng.normal()));
  s.add('w', [3], undefined, { kind: 'dense' }).data.set([0.5, -0.25, 1]);
  return s;
}

function batches(n: number): Gradients[] {
  const rng = createRng(6);
  return Array.from({ length: n }, () => {
    const rows = Int32Array.from(randomRows(rng, ROWS, 1 + rng.int(5)));
    const k = rows.length;
    return new Map([
      ['emb', { kind: 'sparse' as const, rows, values: Float32Array.from({ length: k * DIM }, () => rng.normal()), count: k }],
      ['bias', { kind: 'sparse' as const, rows, values: Float32Array.from({ length: k }, () => rng.normal()), count: k }],
      ['w', { kind: 'dense' as const, values: Float32Array.from({ length: 3 }, () => rng.normal()) }],
    ]);
  });
}

/** sharedFloat32, remembering every array it handed out. */
function recording(): { allocate: Float32Allocator; arrays: Float32Array[] } {
  const arrays: Float32Array[] = [];
  return {
    arrays,
    allocate: (n) => {
      const a = sharedFloat32(n);
      arrays.push(a);
      return a;
    },
  };
}

type Build = (s: ParamStore, mode: SparseMode) => Optimizer;
const builders: [string, Build][] = [
  ['adam', (s, sparseMode) => adam(s, { lr: 0.01, wd: 0.1, sparseMode })],
  ['sgd', (s, sparseMode) => sgd(s, { lr: 0.05, momentum: 0.9, wd: 0.1, sparseMode })],
];

describe('the allocation hook', () => {
  for (const [name, build] of builders) {
    for (const mode of ['lazy', 'catch-up'] as const) {
      it(`${name}, ${mode}: parameters and optimizer state come from the store's allocator, with the heap's results`, () => {
        const rec = recording();
        const shared = store(rec.allocate);
        const paramArrays = rec.arrays.length;
        const opt = build(shared, mode);
        // every per-parameter state table went through the hook (Adam: m, v and counts; SGD: momentum;
        // plus the sparse mode's per-row bookkeeping of the embedding tables)
        const stateArrays = rec.arrays.length - paramArrays;
        const perParam = name === 'adam' ? 3 : 1;
        // lazy: one decay log for the decayed table; catch-up: the last step of each row, per embedding table
        const bookkeeping = mode === 'catch-up' ? 2 : 1;
        expect(stateArrays).toBe(3 * perParam + bookkeeping);
        for (const p of shared.list()) expect(p.data.buffer).toBeInstanceOf(SharedArrayBuffer);
        for (const a of rec.arrays) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);

        const heap = store();
        const ref = build(heap, mode);
        for (const g of batches(40)) {
          opt.step(g);
          ref.step(g);
        }
        opt.flush();
        ref.flush();
        for (const p of heap.list()) expect(shared.get(p.name).data).toEqual(p.data);
        expect(opt.state()).toEqual(ref.state());
      });
    }
  }

  it('an explicit allocate option overrides the store: the state goes where it says', () => {
    const rec = recording();
    const s = store();
    adam(s, { lr: 0.01, sparseMode: 'catch-up', allocate: rec.allocate });
    expect(rec.arrays.length).toBe(3 * 3 + 2);
  });

  it('a worker thread writes into the shared tables and the optimizer sees it', async () => {
    const s = store(sharedFloat32);
    const opt = adam(s, { lr: 0.01, wd: 0, sparseMode: 'catch-up' });
    const [g] = batches(1);
    opt.step(g);
    const emb = s.get('emb').data;
    const before = emb.slice();
    // the worker doubles every value of the table in place; posting a SharedArrayBuffer shares it, not a copy
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const t = new Float32Array(workerData);
      for (let i = 0; i < t.length; i++) t[i] *= 2;
      parentPort.postMessage('done');
    `;
    const worker = new Worker(code, { eval: true, workerData: emb.buffer });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    await worker.terminate();
    for (let i = 0; i < emb.length; i++) expect(emb[i]).toBe(before[i] * 2);
    opt.flush();
    expect(s.get('emb').data).toBe(emb);
  });
});
