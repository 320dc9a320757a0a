import { describe, expect, it } from 'vitest';
import { ParamStore, createRng } from '@collab-ts/core';
import type { Gradients } from '@collab-ts/core';
import { adam } from './adam.js';
import { LazyDecay } from './lazy-decay.js';
import { sgd } from './sgd.js';
import { cosine } from './schedules/curves.js';
import { randomRows } from './test-helpers.js';

const ROWS = 40;
const DIM = 3;
const STEPS = 300;

interface Trace {
  init: Float32Array;
  lrs: number[];
  rows: number[][];
  grads: Float32Array[];
}

/** A seeded run: random distinct rows per step, random row gradients, a cosine learning rate. */
function makeTrace(seed: number): Trace {
  const rng = createRng(seed);
  const init = Float32Array.from({ length: ROWS * DIM }, () => rng.normal(0, 1));
  const lr = cosine(0.05, 0.005);
  const lrs: number[] = [];
  const rows: number[][] = [];
  const grads: Float32Array[] = [];
  for (let t = 0; t < STEPS; t++) {
    lrs.push(lr(t / STEPS));
    const k = 1 + rng.int(6);
    const r = randomRows(rng, ROWS, k);
    rows.push(r);
    grads.push(Float32Array.from({ length: k * DIM }, () => rng.normal(0, 0.5)));
  }
  return { init, lrs, rows, grads };
}

function gradsAt(tr: Trace, t: number): Gradients {
  const rows = Int32Array.from(tr.rows[t]);
  return new Map([['emb', { kind: 'sparse' as const, rows, values: tr.grads[t], count: rows.length }]]);
}

type Kind = 'sgd' | 'adam';

/**
 * Float64 reference: decoupled decay of EVERY row at EVERY step, then the lazy per-row update of the rows
 * in the batch (per-row momentum / per-row Adam moments and step counts). `decayAll: false` decays only the
 * touched rows (the wrong semantics), to show the test can tell them apart.
 */
function reference(kind: Kind, tr: Trace, wd: number, decayAll = true): Float64Array {
  const p = Float64Array.from(tr.init);
  const m = new Float64Array(p.length);
  const v = new Float64Array(p.length);
  const count = new Int32Array(ROWS);
  const mom = 0.9;
  for (let t = 0; t < STEPS; t++) {
    const lr = tr.lrs[t];
    const f = 1 - lr * wd;
    if (decayAll) for (let i = 0; i < p.length; i++) p[i] *= f;
    tr.rows[t].forEach((r, k) => {
      const c = ++count[r];
      for (let d = 0; d < DIM; d++) {
        const j = r * DIM + d;
        const g = tr.grads[t][k * DIM + d];
        if (!decayAll) p[j] *= f;
        if (kind === 'sgd') {
          m[j] = mom * m[j] + g;
          p[j] -= lr * m[j];
        } else {
          m[j] = mom * m[j] + (1 - mom) * g;
          v[j] = 0.99 * v[j] + 0.01 * g * g;
          p[j] -= (lr / (1 - mom ** c)) * (m[j] / (Math.sqrt(v[j] / (1 - 0.99 ** c)) + 1e-5));
        }
      }
    });
  }
  return p;
}

function runLazy(kind: Kind, tr: Trace, wd: number, flushEvery = 0): Float32Array {
  const store = new ParamStore();
  store.add('emb', [ROWS, DIM], tr.init.slice(), { kind: 'embedding' });
  const opt = kind === 'sgd' ? sgd(store, { lr: 1, momentum: 0.9, wd }) : adam(store, { lr: 1, beta1: 0.9, wd });
  for (let t = 0; t < STEPS; t++) {
    opt.lr = tr.lrs[t];
    opt.step(gradsAt(tr, t));
    if (flushEvery > 0 && (t + 1) % flushEvery === 0) opt.flush();
  }
  opt.flush();
  return store.get('emb').data;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('lazy decoupled weight decay is exact', () => {
  for (const kind of ['sgd', 'adam'] as const) {
    it(`${kind}: equals dense decay of every row at every step (${STEPS} steps, random sparse rows)`, () => {
      const tr = makeTrace(kind === 'sgd' ? 11 : 12);
      const wd = 2;
      const ref = reference(kind, tr, wd);
      const got = runLazy(kind, tr, wd);
      expect(maxAbsDiff(got, ref)).toBeLessThan(1e-6);
      // the test has power: decaying only touched rows ends far away
      expect(maxAbsDiff(reference(kind, tr, wd, false), ref)).toBeGreaterThan(0.05);
      // flushing in the middle changes nothing beyond rounding
      expect(maxAbsDiff(runLazy(kind, tr, wd, 37), ref)).toBeLessThan(1e-6);
    });
  }

  it('LazyDecay keeps the cumulative factor in log space without underflow', () => {
    const lazy = new LazyDecay(2, 1);
    const data = Float32Array.from([1, 1]);
    for (let i = 0; i < 100_000; i++) lazy.advance(0.01); // 0.99^100000 = e^-1005, below the double range
    expect(lazy.pending).toBe(true);
    expect(lazy.take(0)).toBe(0);
    lazy.flush(data);
    expect([...data]).toEqual([1, 0]); // row 0 was only marked current by take(); row 1 decayed to 0
    expect(lazy.pending).toBe(false);
    lazy.advance(0.5);
    expect(lazy.take(1)).toBeCloseTo(0.5, 12);
  });

  it('lr * wd >= 1 is applied densely rather than through a logarithm', () => {
    const store = new ParamStore();
    store.add('emb', [2, 1], Float32Array.from([1, 2]), { kind: 'embedding' });
    const opt = sgd(store, { lr: 1, wd: 0.5 });
    opt.step(new Map([['emb', { kind: 'sparse', rows: Int32Array.of(0), values: Float32Array.of(0), count: 1 }]])); // f = 0.5
    opt.lr = 4; // f = 1 - 2 = -1
    opt.step(new Map([['emb', { kind: 'sparse', rows: Int32Array.of(0), values: Float32Array.of(0), count: 1 }]]));
    opt.flush();
    expect([...store.get('emb').data]).toEqual([-0.5, -1]);
  });
});
