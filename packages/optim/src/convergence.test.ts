import { describe, expect, it } from 'vitest';
import { ParamStore, createRng } from '@collab-ts/core';
import type { Gradients } from '@collab-ts/core';
import { adam, adamW } from './adam.js';
import { sgd } from './sgd.js';
import { cosine } from './schedules/curves.js';
import { Scheduler } from './schedules/scheduler.js';
import type { Optimizer } from './types.js';
import { randomRows } from './test-helpers.js';

// Minimise the quadratic 0.5 * sum a_i (p_i - target_i)^2, gradient a_i (p_i - target_i).
const N = 6;
const curvature = [1, 2, 0.5, 3, 1.5, 0.8];
const target = [1, -2, 0.5, 3, -1, 0];

const cases: [string, (s: ParamStore) => Optimizer, number][] = [
  ['sgd', (s) => sgd(s, { lr: 0.2 }), 200],
  ['sgd + momentum', (s) => sgd(s, { lr: 0.05, momentum: 0.9 }), 300],
  ['sgd + nesterov', (s) => sgd(s, { lr: 0.05, momentum: 0.9, nesterov: true }), 300],
  ['adam', (s) => adam(s, { lr: 0.1, wd: 0 }), 600],
  ['adamW (tiny wd)', (s) => adamW(s, { lr: 0.1, wd: 1e-6 }), 600],
];

describe('convergence on a quadratic', () => {
  for (const [name, build, steps] of cases) {
    it(`${name}: dense parameter reaches the minimum`, () => {
      const store = new ParamStore();
      const w = store.add('w', [N], new Float32Array(N), { kind: 'dense' });
      const opt = build(store);
      const sched = new Scheduler(opt, { totalSteps: steps, lr: cosine(opt.lr, 0) });
      const g = new Float32Array(N);
      const grads: Gradients = new Map([['w', { kind: 'dense', values: g }]]);
      for (let t = 0; t < steps; t++) {
        for (let i = 0; i < N; i++) g[i] = curvature[i] * (w.data[i] - target[i]);
        sched.next();
        opt.step(grads);
      }
      for (let i = 0; i < N; i++) expect(Math.abs(w.data[i] - target[i])).toBeLessThan(2e-3);
    });

    it(`${name}: embedding rows updated lazily from random sparse batches reach the minimum`, () => {
      const rows = 20;
      const store = new ParamStore();
      const emb = store.add('emb', [rows, N], new Float32Array(rows * N), { kind: 'embedding' });
      const opt = build(store);
      const total = steps * 4; // each row is in about a quarter of the batches
      const sched = new Scheduler(opt, { totalSteps: total, lr: cosine(opt.lr, 0) });
      const rng = createRng(5);
      const rowBuf = new Int32Array(5);
      const values = new Float32Array(5 * N);
      for (let t = 0; t < total; t++) {
        const batch = randomRows(rng, rows, 5);
        batch.forEach((r, k) => {
          rowBuf[k] = r;
          for (let i = 0; i < N; i++) values[k * N + i] = curvature[i] * (emb.data[r * N + i] - target[i]);
        });
        sched.next();
        opt.step(new Map([['emb', { kind: 'sparse', rows: rowBuf, values, count: 5 }]]));
      }
      opt.flush();
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < N; i++) expect(Math.abs(emb.data[r * N + i] - target[i])).toBeLessThan(5e-3);
      }
    });
  }
});
