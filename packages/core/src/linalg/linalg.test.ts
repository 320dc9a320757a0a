import { describe, expect, it } from 'vitest';
import { naiveInverse } from '@collab-ts/tooling/test/linalg';
import { createRng } from '../rng.js';
import { choleskyInverse, choleskySolve } from './cholesky.js';
import { conjugateGradient } from './conjugate-gradient.js';

function spd(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) m[i] = rng.normal();
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? 0.5 : 0;
    for (let k = 0; k < n; k++) s += m[k * n + i] * m[k * n + j];
    a[i * n + j] = s;
  }
  return a;
}

function matVec(a: Float64Array, x: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += a[i * n + j] * x[j];
  return out;
}

describe('dense linear algebra', () => {
  it('choleskySolve solves A x = b', () => {
    for (const n of [12, 97]) {
      const a = spd(n, 1);
      const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
      const x = choleskySolve(a, b, n);
      const ax = matVec(a, x, n);
      for (let i = 0; i < n; i++) expect(ax[i]).toBeCloseTo(b[i], 9);
    }
  });

  it('choleskyInverse matches a naive Gauss-Jordan inverse', () => {
    // sizes past one 64-row block, odd and even, exercise the blocked paths and their tails
    for (const n of [1, 2, 3, 7, 30, 64, 65, 131, 150]) {
      const a = spd(n, n);
      const inv = a.slice();
      choleskyInverse(inv, n);
      const ref = naiveInverse(a, n);
      for (let i = 0; i < n * n; i++) expect(inv[i]).toBeCloseTo(ref[i], 7);
    }
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toThrow(/not positive definite/);
  });

  it('conjugate gradient converges to the Cholesky solution, and a warm start is closer after a few iterations', () => {
    const n = 20;
    const a = spd(n, 5);
    const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const exact = choleskySolve(a, b, n);
    const x = new Float64Array(n);
    const apply = (v: Float64Array, out: Float64Array) => out.set(matVec(a, v, n));
    conjugateGradient(apply, b, x, { iterations: 200, tolerance: 1e-24 });
    for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(exact[i], 6);
    const err = (v: Float64Array) => Math.hypot(...v.map((xi, i) => xi - exact[i]));
    const warm = exact.map((v) => v * 1.01);
    const cold = new Float64Array(n);
    conjugateGradient(apply, b, warm, { iterations: 3 });
    conjugateGradient(apply, b, cold, { iterations: 3 });
    expect(err(warm)).toBeLessThan(err(cold));
  });
});
